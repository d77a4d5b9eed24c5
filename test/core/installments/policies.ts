import { DEFAULT_POLICY_INPUT, type Policy } from '../../../cloudfunctions/src/core/policy';

/** A copy of the default policy with some installment settings changed (never mutates the default). */
export function withInstallments(overrides: Partial<Policy['installments']>, version = 'test'): Policy {
  const policy = structuredClone(DEFAULT_POLICY_INPUT);
  return { ...policy, version, installments: { ...policy.installments, ...overrides } };
}
