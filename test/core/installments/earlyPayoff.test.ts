import fc from 'fast-check';
import { Dec } from '../../../cloudfunctions/src/core/money';
import { DEFAULT_POLICY_INPUT } from '../../../cloudfunctions/src/core/policy';
import {
  earlyPayoff,
  earlyPayoffCashFlows,
  payoffBeyondStatements,
  worstEarlyPayoffRate,
} from '../../../cloudfunctions/src/core/installments/earlyPayoff';
import { monthlyIrrApr } from '../../../cloudfunctions/src/core/installments/irr';
import { buildSchedule } from '../../../cloudfunctions/src/core/installments/schedule';
import { withInstallments } from './policies';

const policy = DEFAULT_POLICY_INPUT;
const locked = withInstallments({ lockedFeesOnEarlyPayoff: true });
const twelve = buildSchedule(300_000, 12, policy); // 3000.00 over 12 months at 1.5%

describe('early payoff, default rule: remaining principal + the current period interest', () => {
  it('after 1 of 12 periods: 2769.96 + 2769.96 × 1.5% (41.55) = 2811.51', () => {
    expect(earlyPayoff(twelve, 1, policy)).toEqual({
      principalFen: 276_996,
      interestFen: 4_155,
      totalFen: 281_151,
    });
  });

  it('after 3 periods: 2299.48 + 34.49', () => {
    expect(earlyPayoff(twelve, 3, policy)).toEqual({
      principalFen: 229_948,
      interestFen: 3_449,
      totalFen: 233_397,
    });
  });

  it('before any period is paid: the whole principal + the first period interest', () => {
    expect(earlyPayoff(twelve, 0, policy)).toEqual({
      principalFen: 300_000,
      interestFen: 4_500,
      totalFen: 304_500,
    });
  });

  it('in the last period it is exactly the last installment', () => {
    expect(earlyPayoff(twelve, 11, policy).totalFen).toBe(twelve[11].paymentFen);
  });

  it('the current period interest is remaining × i half-up, the same on the due day and mid-period', () => {
    for (let k = 0; k < 12; k++) {
      const remaining = k === 0 ? 300_000 : twelve[k - 1].remainingFen;
      const expected = new Dec(remaining).times('0.015').toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
      expect(earlyPayoff(twelve, k, policy).interestFen).toBe(expected);
    }
  });

  it('refuses impossible period counts', () => {
    expect(() => earlyPayoff(twelve, -1, policy)).toThrow(RangeError);
    expect(() => earlyPayoff(twelve, 12, policy)).toThrow(RangeError);
    expect(() => earlyPayoff(twelve, 1.5, policy)).toThrow(RangeError);
  });

  it('costs exactly the schedule: its IRR is the held-to-term rate for every payoff month (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 20_000_000 }), fc.constantFrom(3, 6, 12), (p, n) => {
        const rows = buildSchedule(p, n, policy);
        for (let k = 0; k < n; k++) {
          const apr = monthlyIrrApr(p, earlyPayoffCashFlows(rows, k, policy));
          // Same fen-rounding tolerance as the schedule's own IRR (see irr.test.ts).
          expect(apr.simple.minus('0.18').abs().lte(new Dec(12).dividedBy(p))).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('early payoff with locked full-term fees (policy switch)', () => {
  it('after 1 of 12 periods: 2769.96 + all 11 remaining interest rows (255.46)', () => {
    expect(earlyPayoff(twelve, 1, locked)).toEqual({
      principalFen: 276_996,
      interestFen: 25_546,
      totalFen: 302_542,
    });
  });

  it('before any period is paid: principal + the full-term interest 300.46', () => {
    expect(earlyPayoff(twelve, 0, locked)).toEqual({
      principalFen: 300_000,
      interestFen: 30_046,
      totalFen: 330_046,
    });
  });

  it('3000.00 over 3 months after 1 period: 2014.85 + 30.22 + 15.22', () => {
    const three = buildSchedule(300_000, 3, policy);
    expect(earlyPayoff(three, 1, locked)).toEqual({
      principalFen: 201_485,
      interestFen: 4_544,
      totalFen: 206_029,
    });
    expect(earlyPayoff(three, 1, policy)).toEqual({
      principalFen: 201_485,
      interestFen: 3_022,
      totalFen: 204_507,
    });
  });

  it('the worst case is paying everything at month 1: 300.46 / 3000.00 a month → 120.18% / 214.37%', () => {
    const worst = worstEarlyPayoffRate(twelve, locked);
    expect(worst.periodsPaid).toBe(0);
    expect(worst.rate.periodic.minus(new Dec(30_046).dividedBy(300_000)).abs().lt('1e-20')).toBe(true);
    expect([worst.rate.aprSimple, worst.rate.aprCompound]).toEqual(['120.18', '214.37']);
  });

  it('paying off later is never worse than paying off sooner', () => {
    let previous = new Dec(Infinity);
    for (let k = 0; k < 12; k++) {
      const apr = monthlyIrrApr(300_000, earlyPayoffCashFlows(twelve, k, locked));
      expect(apr.simple.lte(previous)).toBe(true);
      previous = apr.simple;
    }
  });
});

describe('payoff beyond the installments already on statements', () => {
  const due = Date.parse('2026-12-10T23:59:59+08:00'); // installment 1's statement falls due
  const three = buildSchedule(300_000, 3, policy); // 1030.15, 1030.15, 1030.14

  it('before anything is billed it is the early payoff after 0 periods', () => {
    const now = Date.parse('2026-11-20T09:00:00+08:00');
    expect(payoffBeyondStatements(three, 0, null, now, policy)).toEqual(earlyPayoff(three, 0, policy));
  });

  it('while the last billed installment is not yet due, its period is current: principal only', () => {
    for (const at of ['2026-12-02T09:00:00+08:00', '2026-12-10T23:59:59.999+08:00']) {
      expect(payoffBeyondStatements(three, 1, due, Date.parse(at), policy)).toEqual({
        principalFen: 201_485,
        interestFen: 0,
        totalFen: 201_485,
      });
    }
  });

  it('once it has fallen due, the next period is current and its interest is added: 2014.85 + 30.22', () => {
    const now = Date.parse('2026-12-11T00:00:00+08:00');
    expect(payoffBeyondStatements(three, 1, due, now, policy)).toEqual({
      principalFen: 201_485,
      interestFen: 3_022,
      totalFen: 204_507,
    });
  });

  it('with locked fees every unbilled installment keeps its interest, due or not', () => {
    const before = payoffBeyondStatements(three, 1, due, Date.parse('2026-12-02T09:00:00+08:00'), locked);
    const after = payoffBeyondStatements(three, 1, due, Date.parse('2026-12-11T09:00:00+08:00'), locked);
    expect(before).toEqual(after);
    expect(before.interestFen).toBe(three[1].interestFen + three[2].interestFen);
  });

  it('never costs more than the early payoff the compliance guard prices (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 5_000_000 }),
        fc.constantFrom(3, 6, 12),
        fc.integer({ min: 0, max: 11 }),
        fc.boolean(),
        (principal, term, billed, beforeDue) => {
          const k = billed % term;
          const rows = buildSchedule(principal, term, policy);
          const now = beforeDue ? due - 1 : due + 1_000;
          const beyond = payoffBeyondStatements(rows, k, k === 0 ? null : due, now, policy);
          expect(beyond.totalFen).toBeLessThanOrEqual(earlyPayoff(rows, k, policy).totalFen);
          expect(beyond.principalFen).toBe(earlyPayoff(rows, k, policy).principalFen);
        },
      ),
    );
  });
});
