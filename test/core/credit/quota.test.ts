import fc from 'fast-check';
import {
  available,
  computeQuota,
  formatBreakdown,
  NO_RISK,
  quotaTips,
  riskMultiplier,
  type RiskState,
} from '../../../cloudfunctions/src/core/credit/quota';
import { Dec, MAX_INPUT_FEN } from '../../../cloudfunctions/src/core/money';
import { goodProfile, policy } from './fixtures';

const example = { payScore: 700, avgMonthlySpendFen: 300_000, balanceFen: 200_000 };

describe('quota (SPEC §3)', () => {
  it('computes the SPEC example: 7000 + 240 + 100 = 7340 → 7300.00', () => {
    const r = computeQuota(example, NO_RISK, policy);
    expect(r.quotaFen).toBe(730_000);
    expect(r.multiplierKey).toBe('normal');
    expect(formatBreakdown(r.breakdown)).toEqual({
      base: '7000.00',
      spend: '240.00',
      deposit: '100.00',
      raw: '7340.00',
      riskMultiplier: '1',
      cap: '200000.00',
    });
  });

  it('steps down from the exact raw even within half a fen below a step: 7099.995 → 7000.00', () => {
    // 1999.90 × 5% = 99.995: raw shows as 7100.00 (half-up), but floor_to_100(7099.995) is 7000.00.
    const r = computeQuota({ payScore: 700, avgMonthlySpendFen: 0, balanceFen: 199_990 }, NO_RISK, policy);
    expect(formatBreakdown(r.breakdown)).toMatchObject({ deposit: '100.00', raw: '7100.00' });
    expect(r.quotaFen).toBe(700_000);
    expect(quotaTips(goodProfile(), r, policy)[0]).toBe('支付分再提升 1 分，额度即可提升至 7100.00 元。');
  });

  it('caps the quota at 200000.00', () => {
    const r = computeQuota(
      { payScore: 850, avgMonthlySpendFen: MAX_INPUT_FEN, balanceFen: MAX_INPUT_FEN },
      NO_RISK,
      policy,
    );
    expect(r.breakdown.rawFen).toBeGreaterThan(20_000_000);
    expect(r.quotaFen).toBe(20_000_000);
  });

  it('shows each part rounded half up to the fen', () => {
    // 0.08 × 0.06 = 0.0048 → 0.00; 0.05 × 0.10 = 0.005 → 0.01; raw 0.0098 → 0.01
    const r = computeQuota({ payScore: 0, avgMonthlySpendFen: 6, balanceFen: 10 }, NO_RISK, policy);
    expect(r.breakdown).toMatchObject({ spendFen: 0, depositFen: 1, rawFen: 1 });
    expect(r.quotaFen).toBe(0);
  });

  it('steps down from the exact raw, not from the rounded parts: 7099.9911 → 7000.00', () => {
    // 0.07 × 8% = 0.0056 (shown 0.01); 1999.71 × 5% = 99.9855 (shown 99.99); the parts rounded
    // first would make raw 7100.00 and the quota 7100.00.
    const r = computeQuota({ payScore: 700, avgMonthlySpendFen: 7, balanceFen: 199_971 }, NO_RISK, policy);
    expect(formatBreakdown(r.breakdown)).toMatchObject({
      base: '7000.00',
      spend: '0.01',
      deposit: '99.99',
      raw: '7099.99',
    });
    expect(r.quotaFen).toBe(700_000);
  });

  it.each<[string, RiskState, string, number]>([
    ['open level-2 event', { frozen: false, cashOutFlag: false, openLevel2Events: 1 }, '0.5', 360_000],
    ['cash-out flag', { frozen: false, cashOutFlag: true, openLevel2Events: 0 }, '0.2', 140_000],
    ['frozen', { frozen: true, cashOutFlag: false, openLevel2Events: 0 }, '0', 0],
    [
      'level-2 and cash-out: the lowest wins',
      { frozen: false, cashOutFlag: true, openLevel2Events: 2 },
      '0.2',
      140_000,
    ],
    ['frozen and flagged: the lowest wins', { frozen: true, cashOutFlag: true, openLevel2Events: 1 }, '0', 0],
  ])('applies the multiplier for %s', (_name, risk, multiplier, quotaFen) => {
    const r = computeQuota(example, risk, policy);
    expect(r.breakdown.riskMultiplier).toBe(multiplier);
    expect(r.quotaFen).toBe(quotaFen); // 7340 × 0.5 = 3670 → 3600; × 0.2 = 1468 → 1400
  });

  it('picks the multiplier key as well as the rate', () => {
    expect(riskMultiplier(NO_RISK, policy)).toEqual({ key: 'normal', rate: '1' });
    expect(riskMultiplier({ frozen: false, cashOutFlag: false, openLevel2Events: 1 }, policy)).toEqual({
      key: 'level2',
      rate: '0.5',
    });
  });

  it('available never goes below zero', () => {
    expect(available(730_000, 100_000)).toBe(630_000);
    expect(available(140_000, 500_000)).toBe(0);
  });

  it('property: quota is a multiple of 100.00 within [0, 200000.00] and never above raw × multiplier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 850 }),
        fc.integer({ min: 0, max: MAX_INPUT_FEN }),
        fc.integer({ min: 0, max: MAX_INPUT_FEN }),
        fc.record({ frozen: fc.boolean(), cashOutFlag: fc.boolean(), openLevel2Events: fc.nat(5) }),
        (payScore, avgMonthlySpendFen, balanceFen, risk) => {
          const r = computeQuota({ payScore, avgMonthlySpendFen, balanceFen }, risk, policy);
          expect(Number.isSafeInteger(r.quotaFen)).toBe(true);
          expect(r.quotaFen % 10_000).toBe(0);
          expect(r.quotaFen).toBeGreaterThanOrEqual(0);
          expect(r.quotaFen).toBeLessThanOrEqual(20_000_000);
          // raw is the exact formula rounded once; the parts shown are within a fen of it.
          const exact = new Dec(payScore * 1000)
            .plus(new Dec(avgMonthlySpendFen).times('0.08'))
            .plus(new Dec(balanceFen).times('0.05'));
          expect(new Dec(r.breakdown.rawFen).minus(exact).abs().lte('0.5')).toBe(true);
          const partsFen = r.breakdown.baseFen + r.breakdown.spendFen + r.breakdown.depositFen;
          expect(Math.abs(r.breakdown.rawFen - partsFen)).toBeLessThanOrEqual(1);
          expect(r.quotaFen).toBe(
            Math.min(
              20_000_000,
              exact.times(r.breakdown.riskMultiplier).dividedBy(10_000).floor().toNumber() * 10_000,
            ),
          );
          // Risk can only lower the quota.
          expect(r.quotaFen).toBeLessThanOrEqual(
            computeQuota({ payScore, avgMonthlySpendFen, balanceFen }, NO_RISK, policy).quotaFen,
          );
          if (risk.frozen) expect(r.quotaFen).toBe(0);
        },
      ),
    );
  });
});

