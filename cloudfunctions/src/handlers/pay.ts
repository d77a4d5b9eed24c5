import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { moneyInput, requestId, text } from '../app/validation';
import { spend } from '../usecases/spend';

export const merchantInput = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '须为 1–64 位字母、数字、下划线或连字符'),
  name: text(60),
  category: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '须为小写字母、数字或下划线'),
  scene: z.enum(['online', 'offline', 'utility', 'cross_border', 'transfer', 'withdrawal']),
});

export const pay: FunctionDef = {
  spend: action({
    input: z.strictObject({
      requestId,
      amount: moneyInput,
      merchant: merchantInput,
      city: text(30).optional(),
    }),
    run: (ctx, input) => spend(ctx, input),
  }),
};
