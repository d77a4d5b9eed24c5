import fc from 'fast-check';
import {
  accruedInterestToDate,
  billableInterest,
  interestForDays,
} from '../../../cloudfunctions/src/core/billing/interest';
import {
  assertStatementInvariant,
  paidInFullByGrace,
  remainingFen,
  unpaidAt,
  unpaidBuckets,
} from '../../../cloudfunctions/src/core/billing/ledger';
import { buildStatement } from '../../../cloudfunctions/src/core/billing/statement';
import { dayKey } from '../../../cloudfunctions/src/core/time';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import { quoteRepayment } from '../../../cloudfunctions/src/core/repayment/quote';
import { arbScenario, at, BIG_FUNDS, issueNovember, playPayments, playScenario, policy } from './fixtures';

const RUNS = { numRuns: 300 };

describe('billing properties', () => {
  it('the books balance after every step: remaining = balance − paid − carriedForward − converted ≥ 0', () => {
    fc.assert(
      fc.property(arbScenario, (sc) => {
        playScenario(sc, ({ statement: s }) => {
          assertStatementInvariant(s);
          const remaining = s.balanceFen - s.paidFen - s.carriedForwardFen - s.convertedFen;
          expect(remainingFen(s)).toBe(remaining);
          expect(remaining).toBeGreaterThanOrEqual(0);
          expect(s.pastDueFen).toBeGreaterThanOrEqual(0);
          expect(s.pastDueFen).toBeLessThanOrEqual(remaining);
          // The replay of the whole history agrees with the running totals.
          if (s.status !== 'carried') expect(unpaidAt(s, Infinity)).toEqual(unpaidBuckets(s));
          if (remaining === 0 && s.status !== 'carried') expect(s.status).toBe('paid');
        });
      }),
      RUNS,
    );
  });

  it('interest is never negative, and zero on statements without carried principal paid in full by grace end', () => {
    fc.assert(
      fc.property(arbScenario, (sc) => {
        playScenario(sc, ({ statement: s, now }) => {
          const first = dayKey(s.statementDate);
          const last = dayKey(s.statementDate + 40 * 86_400_000);
          const interest = interestForDays(s, first, last, policy);
          expect(interest.isNegative()).toBe(false);
          expect(accruedInterestToDate(s, now, policy)).toBeGreaterThanOrEqual(0);
          if (s.carriedPrincipalFen === 0 && paidInFullByGrace(s)) expect(interest.isZero()).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('paying in full inside grace always yields an interest-free next statement', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 13 * 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        (billed, firstShare, minute, janNew) => {
          const nov = buildStatement({
            period: '2026-11',
            issuedAt: at('2026-12-01'),
            previous: null,
            unbilledFen: billed,
            purchaseLines: [],
            installmentDues: [],
            now: at('2026-12-01'),
            policy,
          })!.statement;
          let s = nov;
          const firstAt = at('2026-12-01') + Math.floor(minute / 2) * 60_000;
          const payTo = (amountFen: number, when: number) => {
            const q = quoteRepayment({
              mode: 'custom',
              amountFen,
              channel: 'balance',
              statement: s,
              unbilled: {},
              accruedInterestFen: 0,
              plans: [],
              sourceFundsFen: BIG_FUNDS,
              policy,
            });
            if (!q.ok) throw new Error(q.code);
            s = applyRepayment(s, q.allocation, when);
          };
          const part = Math.floor((billed * firstShare) / 100);
          if (part > 0) payTo(part, firstAt);
          payTo(remainingFen(s), at('2026-12-01') + minute * 60_000);
          expect(paidInFullByGrace(s)).toBe(true);
          const jan = buildStatement({
            period: '2026-12',
            issuedAt: at('2027-01-01'),
            previous: s,
            unbilledFen: janNew,
            purchaseLines: [],
            installmentDues: [],
            now: at('2027-01-01'),
            policy,
          });
          expect(jan?.statement.interestFen ?? 0).toBe(0);
          expect(jan?.statement.carriedPrincipalFen ?? 0).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('carrying conserves money: next balance = previous remaining + billed interest + new principal', () => {
    fc.assert(
      fc.property(arbScenario, (sc) => {
        const nov = issueNovember(sc);
        if (!nov) return;
        const dec = playPayments(nov, sc.decPayments, () => undefined);
        const issuedAt = at('2027-01-01');
        const billed = billableInterest(dec, issuedAt, policy).fen;
        const expected = remainingFen(dec) + billed + sc.janNewFen;
        const jan = buildStatement({
          period: '2026-12',
          issuedAt,
          previous: dec,
          unbilledFen: sc.janNewFen,
          purchaseLines: [],
          installmentDues: [],
          now: issuedAt,
          policy,
        });
        if (!jan) {
          expect(expected).toBe(0);
          return;
        }
        expect(jan.statement.balanceFen).toBe(expected);
        expect(remainingFen(jan.previousAfter!)).toBe(0);
        expect(jan.previousAfter!.carriedForwardFen).toBe(remainingFen(dec));
      }),
      RUNS,
    );
  });
});
