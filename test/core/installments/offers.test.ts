import fc from 'fast-check';
import { yuanToFen } from '../../../cloudfunctions/src/core/money';
import { DEFAULT_POLICY_INPUT } from '../../../cloudfunctions/src/core/policy';
import { buildOffers } from '../../../cloudfunctions/src/core/installments/offers';
import { ACTIVE_POLICY } from '../../../cloudfunctions/src/core/policyLoader';
import { offers as pageFixtureOffers } from '../../pages/support/fixtures';
import { withInstallments } from './policies';

const policy = DEFAULT_POLICY_INPUT;

function offersOf(principalFen: number, p = policy) {
  const result = buildOffers(principalFen, p);
  if (!result.ok) throw new Error(result.message);
  return result.offers;
}

describe('installment offers (SPEC §7)', () => {
  it('offers 3, 6 and 12 months for 3000.00 with schedule, payments and IRR rates', () => {
    const [three, six, twelve] = offersOf(300_000);
    expect(three).toEqual({
      term: 3,
      principal: '3000.00',
      monthlyRate: '1.50',
      monthlyPayment: '1030.15',
      totalInterest: '90.44',
      aprSimple: '18.00',
      aprCompound: '19.56',
      schedule: [
        { period: 1, payment: '1030.15', principal: '985.15', interest: '45.00', remaining: '2014.85' },
        { period: 2, payment: '1030.15', principal: '999.93', interest: '30.22', remaining: '1014.92' },
        { period: 3, payment: '1030.14', principal: '1014.92', interest: '15.22', remaining: '0.00' },
      ],
    });
    expect(six).toMatchObject({
      term: 6,
      monthlyPayment: '526.58',
      totalInterest: '159.45',
      aprSimple: '18.00',
      aprCompound: '19.56',
    });
    expect(six.schedule.map((r) => r.payment)).toEqual([
      '526.58',
      '526.58',
      '526.58',
      '526.58',
      '526.58',
      '526.55',
    ]);
    expect(twelve).toMatchObject({
      term: 12,
      monthlyPayment: '275.04',
      totalInterest: '300.46',
      aprSimple: '18.00',
      aprCompound: '19.56',
    });
    expect(twelve.schedule).toHaveLength(12);
    expect(twelve.schedule[11]).toEqual({
      period: 12,
      payment: '275.02',
      principal: '270.96',
      interest: '4.06',
      remaining: '0.00',
    });
  });

  it('shows no early-payoff rate while the locked-fee switch is off', () => {
    for (const offer of offersOf(300_000)) {
      expect(offer.earlyPayoffAprSimple).toBeUndefined();
      expect(offer.earlyPayoffAprCompound).toBeUndefined();
    }
  });

  it('refuses a principal below 100.00 with NOT_CONVERTIBLE (an answer, not an exception)', () => {
    expect(buildOffers(9_999, policy)).toEqual({
      ok: false,
      code: 'NOT_CONVERTIBLE',
      message: expect.stringContaining('100.00'),
    });
    expect(buildOffers(0, policy)).toMatchObject({ ok: false, code: 'NOT_CONVERTIBLE' });
    expect(buildOffers(10_000, policy)).toMatchObject({ ok: true });
  });

  it('follows the policy: its terms, its minimum and its rate', () => {
    const p = withInstallments({ terms: [6], minPrincipalFen: 50_000, monthlyRate: '0.01' });
    expect(buildOffers(49_999, p)).toMatchObject({ ok: false, code: 'NOT_CONVERTIBLE' });
    const offers = offersOf(300_000, p);
    expect(offers.map((o) => o.term)).toEqual([6]);
    expect(offers[0]).toMatchObject({ monthlyRate: '1.00', aprSimple: '12.00', aprCompound: '12.68' });
  });

  it('with locked fees on, each offer shows the worst-case early-payoff rate', () => {
    const p = withInstallments({ monthlyRate: '0.0025', lockedFeesOnEarlyPayoff: true });
    const offers = offersOf(300_000, p);
    expect(
      offers.map((o) => [
        o.term,
        o.monthlyRate,
        o.aprSimple,
        o.earlyPayoffAprSimple,
        o.earlyPayoffAprCompound,
      ]),
    ).toEqual([
      [3, '0.25', '3.00', '6.01', '6.18'],
      [6, '0.25', '3.00', '10.52', '11.04'],
      [12, '0.25', '3.00', '19.59', '21.45'],
    ]);
  });

  it('every offer is internally consistent (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 20_000_000 }), (p) => {
        for (const offer of offersOf(p)) {
          expect(offer.schedule).toHaveLength(offer.term);
          expect(offer.schedule.reduce((a, r) => a + yuanToFen(r.principal), 0)).toBe(p);
          expect(offer.schedule.reduce((a, r) => a + yuanToFen(r.interest), 0)).toBe(
            yuanToFen(offer.totalInterest),
          );
          expect(offer.schedule[0].payment).toBe(offer.monthlyPayment);
          for (const s of [offer.aprSimple, offer.aprCompound]) expect(s).toMatch(/^\d+\.\d{2}$/);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('the page tests’ offers', () => {
  it('are what the functions answer for 3000.00 (the fixture had hand-rounded rows: 159.48, 300.48)', () => {
    const answer = buildOffers(300000, ACTIVE_POLICY);
    expect(answer).toEqual({ ok: true, offers: pageFixtureOffers });
  });
});
