import { z } from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { clearReview } from '../usecases/admin';
import { invite } from '../usecases/sandbox';

const openidInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '格式不正确');

export const admin: FunctionDef = {
  invite: action({
    guard: 'operator',
    input: z.strictObject({ openid: openidInput }),
    run: (ctx, input) => invite(ctx, input.openid, ctx.openid),
  }),
  clearReview: action({
    guard: 'operator',
    input: z.strictObject({ openid: openidInput }),
    run: (ctx, input) => clearReview(ctx, input.openid),
  }),
};
