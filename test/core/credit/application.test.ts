import {
  canReapply,
  decideApplication,
  reapplyAt,
  toCreditApplyData,
} from '../../../cloudfunctions/src/core/credit/application';
import { DAY_MS, atLocal } from '../../../cloudfunctions/src/core/time';
import { goodProfile, NOW, policy } from './fixtures';

describe('application decision (SPEC §2)', () => {
  it('approves a good profile with quota 7300.00 and records the policy version', () => {
    const d = decideApplication({ profile: goodProfile(), now: NOW, policy });
    expect(d).toMatchObject({
      decision: 'approved',
      score: 100,
      reasons: [],
      quotaFen: 730_000,
      policyVersion: '2026-11.v1',
    });
    expect(d.reapplyAt).toBeUndefined();
    expect(toCreditApplyData(d)).toMatchObject({
      decision: 'approved',
      quota: '7300.00',
      breakdown: {
        base: '7000.00',
        spend: '240.00',
        deposit: '100.00',
        raw: '7340.00',
        riskMultiplier: '1',
        cap: '200000.00',
      },
    });
  });

  it('reports an under-age applicant without a bank card with both gates, and still scores', () => {
    const d = decideApplication({ profile: goodProfile({ age: 16, bankCards: 0 }), now: NOW, policy });
    expect(d.decision).toBe('rejected');
    expect(d.reasons).toEqual(['UNDERAGE', 'BANK_CARD_REQUIRED']);
    expect(d.score).toBe(100);
    expect(d.dimensions).toHaveLength(5);
    expect(d.quotaFen).toBeUndefined();
  });

  it('lists gates and score reasons together', () => {
    const d = decideApplication({
      profile: goodProfile({ age: 16, bankCards: 0, payScore: 580, realNameVerified: false }),
      now: NOW,
      policy,
    });
    expect(d.reasons).toEqual([
      'REAL_NAME_REQUIRED',
      'UNDERAGE',
      'BANK_CARD_REQUIRED',
      'PAY_SCORE_TOO_LOW',
      'SCORE_TOO_LOW',
    ]);
  });

  it('rejects a short pay history with the candidate-pool date 30 days later', () => {
    const d = decideApplication({ profile: goodProfile({ payHistoryDays: 60 }), now: NOW, policy });
    expect(d.reasons).toEqual(['PAY_HISTORY_TOO_SHORT']);
    expect(d.candidatePoolAt).toBe(atLocal(2026, 12, 15));
    expect(toCreditApplyData(d).candidatePoolAt).toBe('2026-12-15T00:00:00+08:00');
  });

  it('rejects a score of 55 with SCORE_TOO_LOW and a reapply date', () => {
    const d = decideApplication({
      profile: goodProfile({ monthlyPaymentCount: 3, friendCount: 20, overdueCount: 2 }),
      now: NOW,
      policy,
    });
    expect(d).toMatchObject({ decision: 'rejected', score: 55, reasons: ['SCORE_TOO_LOW'] });
    expect(d.dimensions.filter((x) => !x.passed).every((x) => typeof x.suggestion === 'string')).toBe(true);
    expect(toCreditApplyData(d).reapplyAt).toBe('2026-11-22T14:30:00+08:00');
  });

  it('rejects pay score 580 with PAY_SCORE_TOO_LOW (score 65)', () => {
    const d = decideApplication({ profile: goodProfile({ payScore: 580 }), now: NOW, policy });
    expect(d.score).toBe(65);
    expect(d.reasons).toContain('PAY_SCORE_TOO_LOW');
  });

  it('rejects a quota under 500.00 with QUOTA_TOO_LOW and shows the breakdown', () => {
    // With the default policy a passing pay score alone is worth 6000.00; use a leaner policy.
    const lean = { ...policy, quota: { ...policy.quota, payScoreFactorFen: 50 } };
    const d = decideApplication({ profile: goodProfile({ avgMonthlySpendFen: 0 }), now: NOW, policy: lean });
    // 700 × 0.50 + 0 + 2000.00 × 5% = 450.00 → 400.00
    expect(d.decision).toBe('rejected');
    expect(d.reasons).toEqual(['QUOTA_TOO_LOW']);
    expect(d.quotaFen).toBeUndefined();
    expect(toCreditApplyData(d).breakdown).toMatchObject({
      base: '350.00',
      deposit: '100.00',
      raw: '450.00',
    });
  });

  it('opens at exactly 500.00', () => {
    const lean = { ...policy, quota: { ...policy.quota, payScoreFactorFen: 50 } };
    const d = decideApplication({
      profile: goodProfile({ avgMonthlySpendFen: 0, balanceFen: 300_000 }),
      now: NOW,
      policy: lean,
    });
    // 350.00 + 150.00 = 500.00
    expect(d).toMatchObject({ decision: 'approved', quotaFen: 50_000 });
  });

  it('allows a new application 7 days after a rejection, not before', () => {
    expect(reapplyAt(NOW, policy)).toBe(NOW + 7 * DAY_MS);
    expect(canReapply(NOW, NOW + 7 * DAY_MS - 1, policy)).toBe(false);
    expect(canReapply(NOW, NOW + 7 * DAY_MS, policy)).toBe(true);
  });
});
