import { autoDebitAmount, decideAutoDebit } from '../../../cloudfunctions/src/core/billing/autoDebit';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import { at, fen, novemberStatement, pay, policy } from './fixtures';

describe('auto-debit on the due date', () => {
  const s = novemberStatement('1000.00');

  it('debits the whole remaining, free even from the bank card', () => {
    const partly = pay(s, 'custom', '2026-12-05 10:00', '300.00').statement;
    expect(autoDebitAmount(partly)).toBe(fen('700.00'));
    const d = decideAutoDebit(partly, 'bank_card', fen('700.00'), policy);
    expect(d).toEqual({
      action: 'debit',
      amountFen: fen('700.00'),
      allocation: [{ target: 'billed_principal', amountFen: fen('700.00'), statementId: s.id }],
    });
    if (d.action !== 'debit') throw new Error('expected a debit');
    expect(applyRepayment(partly, d.allocation, at('2026-12-10 09:00')).status).toBe('paid');
  });

  it('takes the minimum when the source covers it but not the whole, and says what is left', () => {
    const d = decideAutoDebit(s, 'bank_card', fen('999.99'), policy);
    expect(d).toMatchObject({
      action: 'debit_minimum',
      amountFen: fen('100.00'),
      allocation: [{ target: 'billed_principal', amountFen: fen('100.00'), statementId: s.id }],
    });
    if (d.action !== 'debit_minimum') throw new Error('expected the minimum');
    expect(d.title).toBe('自动还款：已还最低还款额');
    expect(d.message).toBe(
      '银行卡可用金额不足以全额还款，已自动扣除本期最低还款额 100.00 元，本期不会逾期。' +
        '剩余 900.00 元在 12月13日 23:59:59 前还清可免利息，之后未还部分按日计息。',
    );
  });

  it('takes nothing when the minimum is already paid and the whole is short: no overdue to avert', () => {
    const partly = pay(s, 'custom', '2026-12-05 10:00', '150.00').statement;
    const d = decideAutoDebit(partly, 'balance', fen('849.99'), policy);
    expect(d).toMatchObject({ action: 'insufficient_funds', amountFen: fen('850.00') });
    if (d.action !== 'insufficient_funds') throw new Error('expected a refusal');
    expect(d.message).toContain('本期最低还款额已还足，不会逾期；在 12月13日 23:59:59 前还清可免利息');
  });

  it('takes nothing when the source is short even for the minimum, and says so in Chinese', () => {
    const d = decideAutoDebit(s, 'balance', fen('99.99'), policy);
    expect(d).toMatchObject({
      action: 'insufficient_funds',
      amountFen: fen('1000.00'),
      availableFen: fen('99.99'),
    });
    if (d.action !== 'insufficient_funds') throw new Error('expected a refusal');
    expect(d.message).toContain('零钱可用金额不足');
    expect(d.message).toContain('最低还款 100.00 元');
    expect(d.message).toContain('12月13日 23:59:59');
  });

  it('does nothing for a paid statement', () => {
    const paid = pay(s, 'full', '2026-12-05 10:00').statement;
    expect(autoDebitAmount(paid)).toBe(0);
    expect(decideAutoDebit(paid, 'balance', fen('5000.00'), policy)).toEqual({ action: 'none' });
  });
});
