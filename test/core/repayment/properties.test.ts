import fc from 'fast-check';
import { accruedInterestToDate } from '../../../cloudfunctions/src/core/billing/interest';
import { assertStatementInvariant, remainingFen } from '../../../cloudfunctions/src/core/billing/ledger';
import type { StatementState } from '../../../cloudfunctions/src/core/billing/types';
import { Dec, MAX_INPUT_FEN } from '../../../cloudfunctions/src/core/money';
import { owedItems, type AllocationItem } from '../../../cloudfunctions/src/core/repayment/allocation';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import { repaymentFeeFen } from '../../../cloudfunctions/src/core/repayment/fees';
import { quoteRepayment } from '../../../cloudfunctions/src/core/repayment/quote';
import type { RepayChannel, RepayMode } from '../../../typings/api';
import { arbScenario, playScenario, policy, type Scenario } from '../billing/fixtures';

const RUNS = { numRuns: 200 };

const key = (l: AllocationItem): string =>
  [l.target, l.statementId ?? '', l.planId ?? '', l.period ?? '', l.accrued ? 'a' : ''].join('|');

function byKey(items: readonly AllocationItem[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + i.amountFen);
  return m;
}

/** Every statement state a scenario passes through, with the instant it was observed at. */
function statesOf(sc: Scenario): { statement: StatementState; now: number }[] {
  const out: { statement: StatementState; now: number }[] = [];
  playScenario(sc, (step) => out.push(step));
  return out;
}

const arbQuoteContext = fc.record({
  unbilled: fc.dictionary(
    fc.constantFrom('2026-12', '2027-01', '2027-02'),
    fc.integer({ min: 0, max: 500_000 }),
  ),
  plans: fc.array(
    fc.record({
      planId: fc.constantFrom('pa', 'pb', 'pc'),
      payoffPrincipalFen: fc.integer({ min: 0, max: 500_000 }),
      payoffInterestFen: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 2 },
  ),
  mode: fc.constantFrom<RepayMode>('full', 'minimum', 'custom', 'payoff'),
  channel: fc.constantFrom<RepayChannel>('balance', 'bank_card'),
  share: fc.integer({ min: 1, max: 110 }),
  funds: fc.integer({ min: 0, max: 10_000_000 }),
});

describe('repayment properties', () => {
  it('allocation: sums to the amount, positive lines, never more than owed per target; apply keeps the books', () => {
    fc.assert(
      fc.property(arbScenario, arbQuoteContext, (sc, ctx) => {
        for (const { statement, now } of statesOf(sc)) {
          const accruedInterestFen = accruedInterestToDate(statement, now, policy);
          const owedAll = owedItems(
            { statement, unbilled: ctx.unbilled, accruedInterestFen, plans: ctx.plans },
            'everything',
          );
          const ceiling = owedAll.reduce((s, i) => s + i.amountFen, 0);
          const amountFen = Math.max(1, Math.floor((ceiling * ctx.share) / 100));
          const q = quoteRepayment({
            mode: ctx.mode,
            amountFen,
            channel: ctx.channel,
            statement,
            unbilled: ctx.unbilled,
            accruedInterestFen,
            plans: ctx.plans,
            sourceFundsFen: ctx.funds,
            policy,
          });
          if (!q.ok) {
            expect(['NOTHING_DUE', 'OVERPAYMENT', 'INSUFFICIENT_FUNDS']).toContain(q.code);
            continue;
          }
          const total = q.allocation.reduce((s, l) => s + l.amountFen, 0);
          expect(total).toBe(q.amountFen);
          expect(q.totalFen).toBe(q.amountFen + q.feeFen);
          expect(q.totalFen).toBeLessThanOrEqual(ctx.funds);
          const owed = byKey(owedAll);
          const perTarget = new Map<string, number>();
          for (const l of q.allocation) {
            expect(Number.isSafeInteger(l.amountFen)).toBe(true);
            expect(l.amountFen).toBeGreaterThan(0);
            perTarget.set(l.target, (perTarget.get(l.target) ?? 0) + l.amountFen);
          }
          for (const [k, v] of byKey(q.allocation)) expect(v).toBeLessThanOrEqual(owed.get(k) ?? 0);
          for (const [target, v] of perTarget) {
            const owedTarget = owedAll
              .filter((i) => i.target === target)
              .reduce((s, i) => s + i.amountFen, 0);
            expect(v).toBeLessThanOrEqual(owedTarget);
          }
          if (ctx.mode !== 'payoff') expect(q.allocation.some((l) => l.planId && !l.statementId)).toBe(false);

          const after = applyRepayment(statement, q.allocation, now);
          assertStatementInvariant(after);
          expect(remainingFen(after)).toBe(
            after.balanceFen - after.paidFen - after.carriedForwardFen - after.convertedFen,
          );
          expect(remainingFen(after)).toBeGreaterThanOrEqual(0);
          if (ctx.mode === 'full' || ctx.mode === 'payoff') expect(remainingFen(after)).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('fee: at least 0.01 and 0.1% half-up by bank card, always 0 from 零钱', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_INPUT_FEN }), (amountFen) => {
        const fee = repaymentFeeFen(amountFen, 'bank_card', policy);
        expect(fee).toBeGreaterThanOrEqual(1);
        const exact = new Dec(amountFen).times('0.001').toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
        expect(fee).toBe(Math.max(1, exact));
        expect(repaymentFeeFen(amountFen, 'balance', policy)).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});
