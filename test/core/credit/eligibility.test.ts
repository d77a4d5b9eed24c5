import { checkEligibility } from '../../../cloudfunctions/src/core/credit/eligibility';
import { atLocal, toIso } from '../../../cloudfunctions/src/core/time';
import { goodProfile, NOW, policy } from './fixtures';

describe('hard gates (SPEC §2.1)', () => {
  it('passes a complete adult profile', () => {
    expect(checkEligibility(goodProfile(), NOW, policy)).toEqual({ eligible: true, reasons: [] });
  });

  it('reports every failed gate, in order', () => {
    const r = checkEligibility(
      goodProfile({ realNameVerified: false, age: 17, bankCards: 0, payHistoryDays: 10 }),
      NOW,
      policy,
    );
    expect(r.eligible).toBe(false);
    expect(r.reasons).toEqual([
      'REAL_NAME_REQUIRED',
      'UNDERAGE',
      'BANK_CARD_REQUIRED',
      'PAY_HISTORY_TOO_SHORT',
    ]);
  });

  it('treats 18 as adult and 17 as under age', () => {
    expect(checkEligibility(goodProfile({ age: 18 }), NOW, policy).reasons).toEqual([]);
    expect(checkEligibility(goodProfile({ age: 17 }), NOW, policy).reasons).toEqual(['UNDERAGE']);
  });

  it('accepts exactly 90 days of pay history', () => {
    const r = checkEligibility(goodProfile({ payHistoryDays: 90 }), NOW, policy);
    expect(r).toEqual({ eligible: true, reasons: [] });
  });

  it('gives the candidate-pool date: 60 days of history → Shanghai midnight 30 days later', () => {
    const r = checkEligibility(goodProfile({ payHistoryDays: 60 }), NOW, policy);
    expect(r.reasons).toEqual(['PAY_HISTORY_TOO_SHORT']);
    expect(r.candidatePoolAt).toBe(atLocal(2026, 12, 15));
    expect(toIso(r.candidatePoolAt!)).toBe('2026-12-15T00:00:00+08:00');
  });

  it('counts days on the Shanghai calendar, not UTC', () => {
    // 01:00 on 16 Nov in Shanghai is still 15 Nov in UTC.
    const r = checkEligibility(goodProfile({ payHistoryDays: 89 }), atLocal(2026, 11, 16, 1), policy);
    expect(toIso(r.candidatePoolAt!)).toBe('2026-11-17T00:00:00+08:00');
  });
});
