import fc from 'fast-check';
import { Dec } from '../../../cloudfunctions/src/core/money';
import { DEFAULT_POLICY_INPUT } from '../../../cloudfunctions/src/core/policy';
import {
  type ScheduleRowFen,
  buildSchedule,
  equalPaymentFen,
  scheduleTotals,
} from '../../../cloudfunctions/src/core/installments/schedule';
import { withInstallments } from './policies';

const policy = DEFAULT_POLICY_INPUT;
const flat = withInstallments({ pricing: 'flat' });
const payments = (rows: ScheduleRowFen[]) => rows.map((r) => r.paymentFen);

describe('equal monthly payments on the declining balance (等额本息, SPEC §7)', () => {
  it('3000.00 over 3 months at 1.5%: 1030.15, 1030.15, 1030.14; interest 90.44', () => {
    const rows = buildSchedule(300_000, 3, policy);
    expect(rows).toEqual([
      { period: 1, paymentFen: 103_015, principalFen: 98_515, interestFen: 4_500, remainingFen: 201_485 },
      { period: 2, paymentFen: 103_015, principalFen: 99_993, interestFen: 3_022, remainingFen: 101_492 },
      { period: 3, paymentFen: 103_014, principalFen: 101_492, interestFen: 1_522, remainingFen: 0 },
    ]);
    expect(scheduleTotals(rows)).toEqual({ paymentFen: 309_044, principalFen: 300_000, interestFen: 9_044 });
    expect(equalPaymentFen(300_000, 3, policy)).toBe(103_015);
  });

  it('3000.00 over 6 months: 526.58 × 5 then 526.55; interest 159.45', () => {
    const rows = buildSchedule(300_000, 6, policy);
    expect(payments(rows)).toEqual([52_658, 52_658, 52_658, 52_658, 52_658, 52_655]);
    expect(scheduleTotals(rows).interestFen).toBe(15_945);
  });

  it('3000.00 over 12 months: 275.04 × 11 then 275.02; interest 300.46', () => {
    const rows = buildSchedule(300_000, 12, policy);
    expect(payments(rows)).toEqual([...Array<number>(11).fill(27_504), 27_502]);
    expect(scheduleTotals(rows).interestFen).toBe(30_046);
    // Each period's interest is the remaining balance × 1.5%, half-up: 2769.96 × 1.5% = 41.5494 → 41.55.
    expect(rows[1].interestFen).toBe(4_155);
  });

  it('a zero rate splits the principal evenly, remainder in the last period', () => {
    const rows = buildSchedule(10_000, 3, withInstallments({ monthlyRate: '0' }));
    expect(payments(rows)).toEqual([3_333, 3_333, 3_334]);
    expect(scheduleTotals(rows).interestFen).toBe(0);
  });

  it('refuses a non-positive principal or term (programming errors)', () => {
    expect(() => buildSchedule(0, 3, policy)).toThrow(RangeError);
    expect(() => buildSchedule(10_000, 0, policy)).toThrow(RangeError);
    expect(() => buildSchedule(10_000, 2.5, policy)).toThrow(RangeError);
    expect(() => buildSchedule(100.5, 3, policy)).toThrow();
  });
});

describe('flat pricing (a fee on the full principal, kept only for the guard to refuse)', () => {
  it('3000.00 over 12 months: 250.00 principal + 45.00 fee every month', () => {
    const rows = buildSchedule(300_000, 12, flat);
    expect(rows.every((r) => r.principalFen === 25_000 && r.interestFen === 4_500)).toBe(true);
    expect(scheduleTotals(rows).interestFen).toBe(54_000);
  });

  it('puts the remainder fen of the principal in the last period', () => {
    const rows = buildSchedule(10_000, 3, flat);
    expect(rows.map((r) => r.principalFen)).toEqual([3_333, 3_333, 3_334]);
    expect(rows.map((r) => r.interestFen)).toEqual([150, 150, 150]);
    expect(rows.map((r) => r.remainingFen)).toEqual([6_667, 3_334, 0]);
  });
});

describe('schedule invariants (property-based)', () => {
  const principal = fc.integer({ min: 10_000, max: 20_000_000 }); // 100.00 .. 200000.00
  const term = fc.constantFrom(3, 6, 12);
  const pricing = fc.constantFrom('declining' as const, 'flat' as const);

  it('principal sums exactly, nothing negative, remaining falls to 0, payment = principal + interest', () => {
    fc.assert(
      fc.property(principal, term, pricing, (p, n, mode) => {
        const rows = buildSchedule(p, n, withInstallments({ pricing: mode }));
        expect(rows).toHaveLength(n);
        expect(rows.map((r) => r.period)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
        expect(scheduleTotals(rows).principalFen).toBe(p);
        expect(rows[n - 1].remainingFen).toBe(0);
        let remaining = p;
        for (const r of rows) {
          for (const v of [r.paymentFen, r.principalFen, r.interestFen, r.remainingFen]) {
            expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          }
          expect(r.paymentFen).toBe(r.principalFen + r.interestFen);
          remaining -= r.principalFen;
          expect(r.remainingFen).toBe(remaining);
        }
      }),
    );
  });

  it('declining: periods 1..n−1 pay the level payment, each interest is remaining × i half-up', () => {
    fc.assert(
      fc.property(principal, term, (p, n) => {
        const rows = buildSchedule(p, n, policy);
        const level = equalPaymentFen(p, n, policy);
        let before = p;
        rows.forEach((r, k) => {
          if (k < n - 1) expect(r.paymentFen).toBe(level);
          const exact = new Dec(before).times(policy.installments.monthlyRate);
          expect(r.interestFen).toBe(exact.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber());
          before = r.remainingFen;
        });
        // The last payment differs from the level one only by the rounding residue carried forward:
        // each earlier period leaves at most 1 fen (payment and interest rounding, ½ fen each),
        // grown by the interest of the periods left, plus ½ + ½ fen in the last period itself.
        let bound = 1;
        for (let m = 1; m < n; m++) bound += (1 + Number(policy.installments.monthlyRate)) ** m;
        expect(Math.abs(rows[n - 1].paymentFen - level)).toBeLessThanOrEqual(bound);
      }),
    );
  });
});
