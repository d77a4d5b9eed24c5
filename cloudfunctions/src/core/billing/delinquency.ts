/**
 * Grace, overdue and freeze (SPEC §5, §8). Evaluated at the end of grace from the payment history,
 * so a scheduler catching up days later reaches the same verdict as one that ran on time.
 */
import type { Fen } from '../money';
import type { Policy } from '../policy';
import { daysBetween, DAY_MS, startOfLocalDay, type Millis } from '../time';
import { deadlineEnd } from './dates';
import { bucketsTotal, paidAt, remainingFen, settleStatus, unpaidAt } from './ledger';
import type { OverdueRecord, StatementState } from './types';

export type GraceOutcome = 'paid_in_full' | 'minimum_met' | 'overdue' | 'not_applicable';

export interface GraceEvaluation {
  statement: StatementState;
  outcome: GraceOutcome;
  /** Shortfall against the minimum at grace end (0 unless overdue). */
  shortfallFen: Fen;
  /** Present only when the statement newly became overdue: append it to the credit history. */
  overdueRecord?: OverdueRecord;
}

/**
 * At grace end: paid in full → interest-free; paid ≥ minimum → stays open (interest accrues);
 * paid < minimum → overdue with pastDue = the shortfall, less anything paid since (catch-up runs),
 * and never less than the past-due amount carried in (only a payment reduces that).
 * Idempotent: a second call changes nothing and returns no record.
 */
export function evaluateGraceEnd(s: StatementState, policy: Policy): GraceEvaluation {
  if (s.status === 'carried') return { statement: s, outcome: 'not_applicable', shortfallFen: 0 };
  const graceEnd = deadlineEnd(s.graceEndsAt);
  const remainingAtGrace = bucketsTotal(unpaidAt(s, graceEnd));
  const paidByGrace = paidAt(s, graceEnd);
  const shortfallFen = Math.max(0, Math.min(s.minimumDueFen - paidByGrace, remainingAtGrace));
  const outcome: GraceOutcome =
    remainingAtGrace === 0 ? 'paid_in_full' : shortfallFen === 0 ? 'minimum_met' : 'overdue';
  if (s.graceEvaluatedAt !== undefined) return { statement: s, outcome, shortfallFen };

  const evaluated: StatementState = { ...s, graceEvaluatedAt: s.graceEndsAt };
  if (outcome !== 'overdue') return { statement: evaluated, outcome, shortfallFen };

  // Payments after grace end (already recorded when the scheduler catches up) reduce pastDue first;
  // s.pastDueFen is what is left of the carried past-due amount after every payment so far.
  const paidSinceGrace = s.paidFen - paidByGrace;
  const pastDueFen = Math.min(remainingFen(s), Math.max(s.pastDueFen, shortfallFen - paidSinceGrace, 0));
  const overdueSince = s.overdueSince ?? s.dueDate;
  const newlyOverdue = s.status !== 'overdue';
  const marked: StatementState = {
    ...evaluated,
    pastDueFen,
    overdueSince,
    status: s.status === 'paid' ? 'paid' : 'overdue',
  };
  const statement = settleStatus(marked, s.graceEndsAt);
  const overdueRecord: OverdueRecord | undefined = newlyOverdue
    ? {
        statementId: s.id,
        period: s.period,
        dueDate: s.dueDate,
        overdueSince,
        pastDueFen: shortfallFen,
        recordedAt: s.graceEndsAt,
        policyVersion: policy.version,
      }
    : undefined;
  return { statement, outcome, shortfallFen, ...(overdueRecord ? { overdueRecord } : {}) };
}

/**
 * Whole calendar days elapsed since the due date: 0 on the due date and the day after,
 * 3 on Dec 14 00:00:01 for a Dec 10 23:59:59 due date; 0 when not overdue.
 */
export function overdueDays(now: Millis, overdueSince: Millis | undefined): number {
  if (overdueSince === undefined) return 0;
  return Math.max(0, daysBetween(overdueSince, now) - 1);
}

/** SPEC §8: "overdue > 30 days" → level-3 event, account frozen. */
export function shouldFreeze(days: number, policy: Policy): boolean {
  return days > policy.billing.freezeAfterOverdueDays;
}

/**
 * An appeal that overturned the freeze of a delinquency (known by its `overdueSince`) holds until
 * that delinquency ends: the same one never freezes the account again; a later one does.
 */
export function freezeWaived(
  waivedFor: Millis | null | undefined,
  overdueSince: Millis | undefined,
): boolean {
  return waivedFor != null && waivedFor === overdueSince;
}

/** The first instant at which shouldFreeze holds (due Dec 10 → Jan 11 00:00 with 30 days). */
export function freezeStartsAt(overdueSince: Millis, policy: Policy): Millis {
  return startOfLocalDay(overdueSince) + (policy.billing.freezeAfterOverdueDays + 2) * DAY_MS;
}

/** A freeze lifts once everything overdue is repaid. */
export function isDelinquent(s: StatementState): boolean {
  return s.pastDueFen > 0;
}
