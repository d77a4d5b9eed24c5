import type { CoreProfile } from '../../../cloudfunctions/src/core/credit/profile';
import { DEFAULT_POLICY_INPUT, type Policy } from '../../../cloudfunctions/src/core/policy';
import { atLocal } from '../../../cloudfunctions/src/core/time';

export const policy: Policy = DEFAULT_POLICY_INPUT;

/** 2026-11-15 14:30 in Shanghai. */
export const NOW = atLocal(2026, 11, 15, 14, 30);

/** Passes every gate and every dimension; quota 7300.00 (SPEC §3 example). */
export function goodProfile(overrides: Partial<CoreProfile> = {}): CoreProfile {
  return {
    realNameVerified: true,
    age: 30,
    bankCards: 1,
    payScore: 700,
    monthlyPaymentCount: 20,
    balanceFen: 200_000,
    friendCount: 300,
    overdueCount: 0,
    payHistoryDays: 400,
    annualIncomeFen: 12_000_000,
    avgMonthlySpendFen: 300_000,
    homeCity: '深圳',
    bankCardBalanceFen: 1_000_000,
    ...overrides,
  };
}
