import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { clearReview } from '../usecases/admin';
import { resolveAppeal } from '../usecases/appeals';
import { docId, text } from '../app/validation';
import { invite } from '../usecases/sandbox';

const openidInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '格式不正确');

export const admin: FunctionDef = {
  invite: action({
    guard: 'operator',
    input: z.strictObject({ openid: openidInput }),
    run: (ctx, input) => invite(ctx, input.openid, ctx.openid),
  }),
  resolveAppeal: action({
    guard: 'operator',
    input: z.strictObject({ appealId: docId, outcome: z.enum(['upheld', 'overturned']), note: text(500) }),
    run: (ctx, input) => resolveAppeal(ctx, input),
  }),
  clearReview: action({
    guard: 'operator',
    input: z.strictObject({ openid: openidInput }),
    run: (ctx, input) => clearReview(ctx, input.openid),
  }),
};
