import { evaluateGraceEnd } from '../../../cloudfunctions/src/core/billing/delinquency';
import { remainingFen, unpaidBuckets } from '../../../cloudfunctions/src/core/billing/ledger';
import {
  applyConversion,
  billablePrincipal,
  convertiblePrincipalFen,
  periodBilledAt,
  toApiStatement,
  toApiStatementDetail,
} from '../../../cloudfunctions/src/core/billing/statement';
import { addMonths, statementDates } from '../../../cloudfunctions/src/core/billing/dates';
import { toIso } from '../../../cloudfunctions/src/core/time';
import { at, fen, nextStatement, novemberStatement, pay, policy } from './fixtures';

describe('SPEC §5 example: 1000.00 spent in November', () => {
  const s = novemberStatement('1000.00');

  it('is the statement of period 2026-11 issued on 1 Dec, due 10 Dec 23:59:59, grace to 13 Dec 23:59:59', () => {
    expect(s.period).toBe('2026-11');
    expect(toIso(s.statementDate)).toBe('2026-12-01T00:00:00+08:00');
    expect(toIso(s.dueDate)).toBe('2026-12-10T23:59:59+08:00');
    expect(toIso(s.graceEndsAt)).toBe('2026-12-13T23:59:59+08:00');
  });

  it('bills 1000.00 with a minimum of 100.00', () => {
    expect(s.balanceFen).toBe(fen('1000.00'));
    expect(s.minimumDueFen).toBe(fen('100.00'));
    expect(s.status).toBe('open');
    expect(toApiStatement(s, at('2026-12-01 08:00'))).toEqual({
      id: 'st-2026-11',
      period: '2026-11',
      statementDate: '2026-12-01T00:00:00+08:00',
      dueDate: '2026-12-10T23:59:59+08:00',
      graceEndsAt: '2026-12-13T23:59:59+08:00',
      balance: '1000.00',
      principal: '1000.00',
      interest: '0.00',
      installments: '0.00',
      minimumDue: '100.00',
      minimumOutstanding: '100.00',
      paid: '0.00',
      remaining: '1000.00',
      status: 'open',
      overdueDays: 0,
      carriedForward: '0.00',
      converted: '0.00',
    });
  });

  it('paid in full on 12 Dec (inside grace): paid, and the January statement bills no interest', () => {
    const paid = pay(s, 'full', '2026-12-12 09:30').statement;
    expect(paid.status).toBe('paid');
    expect(paid.paidInFullAt).toBe(at('2026-12-12 09:30'));
    expect(evaluateGraceEnd(paid, policy).outcome).toBe('paid_in_full');
    // Nothing at all to bill in January: no statement is issued.
    expect(nextStatement(paid, '2026-12', '2027-01-01')).toBeNull();
    const jan = nextStatement(paid, '2026-12', '2027-01-01', '200.00')!;
    expect(jan.statement.interestFen).toBe(0);
    expect(jan.statement.carriedPrincipalFen).toBe(0);
    expect(jan.statement.balanceFen).toBe(fen('200.00'));
    expect(jan.statement.minimumDueFen).toBe(fen('50.00'));
  });

  it('100.00 paid on 10 Dec: not overdue; 1 Jan bills 900.00 × 0.05% × 21 = 9.45, balance 909.45, minimum 99.45', () => {
    const after = pay(s, 'custom', '2026-12-10 20:00', '100.00').statement;
    const graced = evaluateGraceEnd(after, policy);
    expect(graced.outcome).toBe('minimum_met');
    expect(graced.statement.status).toBe('open');
    expect(graced.overdueRecord).toBeUndefined();

    const jan = nextStatement(graced.statement, '2026-12', '2027-01-01')!;
    expect(jan.statement.period).toBe('2026-12');
    expect(jan.statement.interestFen).toBe(fen('9.45'));
    expect(jan.statement.carriedPrincipalFen).toBe(fen('900.00'));
    expect(jan.statement.balanceFen).toBe(fen('909.45'));
    expect(jan.statement.minimumDueFen).toBe(fen('99.45'));
    expect(jan.statement.status).toBe('open');
    expect(toIso(jan.statement.dueDate)).toBe('2027-01-10T23:59:59+08:00');

    // The December statement is carried: its remainder lives on the January one.
    const dec = jan.previousAfter!;
    expect(dec.status).toBe('carried');
    expect(dec.carriedForwardFen).toBe(fen('900.00'));
    expect(remainingFen(dec)).toBe(0);
    expect(dec.interestBilledThrough).toBe('2026-12-31');
    expect(toApiStatement(dec, at('2027-01-01')).carriedForward).toBe('900.00');
  });

  it('minimum 100.00 on 10 Dec, the rest on 20 Dec: paid, and 1 Jan bills 9 days × 0.45 = 4.05 with no purchases', () => {
    const min = pay(s, 'minimum', '2026-12-10 12:00');
    expect(min.quote.amountFen).toBe(fen('100.00'));
    const full = pay(min.statement, 'full', '2026-12-20 12:00');
    expect(full.quote.amountFen).toBe(fen('900.00'));
    expect(full.statement.status).toBe('paid');

    const jan = nextStatement(full.statement, '2026-12', '2027-01-01')!;
    expect(jan.statement.interestFen).toBe(fen('4.05'));
    expect(jan.statement.balanceFen).toBe(fen('4.05'));
    expect(jan.statement.minimumDueFen).toBe(fen('4.05')); // at most the balance
    expect(jan.statement.carriedPrincipalFen).toBe(0);
    expect(jan.previousAfter!.status).toBe('paid');
    expect(jan.previousAfter!.carriedForwardFen).toBe(0);
    expect(jan.statement.lines).toEqual([
      expect.objectContaining({ kind: 'interest', amountFen: fen('4.05') }),
    ]);
  });
});

