import {
  evaluateGraceEnd,
  freezeStartsAt,
  isDelinquent,
  overdueDays,
  shouldFreeze,
} from '../../../cloudfunctions/src/core/billing/delinquency';
import { accruedInterestToDate } from '../../../cloudfunctions/src/core/billing/interest';
import { convertiblePrincipalFen, toApiStatement } from '../../../cloudfunctions/src/core/billing/statement';
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

describe('a missed installment due', () => {
  const due = { planId: 'p1', principalFen: fen('1014.92'), interestFen: fen('15.22') };
  const dec = nextStatement(null, '2026-11', '2026-12-01', '0.00', [due])!.statement;
  const decGraced = evaluateGraceEnd(dec, policy).statement;
  const jan = nextStatement(decGraced, '2026-12', '2027-01-01')!.statement;

  it('stays past due in full: the next minimum is at least the 1030.14 carried in', () => {
    expect(dec.minimumDueFen).toBe(fen('1030.14'));
    expect(decGraced).toMatchObject({ status: 'overdue', pastDueFen: fen('1030.14') });
    // Carried as principal 1014.92 and interest 15.22 + 10.66 (21 days): the formula gives
    // 101.49 + 25.88 = 127.37, which would leave most of the missed installment unpaid.
    expect(jan).toMatchObject({ carriedPrincipalFen: fen('1014.92'), interestFen: fen('25.88') });
    expect(jan.minimumDueFen).toBe(fen('1030.14'));
  });

  it('a smaller shortfall at the next grace end never replaces the past-due amount carried in', () => {
    // A statement issued before the minimum covered the past-due amount (stored with 127.37).
    const old = { ...jan, minimumDueFen: fen('127.37') };
    const graced = evaluateGraceEnd(old, policy);
    expect(graced.outcome).toBe('overdue');
    expect(graced.statement.pastDueFen).toBe(fen('1030.14'));
    // Paying that smaller minimum after grace leaves the rest past due.
    const paid = pay(graced.statement, 'custom', '2027-01-20 10:00', '127.37').statement;
    expect(paid.pastDueFen).toBe(fen('1030.14') - fen('127.37'));
    expect(isDelinquent(paid)).toBe(true);
    // "The minimum" on such a statement is what is past due, and paying it ends the delinquency.
    const minimum = pay(paid, 'minimum', '2027-01-21 10:00');
    expect(minimum.quote.amountFen).toBe(fen('1030.14') - fen('127.37'));
    expect(isDelinquent(minimum.statement)).toBe(false);
  });

  it('cannot become installments while past due', () => {
    expect(convertiblePrincipalFen(jan, at('2027-01-05 10:00'))).toBe(0);
    const cured = pay(jan, 'minimum', '2027-01-05 10:00').statement;
    expect(cured.pastDueFen).toBe(0);
    // 1030.14 paid: interest 25.88 first, then 1004.26 of the principal; the 10.66 left is the
    // installment's own principal, which is never converted again.
    expect(convertiblePrincipalFen(cured, at('2027-01-05 10:00'))).toBe(0);
  });
});

describe('carried principal from an installment due', () => {
  // December bills a 190.00 purchase and an installment due of 810.00 (+ 15.00 interest); nothing is
  // paid, so January carries 1000.00 of principal, 810.00 of it already in a plan.
  const due = { planId: 'p1', principalFen: fen('810.00'), interestFen: fen('15.00') };
  const dec = nextStatement(null, '2026-11', '2026-12-01', '190.00', [due])!.statement;
  const jan = nextStatement(dec, '2026-12', '2027-01-01')!.statement;

  it('is never converted again: only the purchase part of the carried principal is convertible', () => {
    expect(jan).toMatchObject({
      carriedPrincipalFen: fen('1000.00'),
      carriedInstallmentPrincipalFen: fen('810.00'),
    });
    expect(convertiblePrincipalFen(jan, at('2027-01-05 10:00'))).toBe(fen('190.00'));
    // Payments are taken to repay the convertible part first.
    const paid = pay(jan, 'custom', '2027-01-05 10:00', '200.00');
    const toPrincipal = paid.quote.allocation
      .filter((l) => l.target === 'billed_principal')
      .reduce((n, l) => n + l.amountFen, 0);
    expect(convertiblePrincipalFen(paid.statement, at('2027-01-05 11:00'))).toBe(
      Math.max(0, fen('190.00') - toPrincipal),
    );
    // Carried on again (nothing more paid): the installment part keeps its origin.
    const feb = nextStatement(jan, '2027-01', '2027-02-01')!.statement;
    expect(feb.carriedInstallmentPrincipalFen).toBe(fen('810.00'));
    expect(convertiblePrincipalFen(feb, at('2027-02-05 10:00'))).toBe(fen('190.00'));
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
