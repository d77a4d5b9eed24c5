import { remainingFen, unpaidBuckets } from '../../../cloudfunctions/src/core/billing/ledger';
import { applyToUnbilled } from '../../../cloudfunctions/src/core/repayment/allocation';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import {
  quoteRepayment,
  toQuoteData,
  type QuoteInput,
} from '../../../cloudfunctions/src/core/repayment/quote';
import { at, BIG_FUNDS, fen, nextStatement, novemberStatement, pay, policy } from '../billing/fixtures';

const s = novemberStatement('1000.00');
const base: QuoteInput = {
  mode: 'full',
  channel: 'balance',
  statement: s,
  unbilled: {},
  accruedInterestFen: 0,
  plans: [],
  sourceFundsFen: BIG_FUNDS,
  policy,
};

describe('quoteRepayment (SPEC §6)', () => {
  it('full by bank card: 1000.00 + fee 1.00 = 1001.00, all to billed principal', () => {
    const q = quoteRepayment({ ...base, channel: 'bank_card' });
    if (!q.ok) throw new Error(q.code);
    expect(toQuoteData(q)).toEqual({
      amount: '1000.00',
      fee: '1.00',
      total: '1001.00',
      allocation: [{ target: 'billed_principal', amount: '1000.00', statementId: 'st-2026-11' }],
    });
  });

  it('minimum is what is left of the minimum', () => {
    const q1 = quoteRepayment({ ...base, mode: 'minimum' });
    expect(q1.ok && q1.amountFen).toBe(fen('100.00'));
    const after = pay(s, 'custom', '2026-12-05 10:00', '30.00').statement;
    const q2 = quoteRepayment({ ...base, mode: 'minimum', statement: after });
    expect(q2.ok && q2.amountFen).toBe(fen('70.00'));
    const q3 = quoteRepayment({
      ...base,
      mode: 'minimum',
      statement: pay(after, 'minimum', '2026-12-06').statement,
    });
    expect(q3).toMatchObject({ ok: false, code: 'NOTHING_DUE' });
  });

  it('custom beyond the statement reaches unbilled principal, oldest period first', () => {
    const unbilled = { '2026-12': fen('300.00'), '2027-01': fen('50.00') };
    const q = quoteRepayment({ ...base, mode: 'custom', amountFen: fen('1320.00'), unbilled });
    if (!q.ok) throw new Error(q.code);
    expect(q.allocation).toEqual([
      { target: 'billed_principal', amountFen: fen('1000.00'), statementId: s.id },
      { target: 'unbilled_principal', amountFen: fen('300.00'), period: '2026-12' },
      { target: 'unbilled_principal', amountFen: fen('20.00'), period: '2027-01' },
    ]);
    expect(applyToUnbilled(unbilled, q.allocation)).toEqual({ '2026-12': 0, '2027-01': fen('30.00') });
  });

  it('refuses OVERPAYMENT with the maximum; plans are not reachable by custom', () => {
    const q = quoteRepayment({
      ...base,
      mode: 'custom',
      amountFen: fen('1300.01'),
      unbilled: { '2026-12': fen('300.00') },
      plans: [{ planId: 'p1', payoffPrincipalFen: fen('500.00'), payoffInterestFen: fen('7.50') }],
    });
    expect(q).toEqual({
      ok: false,
      code: 'OVERPAYMENT',
      message: '自定义金额最多可还 1300.00 元，分期剩余本金请选择“全部结清”',
      details: { maxAmount: '1300.00', reason: 'plan_payoff_only' },
    });
  });

  it('refuses INSUFFICIENT_FUNDS when amount + fee exceeds the source', () => {
    const q = quoteRepayment({ ...base, channel: 'bank_card', sourceFundsFen: fen('1000.00') });
    expect(q).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_FUNDS',
      details: { channel: 'bank_card', required: '1001.00', available: '1000.00' },
    });
    expect(q.ok || q.message).toContain('银行卡可用金额不足');
    expect(quoteRepayment({ ...base, sourceFundsFen: fen('1000.00') }).ok).toBe(true);
  });

  it('refuses NOTHING_DUE when nothing is owed; a custom amount is then more than owed (OVERPAYMENT)', () => {
    for (const mode of ['full', 'minimum', 'payoff'] as const) {
      const q = quoteRepayment({ ...base, mode, amountFen: fen('1.00'), statement: null });
      expect(q).toMatchObject({ ok: false, code: 'NOTHING_DUE' });
    }
    expect(
      quoteRepayment({ ...base, mode: 'custom', amountFen: fen('1.00'), statement: null }),
    ).toMatchObject({
      ok: false,
      code: 'OVERPAYMENT',
      message: '当前没有需要还款的金额',
      details: { maxAmount: '0.00' },
    });
    const paid = pay(s, 'full', '2026-12-05').statement;
    expect(quoteRepayment({ ...base, statement: paid })).toMatchObject({ ok: false, code: 'NOTHING_DUE' });
  });

  it('refuses a custom quote without a positive amount', () => {
    expect(quoteRepayment({ ...base, mode: 'custom' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('payoff: interest → carried → installment dues → new → accrued → unbilled → plans', () => {
    const dec = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const jan = nextStatement(dec, '2026-12', '2027-01-01', '200.00', [
      { planId: 'p0', principalFen: fen('300.00'), interestFen: fen('4.50') },
    ])!.statement;
    const q = quoteRepayment({
      ...base,
      mode: 'payoff',
      statement: jan,
      accruedInterestFen: fen('1.80'),
      unbilled: { '2027-01': fen('80.00') },
      plans: [{ planId: 'p0', payoffPrincipalFen: fen('600.00'), payoffInterestFen: fen('4.50') }],
    });
    if (!q.ok) throw new Error(q.code);
    expect(q.allocation).toEqual([
      { target: 'interest', amountFen: fen('9.45'), statementId: jan.id },
      { target: 'billed_principal', amountFen: fen('1100.00'), statementId: jan.id },
      { target: 'installment', amountFen: fen('304.50'), statementId: jan.id, planId: 'p0' },
      { target: 'interest', amountFen: fen('1.80'), statementId: jan.id, accrued: true },
      { target: 'unbilled_principal', amountFen: fen('80.00'), period: '2027-01' },
      { target: 'installment', amountFen: fen('604.50'), planId: 'p0' },
    ]);
    expect(q.amountFen).toBe(fen('2100.25'));
    const paid = applyRepayment(jan, q.allocation, at('2027-01-05 10:00'));
    expect(remainingFen(paid)).toBe(0);
    expect(paid.status).toBe('paid');
  });

  it('custom pays carried principal, then installment dues (interest first), then new principal', () => {
    const dec = pay(s, 'custom', '2026-12-10 12:00', '100.00').statement;
    const jan = nextStatement(dec, '2026-12', '2027-01-01', '200.00', [
      { planId: 'p0', principalFen: fen('300.00'), interestFen: fen('4.50') },
    ])!.statement;
    const q = quoteRepayment({ ...base, mode: 'custom', amountFen: fen('1000.00'), statement: jan });
    if (!q.ok) throw new Error(q.code);
    expect(q.allocation.map((l) => [l.target, l.amountFen])).toEqual([
      ['interest', fen('9.45')],
      ['billed_principal', fen('900.00')],
      ['installment', fen('90.55')],
    ]);
    const after = applyRepayment(jan, q.allocation, at('2027-01-05 10:00'));
    expect(unpaidBuckets(after)).toEqual({
      interestFen: 0,
      carriedPrincipalFen: 0,
      installmentInterestFen: 0,
      installmentPrincipalFen: fen('213.95'),
      newPrincipalFen: fen('200.00'),
    });
    expect(after.payments[0]).toMatchObject({
      amountFen: fen('1000.00'),
      principalFen: fen('986.05'),
      interestFen: fen('13.95'),
    });
  });

  it('applyRepayment refuses allocations beyond what is owed', () => {
    expect(() =>
      applyRepayment(
        s,
        [{ target: 'billed_principal', amountFen: fen('1000.01'), statementId: s.id }],
        at('2026-12-05'),
      ),
    ).toThrow(/overpaid/);
    expect(() =>
      applyRepayment(
        s,
        [{ target: 'interest', amountFen: 1, statementId: s.id, accrued: true }],
        at('2026-12-05'),
      ),
    ).toThrow(/accrued/);
  });
});
