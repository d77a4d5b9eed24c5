import fc from 'fast-check';
import { Dec } from '../../../cloudfunctions/src/core/money';
import { DEFAULT_POLICY_INPUT } from '../../../cloudfunctions/src/core/policy';
import {
  annualiseDaily,
  annualiseMonthly,
  monthlyIrrApr,
  solveIrr,
} from '../../../cloudfunctions/src/core/installments/irr';
import { buildSchedule } from '../../../cloudfunctions/src/core/installments/schedule';
import { withInstallments } from './policies';

const policy = DEFAULT_POLICY_INPUT;

/** Present value of the payments at monthly rate r minus what was received. */
function npv(net: number, flows: number[], r: Dec): Dec {
  return flows.reduce((acc, cf, k) => acc.plus(new Dec(cf).dividedBy(r.plus(1).pow(k + 1))), new Dec(-net));
}

describe('IRR annualised rate (PBOC disclosure)', () => {
  it('the 3000.00 / 3-month schedule at 1.5% a month → 18.00% simple, 19.56% compound', () => {
    const flows = buildSchedule(300_000, 3, policy).map((r) => r.paymentFen);
    const apr = monthlyIrrApr(300_000, flows);
    expect(apr.aprSimple).toBe('18.00');
    expect(apr.aprCompound).toBe('19.56');
  });

  it("the PBOC's example: 100,000.00 with a 1,000.00 fee up front, 12 × 8,833.30 → 12.80% / 13.58%", () => {
    const apr = monthlyIrrApr(10_000_000 - 100_000, Array<number>(12).fill(883_330));
    expect(apr.aprSimple).toBe('12.80');
    expect(apr.aprCompound).toBe('13.58');
  });

  it('a 1.5%-a-month fee on the full principal over 12 months → 31.72% simple', () => {
    // 3000.00: 250.00 principal + 45.00 fee each month, no rounding involved.
    const flows = buildSchedule(300_000, 12, withInstallments({ pricing: 'flat' })).map((r) => r.paymentFen);
    expect(flows).toEqual(Array<number>(12).fill(29_500));
    const apr = monthlyIrrApr(300_000, flows);
    expect(apr.aprSimple).toBe('31.72');
    expect(apr.aprCompound).toBe('36.76');
  });

  it('converges to far below 1e-12 and is deterministic', () => {
    const flows = Array<number>(12).fill(883_330);
    const r = solveIrr(9_900_000, flows);
    expect(npv(9_900_000, flows, r).abs().lt('1e-12')).toBe(true);
    expect(solveIrr(9_900_000, flows).eq(r)).toBe(true);
  });

  it('handles a zero and a negative rate', () => {
    expect(solveIrr(30_000, [10_000, 10_000, 10_000]).abs().lt('1e-20')).toBe(true);
    const negative = solveIrr(30_000, [9_000, 9_000, 9_000]);
    expect(negative.isNegative()).toBe(true);
    expect(npv(30_000, [9_000, 9_000, 9_000], negative).abs().lt('1e-12')).toBe(true);
  });

  it('a single payment after one month: the rate is the excess', () => {
    expect(solveIrr(100_000, [110_000]).minus('0.1').abs().lt('1e-20')).toBe(true);
  });

  it('refuses meaningless cash flows', () => {
    expect(() => solveIrr(0, [100])).toThrow(RangeError);
    expect(() => solveIrr(100, [])).toThrow(RangeError);
    expect(() => solveIrr(100, [0, 0])).toThrow(RangeError);
    expect(() => solveIrr(100, [-1, 200])).toThrow(RangeError);
  });

  it('annualises monthly rates: 1.5% → 18.00% / 19.56%', () => {
    const a = annualiseMonthly('0.015');
    expect([a.aprSimple, a.aprCompound]).toEqual(['18.00', '19.56']);
    expect(a.compound.toFixed(12)).toBe('0.195618171462');
  });

  it('revolving interest 0.05% a day → 18.25% simple, 20.02% compound ((1.0005)^365 − 1)', () => {
    const a = annualiseDaily(policy.billing.dailyInterestRate);
    expect(a.aprSimple).toBe('18.25');
    expect(a.aprCompound).toBe('20.02');
    expect(a.compound.toFixed(10)).toBe('0.2001594107');
  });
});

describe('IRR of an equal-payment schedule equals its monthly rate within fen rounding (property)', () => {
  /*
   * Tolerance. With v = 1/(1+i) and ε_k = interest_k − remaining_{k−1}·i (the half-up rounding of
   * each period's interest, |ε_k| ≤ ½ fen), the rounded schedule satisfies exactly
   *     Σ payment_k·v^k − P = Σ ε_k·v^k        (payment rounding only moves principal between periods)
   * so the present-value error at i is at most ½·a_n fen (a_n = Σ v^k). The IRR moves by that error
   * divided by |dPV/dr| = Σ k·payment_k·v^(k+1) ≈ (P/a_n)·Σ k·v^(k+1), i.e. by at most
   *     ½·a_n² / (P·Σ k·v^(k+1))  =  0.74/P (3 months), 0.84/P (6), 0.88/P (12)   (P in fen, i = 1.5%)
   * So |IRR − i| ≤ 1/P a month and |12·IRR − 12·i| ≤ 12/P: 0.0012 at 100.00, ≤ 0.0001 from 1200.00 on.
   */
  it('|12·IRR − 12·i| ≤ 12 / principal-in-fen, and the exact present-value identity holds', () => {
    const i = new Dec(policy.installments.monthlyRate);
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 20_000_000 }), fc.constantFrom(3, 6, 12), (p, n) => {
        const rows = buildSchedule(p, n, policy);
        const flows = rows.map((r) => r.paymentFen);
        // The identity behind the bound.
        let before = new Dec(p);
        const residue = rows.reduce((acc, r, k) => {
          const eps = new Dec(r.interestFen).minus(before.times(i));
          before = new Dec(r.remainingFen);
          return acc.plus(eps.dividedBy(i.plus(1).pow(k + 1)));
        }, new Dec(0));
        expect(npv(p, flows, i).minus(residue).abs().lt('1e-30')).toBe(true);

        const apr = monthlyIrrApr(p, flows);
        expect(apr.simple.minus(i.times(12)).abs().lte(new Dec(12).dividedBy(p))).toBe(true);
      }),
    );
  });

  it('≤ 0.0001 for principals from 1200.00 up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 120_000, max: 20_000_000 }), fc.constantFrom(3, 6, 12), (p, n) => {
        const flows = buildSchedule(p, n, policy).map((r) => r.paymentFen);
        expect(monthlyIrrApr(p, flows).simple.minus('0.18').abs().lte('0.0001')).toBe(true);
      }),
    );
  });
});
