import {
  accruedInterestToDate,
  billableInterest,
  interestBearingPrincipal,
  interestForDays,
} from '../../../cloudfunctions/src/core/billing/interest';
import { paidInFullByGrace } from '../../../cloudfunctions/src/core/billing/ledger';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import { quoteRepayment } from '../../../cloudfunctions/src/core/repayment/quote';
import { at, BIG_FUNDS, fen, nextStatement, novemberStatement, pay, policy } from './fixtures';

describe('interest day counting (SPEC §5)', () => {
  const s = novemberStatement('1000.00');

  it('1000.00 billed 1 Dec, 100.00 paid 10 Dec: 21 days (11–31 Dec) × 900.00 × 0.05% = exactly 9.45', () => {
    const after = pay(s, 'custom', '2026-12-10 23:00', '100.00').statement;
    expect(interestForDays(after, '2026-12-11', '2026-12-31', policy).toFixed()).toBe('9.45');
    // Nothing up to and including the due date.
    expect(interestForDays(after, '2026-12-01', '2026-12-10', policy).isZero()).toBe(true);
    expect(interestBearingPrincipal(after, '2026-12-10')).toBe(0);
    expect(interestBearingPrincipal(after, '2026-12-11')).toBe(fen('900.00'));
    expect(billableInterest(after, at('2027-01-01'), policy)).toEqual({
      fen: fen('9.45'),
      firstDay: '2026-12-01',
      lastDay: '2026-12-31',
    });
  });

  it('a payment in the last second of grace is on time: interest-free', () => {
    const paid = applyRepayment(
      s,
      [{ target: 'billed_principal', amountFen: fen('1000.00'), statementId: s.id }],
      at('2026-12-13 23:59:59') + 500,
    );
    expect(paidInFullByGrace(paid)).toBe(true);
    expect(interestForDays(paid, '2026-12-01', '2026-12-31', policy).isZero()).toBe(true);
  });

  it('paid in full one second after grace: interest for 11–13 Dec on 1000.00 = 1.50', () => {
    const paid = pay(s, 'full', '2026-12-14 00:00:00').statement;
    expect(paidInFullByGrace(paid)).toBe(false);
    expect(billableInterest(paid, at('2027-01-01'), policy).fen).toBe(fen('1.50'));
  });

  it('a day bears interest only if the principal is unpaid at its end', () => {
    const after = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const paid = pay(after, 'full', '2026-12-20 00:00:01').statement;
    expect(interestBearingPrincipal(paid, '2026-12-19')).toBe(fen('900.00'));
    expect(interestBearingPrincipal(paid, '2026-12-20')).toBe(0);
    expect(billableInterest(paid, at('2027-01-01'), policy).fen).toBe(fen('4.05'));
  });
});

describe('accruedInterestToDate (payoff quotes)', () => {
  const s = novemberStatement('1000.00');

  it('is 0 inside grace with nothing paid: a payoff now would be interest-free', () => {
    expect(accruedInterestToDate(s, at('2026-12-12 10:00'), policy)).toBe(0);
  });

  it('counts complete days only: 20 Dec 10:00 after 100.00 on 10 Dec → 11–19 Dec = 4.05', () => {
    const after = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    expect(accruedInterestToDate(after, at('2026-12-20 10:00'), policy)).toBe(fen('4.05'));
    expect(accruedInterestToDate(after, at('2026-12-20 00:00'), policy)).toBe(fen('4.05'));
  });

  it('a payoff pays it ahead, leaves nothing behind, and the next statement does not bill it again', () => {
    const after = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const now = '2026-12-20 10:00';
    const accrued = accruedInterestToDate(after, at(now), policy);
    const { statement: paid, quote } = pay(after, 'payoff', now, undefined, accrued);
    expect(quote.amountFen).toBe(fen('904.05'));
    expect(paid.status).toBe('paid');
    expect(paid.accruedInterestPaidFen).toBe(fen('4.05'));
    expect(accruedInterestToDate(paid, at('2026-12-28'), policy)).toBe(0);
    expect(nextStatement(paid, '2026-12', '2027-01-01')).toBeNull();
  });

  it('a custom amount covering part of the accrued interest leaves the rest to be billed', () => {
    const after = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const accrued = accruedInterestToDate(after, at('2026-12-20 10:00'), policy);
    const paid = pay(after, 'custom', '2026-12-20 10:00', '902.00', accrued).statement;
    expect(paid.accruedInterestPaidFen).toBe(fen('2.00'));
    expect(nextStatement(paid, '2026-12', '2027-01-01')!.statement.interestFen).toBe(fen('2.05'));
  });

  it('carried principal accrues from the statement date even inside grace', () => {
    const dec = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const jan = nextStatement(dec, '2026-12', '2027-01-01')!.statement;
    // 1–4 Jan on 900.00.
    const accrued = accruedInterestToDate(jan, at('2027-01-05 10:00'), policy);
    expect(accrued).toBe(fen('1.80'));
    const q = quoteRepayment({
      mode: 'payoff',
      channel: 'balance',
      statement: jan,
      unbilled: {},
      accruedInterestFen: accrued,
      plans: [],
      sourceFundsFen: BIG_FUNDS,
      policy,
    });
    if (!q.ok) throw new Error(q.code);
    expect(q.amountFen).toBe(fen('909.45') + fen('1.80'));
    const paid = applyRepayment(jan, q.allocation, at('2027-01-05 10:00'));
    expect(paid.status).toBe('paid');
    expect(nextStatement(paid, '2027-01', '2027-02-01')).toBeNull();
  });
});
