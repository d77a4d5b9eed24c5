import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { emptyInput, moneyInput, text } from '../app/validation';
import { applyForCredit, creditQuota, creditStatus, reevaluate } from '../usecases/credit';

export const credit: FunctionDef = {
  status: action({ input: emptyInput, run: (ctx) => creditStatus(ctx) }),
  apply: action({
    input: z.strictObject({
      channel: z.enum(['wallet', 'invite', 'checkout']),
      occupation: text(40).optional(),
      annualIncome: moneyInput.optional(),
    }),
    run: (ctx, input) => applyForCredit(ctx, input),
  }),
  quota: action({ input: emptyInput, run: (ctx) => creditQuota(ctx) }),
  reevaluate: action({ input: emptyInput, run: (ctx) => reevaluate(ctx) }),
};
