/**
 * Hard gates of SPEC §2.1. Every gate is checked (no short-circuit) so the user sees all
 * the reasons at once instead of discovering them one application at a time.
 */
import type { RejectionReason } from '../../../../typings/api';
import type { Policy } from '../policy';
import { atLocal, localDate, type Millis } from '../time';
import type { CoreProfile } from './profile';

export type GateReason = Extract<
  RejectionReason,
  'REAL_NAME_REQUIRED' | 'UNDERAGE' | 'BANK_CARD_REQUIRED' | 'PAY_HISTORY_TOO_SHORT'
>;

export interface EligibilityResult {
  eligible: boolean;
  /** Failed gates, in the SPEC's order. */
  reasons: GateReason[];
  /** With PAY_HISTORY_TOO_SHORT: Shanghai midnight of the day the pay history reaches the minimum. */
  candidatePoolAt?: Millis;
}

export function checkEligibility(
  profile: Pick<CoreProfile, 'realNameVerified' | 'age' | 'bankCards' | 'payHistoryDays'>,
  now: Millis,
  policy: Policy,
): EligibilityResult {
  const rules = policy.eligibility;
  const reasons: GateReason[] = [];
  if (!profile.realNameVerified) reasons.push('REAL_NAME_REQUIRED');
  if (profile.age < rules.minAge) reasons.push('UNDERAGE');
  if (profile.bankCards < rules.minBankCards) reasons.push('BANK_CARD_REQUIRED');

  let candidatePoolAt: Millis | undefined;
  if (profile.payHistoryDays < rules.minPayHistoryDays) {
    reasons.push('PAY_HISTORY_TOO_SHORT');
    candidatePoolAt = candidatePoolDate(profile.payHistoryDays, now, policy);
  }
  return candidatePoolAt === undefined
    ? { eligible: reasons.length === 0, reasons }
    : { eligible: false, reasons, candidatePoolAt };
}

/** Today (Shanghai) plus the days still missing; calendar arithmetic so the answer is a midnight. */
export function candidatePoolDate(payHistoryDays: number, now: Millis, policy: Policy): Millis {
  const missing = Math.max(0, policy.eligibility.minPayHistoryDays - payHistoryDays);
  const today = localDate(now);
  return atLocal(today.year, today.month, today.day + missing);
}
