/**
 * The opening decision of SPEC §2: hard gates + weighted score + minimum quota.
 * A rejection is an answer: every failed gate and rule is listed, and the score and
 * dimensions are always computed so the user learns what to improve even when a gate fails.
 */
import type { CreditApplyData, Dimension, RejectionReason } from '../../../../typings/api';
import { formatFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { DAY_MS, toIso, type Millis } from '../time';
import { checkEligibility } from './eligibility';
import type { CoreProfile } from './profile';
import { computeQuota, formatBreakdown, NO_RISK, type QuotaBreakdownFen } from './quota';
import { scoreProfile } from './scoring';

export interface ApplicationDecision {
  decision: 'approved' | 'rejected';
  score: number;
  /** Failed gates then rules, in RejectionReason order; empty when approved. */
  reasons: RejectionReason[];
  dimensions: Dimension[];
  /** Only when approved. */
  quotaFen?: Fen;
  /** When approved, or when rejected for QUOTA_TOO_LOW (to show why). */
  breakdown?: QuotaBreakdownFen;
  candidatePoolAt?: Millis;
  /** When rejected: the earliest time of the next application. */
  reapplyAt?: Millis;
  policyVersion: string;
}

export function decideApplication(input: {
  profile: CoreProfile;
  now: Millis;
  policy: Policy;
}): ApplicationDecision {
  const { profile, now, policy } = input;
  const gates = checkEligibility(profile, now, policy);
  const scored = scoreProfile(profile, policy);
  // A new applicant has no risk history: the normal multiplier applies.
  const quota = computeQuota(profile, NO_RISK, policy);
  const quotaTooLow = quota.quotaFen < policy.quota.minimumToOpenFen;

  const reasons: RejectionReason[] = [...gates.reasons, ...scored.reasons];
  if (quotaTooLow) reasons.push('QUOTA_TOO_LOW');
  const approved = reasons.length === 0;

  const decision: ApplicationDecision = {
    decision: approved ? 'approved' : 'rejected',
    score: scored.score,
    reasons,
    dimensions: scored.dimensions,
    policyVersion: policy.version,
  };
  if (approved) {
    decision.quotaFen = quota.quotaFen;
    decision.breakdown = quota.breakdown;
  } else {
    if (quotaTooLow) decision.breakdown = quota.breakdown;
    decision.reapplyAt = reapplyAt(now, policy);
  }
  if (gates.candidatePoolAt !== undefined) decision.candidatePoolAt = gates.candidatePoolAt;
  return decision;
}

/** A rejected user may apply again this long after the rejection (exact instant, not midnight). */
export function reapplyAt(rejectedAt: Millis, policy: Policy): Millis {
  return rejectedAt + policy.eligibility.reapplyAfterDays * DAY_MS;
}

export function canReapply(rejectedAt: Millis, now: Millis, policy: Policy): boolean {
  return now >= reapplyAt(rejectedAt, policy);
}

/** The API shape of `credit.apply` (money strings, ISO times). */
export function toCreditApplyData(d: ApplicationDecision): CreditApplyData {
  const data: CreditApplyData = {
    decision: d.decision,
    score: d.score,
    reasons: d.reasons,
    dimensions: d.dimensions,
    policyVersion: d.policyVersion,
  };
  if (d.quotaFen !== undefined) data.quota = formatFen(d.quotaFen);
  if (d.breakdown !== undefined) data.breakdown = formatBreakdown(d.breakdown);
  if (d.reapplyAt !== undefined) data.reapplyAt = toIso(d.reapplyAt);
  if (d.candidatePoolAt !== undefined) data.candidatePoolAt = toIso(d.candidatePoolAt);
  return data;
}