describe('buildStatement', () => {
  it('issues no statement when there is nothing to bill', () => {
    expect(nextStatement(null, '2026-11', '2026-12-01')).toBeNull();
  });

  it('computes December periods across the year end', () => {
    const d = statementDates('2026-12', policy);
    expect(toIso(d.statementDate)).toBe('2027-01-01T00:00:00+08:00');
    expect(toIso(d.dueDate)).toBe('2027-01-10T23:59:59+08:00');
    expect(toIso(d.graceEndsAt)).toBe('2027-01-13T23:59:59+08:00');
    expect(periodBilledAt(d.statementDate)).toBe('2026-12');
  });

  it('counts periods across year ends', () => {
    expect(addMonths('2026-11', 0)).toBe('2026-11');
    expect(addMonths('2026-11', 1)).toBe('2026-12');
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-11', 14)).toBe('2028-01');
  });

  it('refuses a statement date that is not the 1st after the period', () => {
    expect(() => nextStatement(null, '2026-11', '2026-12-02', '10.00')).toThrow(/must be issued at/);
  });

  it('bills nothing twice when re-run with previousAfter', () => {
    const s = pay(novemberStatement(), 'custom', '2026-12-10 12:00', '100.00').statement;
    const first = nextStatement(s, '2026-12', '2027-01-01')!;
    expect(nextStatement(first.previousAfter, '2026-12', '2027-01-01')).toBeNull();
  });

  it('keeps billing carried principal: interest on principal only, never on interest', () => {
    const s = pay(novemberStatement(), 'custom', '2026-12-10 12:00', '100.00').statement;
    const jan = nextStatement(s, '2026-12', '2027-01-01')!.statement;
    // Nothing paid in January: 900.00 × 0.05% × 31 = 13.95 new interest, 9.45 carried as interest.
    const feb = nextStatement(jan, '2027-01', '2027-02-01')!.statement;
    expect(feb.carriedPrincipalFen).toBe(fen('900.00'));
    expect(feb.interestFen).toBe(fen('9.45') + fen('13.95'));
  });

  it('replays January payments: minimum 99.45 on 10 Jan pays the 9.45 interest first, then 90.00 principal', () => {
    const s = pay(novemberStatement(), 'custom', '2026-12-10 12:00', '100.00').statement;
    const jan = nextStatement(s, '2026-12', '2027-01-01')!.statement;
    const paidJan = pay(jan, 'minimum', '2027-01-10 12:00').statement;
    expect(unpaidBuckets(paidJan).interestFen).toBe(0);
    expect(unpaidBuckets(paidJan).carriedPrincipalFen).toBe(fen('810.00'));
    // 900.00 for 1–9 Jan, 810.00 for 10–31 Jan: 4.05 + 8.91.
    const feb = nextStatement(paidJan, '2027-01', '2027-02-01')!.statement;
    expect(feb.interestFen).toBe(fen('12.96'));
    expect(feb.carriedPrincipalFen).toBe(fen('810.00'));
  });

  it('bills installment dues: minimum = 10% of principal + all dues', () => {
    const s = novemberStatement('1000.00', [
      { planId: 'p1', principalFen: fen('1000.00'), interestFen: fen('45.00') },
    ]);
    expect(s.balanceFen).toBe(fen('2045.00'));
    expect(s.minimumDueFen).toBe(fen('100.00') + fen('1045.00'));
    expect(toApiStatement(s, at('2026-12-02')).installments).toBe('1045.00');
    expect(toApiStatementDetail(s, at('2026-12-02')).lines.map((l) => [l.kind, l.amount])).toEqual([
      ['installment', '1045.00'],
      ['purchase', '1000.00'],
    ]);
  });

  it('billablePrincipal sums this period and earlier leftovers', () => {
    expect(
      billablePrincipal({ '2026-09': 0, '2026-10': 500, '2026-11': 1000, '2026-12': 7 }, '2026-11'),
    ).toEqual({
      fen: 1500,
      periods: ['2026-10', '2026-11'],
    });
  });
});

describe('conversion to installments', () => {
  it('converted principal leaves the statement and bears no interest', () => {
    const s = novemberStatement('1000.00');
    expect(convertiblePrincipalFen(s, at('2026-12-05'))).toBe(fen('1000.00'));
    expect(convertiblePrincipalFen(s, at('2026-12-14'))).toBe(0);
    const converted = applyConversion(s, fen('900.00'), at('2026-12-05'), 'plan1');
    expect(converted.convertedFen).toBe(fen('900.00'));
    expect(remainingFen(converted)).toBe(fen('100.00'));
    const paid = pay(converted, 'full', '2026-12-10 12:00').statement;
    expect(paid.status).toBe('paid');
    expect(nextStatement(paid, '2026-12', '2027-01-01')).toBeNull();
    expect(() => applyConversion(s, fen('1000.01'), at('2026-12-05'))).toThrow();
  });

  it('says what the minimum still asks: 100.00, 40.00 after 60.00 paid, 0.00 once met', () => {
    const s = novemberStatement('1000.00');
    expect(toApiStatement(s, at('2026-12-02 08:00')).minimumOutstanding).toBe('100.00');
    const partly = pay(s, 'custom', '2026-12-03 10:00', '60.00').statement;
    expect(toApiStatement(partly, at('2026-12-03 11:00')).minimumOutstanding).toBe('40.00');
    const met = pay(partly, 'custom', '2026-12-04 10:00', '50.00').statement;
    expect(toApiStatement(met, at('2026-12-04 11:00')).minimumOutstanding).toBe('0.00');
  });
});
