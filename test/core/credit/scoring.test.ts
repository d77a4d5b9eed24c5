import fc from 'fast-check';
import { scoreProfile } from '../../../cloudfunctions/src/core/credit/scoring';
import { goodProfile, policy } from './fixtures';

describe('weighted score (SPEC §2.2)', () => {
  it('scores 100 and approves a profile passing every dimension', () => {
    const r = scoreProfile(goodProfile(), policy);
    expect(r.score).toBe(100);
    expect(r.approved).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.dimensions.map((d) => d.key)).toEqual([
      'payScore',
      'activity',
      'stability',
      'social',
      'creditHistory',
    ]);
    expect(r.dimensions.every((d) => d.suggestion === undefined)).toBe(true);
  });

  it('rejects a profile scoring 55 with SCORE_TOO_LOW, listing every dimension and suggestions', () => {
    const r = scoreProfile(
      goodProfile({ monthlyPaymentCount: 10, friendCount: 50, overdueCount: 1, balanceFen: 80_000 }),
      policy,
    );
    expect(r.score).toBe(55);
    expect(r.approved).toBe(false);
    expect(r.reasons).toEqual(['SCORE_TOO_LOW']);
    expect(r.dimensions).toEqual([
      { key: 'payScore', label: '支付分', value: 700, threshold: 600, weight: 35, passed: true },
      {
        key: 'activity',
        label: '支付活跃度',
        value: 10,
        threshold: 15,
        weight: 25,
        passed: false,
        suggestion: expect.stringContaining('每月再多使用 5 笔'),
      },
      { key: 'stability', label: '零钱余额', value: '800.00', threshold: '500.00', weight: 20, passed: true },
      {
        key: 'social',
        label: '社交关系',
        value: 50,
        threshold: 200,
        weight: 15,
        passed: false,
        suggestion: expect.stringContaining('还差 150 位'),
      },
      {
        key: 'creditHistory',
        label: '信用记录',
        value: 1,
        threshold: 0,
        weight: 5,
        passed: false,
        suggestion: expect.stringContaining('1 条逾期记录'),
      },
    ]);
  });

  it('suggests how much more balance to keep', () => {
    const r = scoreProfile(goodProfile({ balanceFen: 12_345 }), policy);
    const stability = r.dimensions.find((d) => d.key === 'stability')!;
    expect(stability).toMatchObject({ value: '123.45', threshold: '500.00', passed: false });
    expect(stability.suggestion).toContain('再多保留 376.55 元');
    expect(r.score).toBe(80);
    expect(r.approved).toBe(true);
  });

  it('rejects pay score 580 with PAY_SCORE_TOO_LOW even though every other dimension passes (score 65)', () => {
    const r = scoreProfile(goodProfile({ payScore: 580 }), policy);
    expect(r.score).toBe(65);
    expect(r.approved).toBe(false);
    expect(r.reasons).toEqual(['PAY_SCORE_TOO_LOW', 'SCORE_TOO_LOW']);
    const pay = r.dimensions[0]!;
    expect(pay).toMatchObject({ key: 'payScore', value: 580, threshold: 600, weight: 35, passed: false });
    expect(pay.suggestion).toContain('还差 20 分');
  });

  it('requires the pay-score dimension even when the total would be enough', () => {
    const lenient = { ...policy, scoring: { ...policy.scoring, approveScore: 60 } };
    const r = scoreProfile(goodProfile({ payScore: 599 }), lenient);
    expect(r.score).toBe(65);
    expect(r.reasons).toEqual(['PAY_SCORE_TOO_LOW']);
  });

  it('approves at exactly 75 and thresholds are inclusive', () => {
    // pay score 35 + activity 25 + social 15 = 75
    const r = scoreProfile(
      goodProfile({
        payScore: 600,
        monthlyPaymentCount: 15,
        friendCount: 200,
        balanceFen: 49_999,
        overdueCount: 2,
      }),
      policy,
    );
    expect(r.score).toBe(75);
    expect(r.approved).toBe(true);
  });

  it('property: score is within 0..100 and equals the sum of the passed weights', () => {
    fc.assert(
      fc.property(
        fc.record({
          payScore: fc.integer({ min: 300, max: 850 }),
          monthlyPaymentCount: fc.integer({ min: 0, max: 200 }),
          balanceFen: fc.integer({ min: 0, max: 1_000_000_000 }),
          friendCount: fc.integer({ min: 0, max: 5000 }),
          overdueCount: fc.integer({ min: 0, max: 20 }),
        }),
        (p) => {
          const r = scoreProfile(p, policy);
          const sum = r.dimensions.filter((d) => d.passed).reduce((s, d) => s + d.weight, 0);
          expect(r.score).toBe(sum);
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(100);
          const payPassed = r.dimensions[0]!.passed;
          expect(r.approved).toBe(payPassed && r.score >= 75);
          for (const d of r.dimensions) expect(d.suggestion === undefined).toBe(d.passed);
        },
      ),
    );
  });
});
