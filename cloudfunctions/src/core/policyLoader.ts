/**
 * The only way to obtain a policy: shape validation (zod) + the compliance guard.
 * Other modules import ACTIVE_POLICY from here, so an over-the-line policy can never start.
 */
import { checkCompliance, describeViolations } from './compliance/guard';
import { DEFAULT_POLICY_INPUT, type Policy, parsePolicyShape } from './policy';

/** Parse and check a policy; throws naming every product above the line. The result is frozen. */
export function loadPolicy(raw: unknown): Policy {
  const policy = parsePolicyShape(raw);
  const report = checkCompliance(policy);
  if (!report.ok) throw new Error(describeViolations(report));
  return deepFreeze(policy);
}

/** The checked policy in force. Frozen: a rule cannot change a number behind the version's back. */
export const ACTIVE_POLICY: Policy = loadPolicy(DEFAULT_POLICY_INPUT);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
