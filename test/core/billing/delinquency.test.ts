import {
  evaluateGraceEnd,
  freezeStartsAt,
  isDelinquent,
  overdueDays,
  shouldFreeze,
} from '../../../cloudfunctions/src/core/billing/delinquency';
import { accruedInterestToDate } from '../../../cloudfunctions/src/core/billing/interest';
import { toApiStatement } from '../../../cloudfunctions/src/core/billing/statement';
import { at, fen, nextStatement, novemberStatement, pay, policy } from './fixtures';

describe('nothing paid on the SPEC §5 example', () => {
  const s = novemberStatement('1000.00');
  const graced = evaluateGraceEnd(s, policy);
  const overdue = graced.statement;

  it('is overdue at grace end with pastDue = the whole minimum and an overdue record', () => {
    expect(graced.outcome).toBe('overdue');
    expect(overdue.status).toBe('overdue');
    expect(overdue.pastDueFen).toBe(fen('100.00'));
    expect(overdue.overdueSince).toBe(s.dueDate);
    expect(graced.overdueRecord).toEqual({
      statementId: 'st-2026-11',
      period: '2026-11',
      dueDate: s.dueDate,
      overdueSince: s.dueDate,
      pastDueFen: fen('100.00'),
      recordedAt: s.graceEndsAt,
      policyVersion: policy.version,
    });
    expect(isDelinquent(overdue)).toBe(true);
  });

  it('counts 3 overdue days on 14 Dec 00:00:01', () => {
    expect(overdueDays(at('2026-12-14 00:00:01'), overdue.overdueSince)).toBe(3);
    expect(toApiStatement(overdue, at('2026-12-14 00:00:01')).overdueDays).toBe(3);
    expect(overdueDays(at('2026-12-11 12:00'), overdue.overdueSince)).toBe(0);
    expect(overdueDays(at('2026-12-12 00:00'), overdue.overdueSince)).toBe(1);
    expect(overdueDays(at('2026-12-14 00:00:01'), undefined)).toBe(0);
  });

  it('freezes when overdue more than 30 days: from 11 Jan 2027 00:00 (31 days), not on 10 Jan', () => {
    const since = overdue.overdueSince!;
    expect(overdueDays(at('2027-01-10 23:59:59'), since)).toBe(30);
    expect(shouldFreeze(overdueDays(at('2027-01-10 23:59:59'), since), policy)).toBe(false);
    expect(overdueDays(at('2027-01-11 00:00'), since)).toBe(31);
    expect(shouldFreeze(overdueDays(at('2027-01-11 00:00'), since), policy)).toBe(true);
    expect(freezeStartsAt(since, policy)).toBe(at('2027-01-11'));
  });

  it('is idempotent: a second evaluation changes nothing and adds no record', () => {
    const again = evaluateGraceEnd(overdue, policy);
    expect(again.statement).toEqual(overdue);
    expect(again.overdueRecord).toBeUndefined();
  });

  it('repaying the past-due amount lifts overdue (and the freeze) though the rest stays open', () => {
    const cured = pay(overdue, 'minimum', '2026-12-20 09:00');
    expect(cured.quote.amountFen).toBe(fen('100.00'));
    expect(cured.statement.pastDueFen).toBe(0);
    expect(cured.statement.status).toBe('open');
    expect(cured.statement.overdueSince).toBeUndefined();
    expect(isDelinquent(cured.statement)).toBe(false);
  });

  it('carries pastDue and overdueSince into January; the freeze day follows the first due date', () => {
    const jan = nextStatement(overdue, '2026-12', '2027-01-01')!.statement;
    expect(jan.status).toBe('overdue');
    expect(jan.pastDueFen).toBe(fen('100.00'));
    expect(jan.overdueSince).toBe(s.dueDate);
    expect(jan.carriedPrincipalFen).toBe(fen('1000.00'));
    expect(jan.interestFen).toBe(fen('10.50')); // 1000.00 × 0.05% × 21
    // SPEC §5: 10% of billed principal + interest; the past-due 100.00 is in the carried principal.
    expect(jan.minimumDueFen).toBe(fen('100.00') + fen('10.50'));
    expect(toApiStatement(jan, at('2027-01-11 00:00')).overdueDays).toBe(31);

    // Still unpaid at the January grace end: the same delinquency, no second record; what is
    // past due is now January's minimum, which 110.50 paid any time clears.
    const janGraced = evaluateGraceEnd(jan, policy);
    expect(janGraced.outcome).toBe('overdue');
    expect(janGraced.overdueRecord).toBeUndefined();
    expect(janGraced.statement.pastDueFen).toBe(fen('110.50'));
    expect(janGraced.statement.overdueSince).toBe(s.dueDate);

    // A payoff on 15 Jan clears everything overdue.
    const now = '2027-01-15 10:00';
    const accrued = accruedInterestToDate(janGraced.statement, at(now), policy);
    expect(accrued).toBe(fen('7.00')); // 1000.00 × 0.05% × 14 days (1–14 Jan)
    const paid = pay(janGraced.statement, 'payoff', now, undefined, accrued).statement;
    expect(paid.pastDueFen).toBe(0);
    expect(paid.status).toBe('paid');
    expect(isDelinquent(paid)).toBe(false);
  });
});

describe('evaluateGraceEnd outcomes', () => {
  const s = novemberStatement('1000.00');

  it('paid ≥ minimum but not in full → stays open', () => {
    const r = evaluateGraceEnd(pay(s, 'custom', '2026-12-13 23:00', '150.00').statement, policy);
    expect(r.outcome).toBe('minimum_met');
    expect(r.statement.status).toBe('open');
    expect(r.statement.pastDueFen).toBe(0);
  });

  it('paid 60.00 < 100.00 → overdue with pastDue 40.00', () => {
    const r = evaluateGraceEnd(pay(s, 'custom', '2026-12-09 10:00', '60.00').statement, policy);
    expect(r.statement.status).toBe('overdue');
    expect(r.statement.pastDueFen).toBe(fen('40.00'));
  });

  it('judges from history: a payment made after grace (scheduler catching up) is still late', () => {
    const late = pay(s, 'full', '2026-12-20 10:00').statement;
    const r = evaluateGraceEnd(late, policy);
    expect(r.outcome).toBe('overdue');
    expect(r.overdueRecord?.pastDueFen).toBe(fen('100.00'));
    expect(r.statement.status).toBe('paid');
    expect(r.statement.pastDueFen).toBe(0);
  });
});
