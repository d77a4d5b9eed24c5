import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { balanceInput, emptyInput, isoInstant, text } from '../app/validation';
import { invite, MAX_CLOCK_JUMP_DAYS, moveClock, runSchedulerNow, setProfile } from '../usecases/sandbox';

const count = (max: number) => z.number().int().min(0).max(max);

export const profileInput = z.strictObject({
  realNameVerified: z.boolean().optional(),
  age: count(150).optional(),
  bankCards: count(50).optional(),
  payScore: z.number().int().min(300).max(850).optional(),
  monthlyPaymentCount: count(100_000).optional(),
  balance: balanceInput.optional(),
  friendCount: count(100_000).optional(),
  overdueCount: count(1_000).optional(),
  payHistoryDays: count(36_500).optional(),
  annualIncome: balanceInput.optional(),
  avgMonthlySpend: balanceInput.optional(),
  homeCity: text(30).optional(),
  bankCardBalance: balanceInput.optional(),
});

export const sandbox: FunctionDef = {
  setProfile: action({
    guard: 'sandbox',
    input: profileInput,
    run: (ctx, p) => {
      const { balance, annualIncome, avgMonthlySpend, bankCardBalance, ...rest } = p;
      return setProfile(ctx, {
        ...rest,
        ...(balance !== undefined ? { balanceFen: balance } : {}),
        ...(annualIncome !== undefined ? { annualIncomeFen: annualIncome } : {}),
        ...(avgMonthlySpend !== undefined ? { avgMonthlySpendFen: avgMonthlySpend } : {}),
        ...(bankCardBalance !== undefined ? { bankCardBalanceFen: bankCardBalance } : {}),
      });
    },
  }),
  clock: action({
    guard: 'sandbox',
    input: z.strictObject({
      advanceHours: z
        .number()
        .int()
        .min(1)
        .max(24 * MAX_CLOCK_JUMP_DAYS)
        .optional(),
      advanceDays: z.number().int().min(1).max(MAX_CLOCK_JUMP_DAYS).optional(),
      set: isoInstant.optional(),
    }),
    run: (ctx, input) => moveClock(ctx, input),
  }),
  runScheduler: action({ guard: 'sandbox', input: emptyInput, run: (ctx) => runSchedulerNow(ctx) }),
  invite: action({ guard: 'sandbox', input: emptyInput, run: (ctx) => invite(ctx, ctx.openid, 'sandbox') }),
};
