import { repaymentFeeFen } from '../../../cloudfunctions/src/core/repayment/fees';
import { fen, policy } from '../billing/fixtures';

describe('repayment fees (SPEC §6)', () => {
  it.each([
    ['1000.00', '1.00'],
    ['5.00', '0.01'],
    ['0.01', '0.01'],
    ['1234.40', '1.23'],
    ['1235.00', '1.24'], // 1.235 rounds half-up
    ['14.99', '0.01'],
    ['15.00', '0.02'], // 0.015 rounds half-up
  ])('bank card: %s → fee %s', (amount, fee) => {
    expect(repaymentFeeFen(fen(amount), 'bank_card', policy)).toBe(fen(fee));
  });

  it('零钱 is free', () => {
    expect(repaymentFeeFen(fen('1000.00'), 'balance', policy)).toBe(0);
  });
});