describe('quota tips', () => {
  it('says how many pay-score points reach the next step, and what each part is worth', () => {
    const r = computeQuota(example, NO_RISK, policy);
    const tips = quotaTips(goodProfile(), r, policy);
    expect(tips[0]).toBe('支付分再提升 6 分，额度即可提升至 7400.00 元。');
    expect(tips.join('\n')).toContain('每提升 1 分，额度增加 10.00 元');
    expect(tips.join('\n')).toContain('月均消费的 8% 计入额度');
    expect(tips.join('\n')).toContain('零钱余额的 5% 计入额度');
    expect(tips[tips.length - 1]).toContain('按时还款');
  });

  it('explains a reduced quota', () => {
    const flagged = computeQuota(example, { frozen: false, cashOutFlag: true, openLevel2Events: 0 }, policy);
    expect(quotaTips(goodProfile(), flagged, policy)[0]).toContain('20%');
    const level2 = computeQuota(example, { frozen: false, cashOutFlag: false, openLevel2Events: 1 }, policy);
    expect(quotaTips(goodProfile(), level2, policy)[0]).toContain('50%');
    const frozen = computeQuota(example, { frozen: true, cashOutFlag: false, openLevel2Events: 0 }, policy);
    expect(quotaTips(goodProfile({ overdueCount: 1 }), frozen, policy)[0]).toContain('已冻结');
  });

  it('says when the cap is reached', () => {
    const r = computeQuota(
      { payScore: 850, avgMonthlySpendFen: MAX_INPUT_FEN, balanceFen: 0 },
      NO_RISK,
      policy,
    );
    const tips = quotaTips(goodProfile(), r, policy);
    expect(tips[0]).toBe('你的额度已达上限 200000.00 元。');
  });
});
