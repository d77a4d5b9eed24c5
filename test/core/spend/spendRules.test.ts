import type { Merchant } from '../../../typings/api';
import { checkSpend, type SpendCheckInput } from '../../../cloudfunctions/src/core/spend/spendRules';
import { DEFAULT_POLICY_INPUT as policy } from '../../../cloudfunctions/src/core/policy';

const shop: Merchant = { id: 'm_supermarket', name: '华润万家', category: 'retail', scene: 'offline' };

function input(overrides: Partial<SpendCheckInput> = {}): SpendCheckInput {
  return {
    account: { status: 'active', quotaFen: 730_000, usedFen: 0 },
    amountFen: 10_000,
    merchant: shop,
    homeCity: '深圳',
    annualIncomeFen: 12_000_000,
    yearToDateSpendFen: 0,
    policy,
    ...overrides,
  };
}

const codeOf = (o: Partial<SpendCheckInput>) => {
  const r = checkSpend(input(o));
  return r.ok ? 'OK' : r.code;
};

describe('spend checks (SPEC §4), in order', () => {
  it('allows an ordinary spend', () => {
    expect(checkSpend(input())).toEqual({ ok: true });
  });

  it('NO_ACCOUNT comes first', () => {
    expect(codeOf({ account: null, merchant: { ...shop, scene: 'transfer' } })).toBe('NO_ACCOUNT');
  });

  it('a frozen account spending at a transfer scene gets ACCOUNT_FROZEN, not CASH_OUT_FORBIDDEN', () => {
    expect(
      codeOf({
        account: { status: 'frozen', quotaFen: 0, usedFen: 0 },
        merchant: { ...shop, scene: 'transfer' },
      }),
    ).toBe('ACCOUNT_FROZEN');
  });

  it('an account under review may still spend', () => {
    expect(codeOf({ account: { status: 'under_review', quotaFen: 730_000, usedFen: 0 } })).toBe('OK');
  });

  it.each(['transfer', 'withdrawal'] as const)(
    'scene %s → CASH_OUT_FORBIDDEN (before the category check)',
    (scene) => {
      expect(codeOf({ merchant: { ...shop, scene, category: 'virtual_currency' } })).toBe(
        'CASH_OUT_FORBIDDEN',
      );
    },
  );

  it.each(['virtual_currency', 'investment'])(
    'category %s → CATEGORY_FORBIDDEN (before the merchant check)',
    (category) => {
      expect(codeOf({ merchant: { ...shop, category } })).toBe('CATEGORY_FORBIDDEN');
      expect(codeOf({ merchant: { ...shop, category, scene: 'cross_border', id: 'm_unknown' } })).toBe(
        'CATEGORY_FORBIDDEN',
      );
    },
  );

  it('cross-border only at allow-listed merchants → MERCHANT_NOT_SUPPORTED', () => {
    expect(codeOf({ merchant: { ...shop, scene: 'cross_border', id: 'm_unknown' } })).toBe(
      'MERCHANT_NOT_SUPPORTED',
    );
    expect(codeOf({ merchant: { ...shop, scene: 'cross_border', id: 'm_global_duty_free' } })).toBe('OK');
  });

  it('online: 5000.00 allowed, 5000.01 refused with SINGLE_LIMIT_EXCEEDED (before the quota check)', () => {
    const online: Merchant = { ...shop, scene: 'online' };
    expect(codeOf({ merchant: online, amountFen: 500_000 })).toBe('OK');
    const r = checkSpend(input({ merchant: online, amountFen: 500_001 }));
    expect(r).toMatchObject({
      ok: false,
      code: 'SINGLE_LIMIT_EXCEEDED',
      details: { limit: '5000.00', amount: '5000.01' },
    });
    expect(
      codeOf({
        merchant: online,
        amountFen: 500_001,
        account: { status: 'active', quotaFen: 100_000, usedFen: 0 },
      }),
    ).toBe('SINGLE_LIMIT_EXCEEDED');
    // The single limit is for online only.
    expect(codeOf({ amountFen: 500_001 })).toBe('OK');
  });

  it('amount above available → INSUFFICIENT_QUOTA with the available amount', () => {
    const account = { status: 'active' as const, quotaFen: 730_000, usedFen: 700_000 };
    expect(codeOf({ account, amountFen: 30_000 })).toBe('OK');
    const r = checkSpend(input({ account, amountFen: 30_001 }));
    expect(r).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_QUOTA',
      details: { available: '300.00', amount: '300.01' },
    });
    if (!r.ok) expect(r.message).toContain('300.00');
    // A lowered quota below what was used leaves zero available.
    expect(
      checkSpend(input({ account: { status: 'active', quotaFen: 140_000, usedFen: 500_000 }, amountFen: 1 })),
    ).toMatchObject({
      code: 'INSUFFICIENT_QUOTA',
      details: { available: '0.00' },
    });
  });

  it('this year spending + amount above the annual income → INCOME_PROOF_REQUIRED (after the quota check)', () => {
    const o = { annualIncomeFen: 1_000_000, yearToDateSpendFen: 900_000 };
    expect(codeOf({ ...o, amountFen: 100_000 })).toBe('OK');
    expect(checkSpend(input({ ...o, amountFen: 100_001 }))).toMatchObject({
      code: 'INCOME_PROOF_REQUIRED',
      details: { annualIncome: '10000.00', yearToDate: '9000.00', remaining: '1000.00' },
    });
    expect(
      codeOf({ ...o, amountFen: 100_001, account: { status: 'active', quotaFen: 50_000, usedFen: 0 } }),
    ).toBe('INSUFFICIENT_QUOTA');
  });

  it('another city and ≥ 2000.00 → VERIFICATION_REQUIRED with a level-2 event (checked last)', () => {
    const r = checkSpend(input({ city: '上海', amountFen: 200_000 }));
    expect(r).toMatchObject({
      ok: false,
      code: 'VERIFICATION_REQUIRED',
      openLevel2Event: true,
      riskEventType: 'new_city_large_spend',
      details: { threshold: '2000.00', city: '上海', homeCity: '深圳' },
    });
    expect(codeOf({ city: '上海', amountFen: 199_999 })).toBe('OK');
    expect(codeOf({ city: '深圳', amountFen: 200_000 })).toBe('OK');
    expect(codeOf({ amountFen: 200_000 })).toBe('OK');
    expect(codeOf({ city: '上海', amountFen: 200_000, annualIncomeFen: 100_000 })).toBe(
      'INCOME_PROOF_REQUIRED',
    );
  });

  it('every refusal carries a Chinese message', () => {
    const r = checkSpend(input({ merchant: { ...shop, scene: 'withdrawal' } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
