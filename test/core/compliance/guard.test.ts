import { DEFAULT_POLICY_INPUT, type Policy } from '../../../cloudfunctions/src/core/policy';
import { ACTIVE_POLICY, loadPolicy } from '../../../cloudfunctions/src/core/policyLoader';
import { checkCompliance, describeViolations } from '../../../cloudfunctions/src/core/compliance/guard';
import { buildOffers } from '../../../cloudfunctions/src/core/installments/offers';
import { withInstallments } from '../installments/policies';
import fc from 'fast-check';
import { monthlyIrrApr } from '../../../cloudfunctions/src/core/installments/irr';
import { buildSchedule } from '../../../cloudfunctions/src/core/installments/schedule';

const rates = (policy: Policy) =>
  checkCompliance(policy).products.map((p) => [
    p.product,
    p.term ?? null,
    p.aprSimple,
    p.aprCompound,
    p.exceeds,
  ]);

describe('compliance guard (SPEC §7): worst-case IRR rate of every product vs the 24% line', () => {
  it('the default policy is compliant; its worst product is revolving interest at 18.25% / 20.02%', () => {
    const report = checkCompliance(DEFAULT_POLICY_INPUT);
    expect(report.ok).toBe(true);
    expect(report.line).toBe('24.00');
    // Installments: the bound of every principal from 100.00 up (fen rounding weighs most at the
    // smallest); the offers themselves show 19.60 / 19.58 / 19.57 at 100.00.
    expect(rates(DEFAULT_POLICY_INPUT)).toEqual([
      ['installment', 3, '18.09', '19.67', false],
      ['installment', 6, '18.10', '19.68', false],
      ['installment', 12, '18.11', '19.69', false],
      ['revolving', null, '18.25', '20.02', false],
      ['overdue', null, '18.25', '20.02', false],
    ]);
    expect(report.worst).toMatchObject({ product: 'revolving', aprSimple: '18.25', aprCompound: '20.02' });
  });

  it('the default policy loads, and ACTIVE_POLICY is it, checked and frozen', () => {
    expect(loadPolicy(DEFAULT_POLICY_INPUT)).toEqual(DEFAULT_POLICY_INPUT);
    expect(ACTIVE_POLICY).toEqual(DEFAULT_POLICY_INPUT);
    expect(Object.isFrozen(ACTIVE_POLICY)).toBe(true);
    expect(Object.isFrozen(ACTIVE_POLICY.installments.terms)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY_INPUT)).toBe(false);
  });

  it('refuses a flat 1.5% fee on the full principal: 31.72% over 12 months, naming it', () => {
    const flat = withInstallments({ pricing: 'flat' }, 'flat-test');
    const report = checkCompliance(flat);
    expect(report.ok).toBe(false);
    expect(report.worst).toMatchObject({
      product: 'installment',
      term: 12,
      pricing: 'flat',
      aprSimple: '31.72',
      aprCompound: '36.76',
    });
    expect(rates(flat).slice(0, 3)).toEqual([
      ['installment', 3, '26.80', '30.35', true],
      ['installment', 6, '30.23', '34.79', true],
      ['installment', 12, '31.72', '36.76', true],
    ]);
    expect(() => loadPolicy(flat)).toThrow(
      /flat-test.*installment 12 months \(flat pricing\).*31\.72% simple/,
    );
  });

  it('refuses 2.1% a month on the declining balance (25.2%)', () => {
    const p = withInstallments({ monthlyRate: '0.021' });
    const report = checkCompliance(p);
    expect(report.ok).toBe(false);
    expect(report.products.find((x) => x.product === 'installment' && x.term === 3)?.aprSimple).toBe('25.29');
    expect(() => loadPolicy(p)).toThrow(
      /installment 3 months \(declining pricing\) at principal 100\.00\+ \(rounding bound\): 25\.29% simple/,
    );
  });

  it('refuses a policy just under the line whose offers can still show more (1.806 %: 24.04 % at 119.91)', () => {
    const p = withInstallments({ monthlyRate: '0.01806' }, 'edge-test');
    const offers = buildOffers(11_991, p);
    expect(offers.ok && offers.offers.find((o) => o.term === 3)?.aprCompound).toBe('24.04');
    expect(checkCompliance(p).ok).toBe(false);
    expect(() => loadPolicy(p)).toThrow(/edge-test.*rounding bound/);
  });

  it('bounds what any principal shows: offers never exceed the reported installment rates', () => {
    const p = withInstallments({ monthlyRate: '0.0179' });
    const bound = new Map(
      checkCompliance(p)
        .products.filter((x) => x.product === 'installment')
        .map((x) => [x.term, x.compound]),
    );
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 300_000 }), (principalFen) => {
        const offers = buildOffers(principalFen, p);
        if (!offers.ok) return;
        for (const o of offers.offers) {
          const schedule = buildSchedule(principalFen, o.term, p).map((r) => r.paymentFen);
          expect(monthlyIrrApr(principalFen, schedule).compound.lte(bound.get(o.term)!)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('compares the compound rate too: 2% a month is 24.00% simple but 26.82% compound → refused', () => {
    const p = withInstallments({ monthlyRate: '0.02', terms: [12] });
    const offers = buildOffers(200_000_00, p);
    expect(offers.ok && [offers.offers[0]!.aprSimple, offers.offers[0]!.aprCompound]).toEqual([
      '24.00',
      '26.82',
    ]);
    const installment = checkCompliance(p).products[0];
    expect(installment.compound.gt('0.2682')).toBe(true);
    expect(installment.exceeds).toBe(true);
    expect(() => loadPolicy(p)).toThrow(/% compound/);
  });

  it('accepts a rate whose simple and compound annual rates both stay under the line', () => {
    expect(() => loadPolicy(withInstallments({ monthlyRate: '0.017' }))).not.toThrow(); // 20.4% / 22.42%
  });

  it('refuses revolving/overdue interest above the line: 0.07% a day → 25.55% simple', () => {
    const p = {
      ...structuredClone(DEFAULT_POLICY_INPUT),
      billing: { ...DEFAULT_POLICY_INPUT.billing, dailyInterestRate: '0.0007' },
    };
    const report = checkCompliance(p);
    expect(report.products.filter((x) => x.exceeds).map((x) => x.product)).toEqual(['revolving', 'overdue']);
    expect(() => loadPolicy(p)).toThrow(
      /revolving interest: 25\.55% simple.*overdue interest: 25\.55% simple/,
    );
  });

  it('follows the policy line', () => {
    const strict = { ...structuredClone(DEFAULT_POLICY_INPUT), compliance: { maxAnnualRate: '0.18' } };
    expect(() => loadPolicy(strict)).toThrow(/above the 18\.00% line/);
  });

  it('still validates the shape first', () => {
    expect(() => loadPolicy({ ...DEFAULT_POLICY_INPUT, extra: 1 })).toThrow(/invalid policy/);
    expect(() => loadPolicy(withInstallments({ monthlyRate: '1.5e-2' }))).toThrow(/invalid policy/);
  });
});

describe('locked fees on early payoff (policy switch)', () => {
  it('refuses the default 1.5% policy with the switch on: worst payoff 120.24% simple / 214.53% compound', () => {
    const p = withInstallments({ lockedFeesOnEarlyPayoff: true }, 'locked-test');
    const report = checkCompliance(p);
    expect(report.ok).toBe(false);
    // Everything at month 1: at 100.00 over 12 months the fees are 10.02, i.e. 10.02% a month.
    expect(report.worst).toMatchObject({
      product: 'early_payoff',
      term: 12,
      periodsPaid: 0,
      principal: '100.00',
      aprSimple: '120.24',
      aprCompound: '214.53',
    });
    expect(
      report.products
        .filter((x) => x.product === 'early_payoff')
        .map((x) => [x.term, x.aprSimple, x.aprCompound]),
    ).toEqual([
      [3, '36.24', '42.91'],
      [6, '63.84', '86.26'],
      [12, '120.24', '214.53'],
    ]);
    // Held to term the same plans are fine: only the payoff products are over the line.
    expect(report.products.filter((x) => x.exceeds).every((x) => x.product === 'early_payoff')).toBe(true);
    expect(() => loadPolicy(p)).toThrow(
      /locked-test.*early payoff of the 12-month installment.*120\.24% simple/,
    );
  });

  it('loads a low-rate policy with the switch on (0.25% a month), and its offers show the payoff rate', () => {
    const p = loadPolicy(withInstallments({ monthlyRate: '0.0025', lockedFeesOnEarlyPayoff: true }));
    const report = checkCompliance(p);
    expect(report.ok).toBe(true);
    expect(report.worst).toMatchObject({
      product: 'early_payoff',
      term: 12,
      aprSimple: '19.68',
      aprCompound: '21.56',
    });
    const offers = buildOffers(300_000, p);
    expect(offers.ok).toBe(true);
    if (offers.ok) {
      expect(offers.offers.map((o) => [o.term, o.earlyPayoffAprSimple, o.earlyPayoffAprCompound])).toEqual([
        [3, '6.01', '6.18'],
        [6, '10.52', '11.04'],
        [12, '19.59', '21.45'],
      ]);
    }
  });

  it('the refusal message lists every product over the line, worst first', () => {
    const message = describeViolations(checkCompliance(withInstallments({ lockedFeesOnEarlyPayoff: true })));
    const order = ['12-month', '6-month', '3-month'].map((t) => message.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
