import { minimumPaymentFen } from '../../../cloudfunctions/src/core/billing/minimumPayment';
import { fen, policy } from './fixtures';

const zero = {
  carriedPrincipalFen: 0,
  newPrincipalFen: 0,
  installmentPrincipalFen: 0,
  installmentInterestFen: 0,
  interestFen: 0,
  pastDueFen: 0,
};

describe('minimum payment (SPEC §5)', () => {
  it.each([
    ['1000.00', '100.00'],
    ['300.00', '50.00'],
    ['30.00', '30.00'],
    ['999.95', '100.00'],
  ])('%s billed → minimum %s', (billed, minimum) => {
    expect(minimumPaymentFen({ ...zero, newPrincipalFen: fen(billed) }, policy)).toBe(fen(minimum));
  });

  it('900.00 carried + 9.45 interest → 90.00 + 9.45 = 99.45', () => {
    const m = minimumPaymentFen(
      { ...zero, carriedPrincipalFen: fen('900.00'), interestFen: fen('9.45') },
      policy,
    );
    expect(m).toBe(fen('99.45'));
  });

  it('adds all installment dues, capped at the balance', () => {
    const input = {
      ...zero,
      carriedPrincipalFen: fen('1000.00'),
      interestFen: fen('10.50'),
      installmentPrincipalFen: fen('200.00'),
      installmentInterestFen: fen('3.00'),
    };
    expect(minimumPaymentFen(input, policy)).toBe(fen('100.00') + fen('10.50') + fen('203.00'));
    expect(minimumPaymentFen({ ...zero, interestFen: fen('4.05') }, policy)).toBe(fen('4.05'));
  });

  it('never falls below the past-due amount carried in, never adds it on top, never exceeds the balance', () => {
    // An unpaid December: 100.00 past due inside 1000.00 carried principal → 110.50, not 210.50.
    const carried = { ...zero, carriedPrincipalFen: fen('1000.00'), interestFen: fen('10.50') };
    expect(minimumPaymentFen({ ...carried, pastDueFen: fen('100.00') }, policy)).toBe(fen('110.50'));
    // A missed installment (1030.14) carried as 1014.92 principal + 15.22 interest: 10% of the
    // principal would leave most of it unpaid.
    const installment = {
      ...zero,
      carriedPrincipalFen: fen('1014.92'),
      interestFen: fen('15.22') + fen('9.13'),
    };
    expect(minimumPaymentFen({ ...installment, pastDueFen: 0 }, policy)).toBe(fen('125.84'));
    expect(minimumPaymentFen({ ...installment, pastDueFen: fen('1030.14') }, policy)).toBe(fen('1030.14'));
    expect(
      minimumPaymentFen({ ...zero, carriedPrincipalFen: fen('80.00'), pastDueFen: fen('90.00') }, policy),
    ).toBe(fen('80.00'));
  });
});
