/**
 * Re-evaluation of SPEC §3: the scheduler re-scores every open account every 72 h; a user may
 * ask once per 72 h; a third request within 7 days is an anti-fraud signal that puts the
 * account under review until an operator clears it.
 *
 * The caller stores `requestTimes` and `lastAllowedAt` as returned. When an operator clears the
 * review, reset `requestTimes` to [] — otherwise the requests that triggered the review would
 * still sit in the window and the next request would trigger it again.
 */
import type { AccountStatus } from '../../../../typings/api';
import type { Policy } from '../policy';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfLocalDay, type Millis } from '../time';

/**
 * When the scheduler will re-score: it works day by day from local midnight, so the first midnight
 * at least 72 h after the last evaluation (an evaluation at 10:00 is next re-scored at 00:00 four
 * days later; one at midnight, 72 h later). Shown to the user as is, so it is never in the past
 * while the account waits for it.
 */
export function nextEvaluationAt(evaluatedAt: Millis, policy: Policy): Millis {
  return scheduledRunAt(evaluatedAt + policy.reevaluation.scheduledEveryHours * HOUR_MS);
}

/**
 * The scheduler run that handles what falls due at `dueAt`: the first local midnight at or after
 * it. Accounts stored before `nextEvaluationAt` was aligned hold `evaluatedAt + 72 h`; shown
 * through this, they too show when the re-score happens.
 */
export function scheduledRunAt(dueAt: Millis): Millis {
  const midnight = startOfLocalDay(dueAt);
  return midnight === dueAt ? dueAt : midnight + DAY_MS;
}

export function isScheduledReevaluationDue(evaluatedAt: Millis, now: Millis, policy: Policy): boolean {
  return now >= nextEvaluationAt(evaluatedAt, policy);
}

/** The end of the minimum interval after the last allowed request (null: none allowed yet). */
function intervalEndsAt(lastAllowedAt: Millis | null, policy: Policy): Millis | null {
  return lastAllowedAt === null ? null : lastAllowedAt + policy.reevaluation.userMinIntervalHours * HOUR_MS;
}

/**
 * When the user's next request will be done: the minimum interval after the last allowed one, and
 * late enough not to be the review-triggering request of the window (one more request is the n-th
 * while n − 1 sit in it: all but n − 2 must have left). A retryAt or a "request again from" time
 * must not lead into a review. Null when nothing holds the next request back.
 */
export function userReevaluationAvailableAt(
  lastAllowedAt: Millis | null,
  requestTimes: readonly Millis[],
  policy: Policy,
): Millis | null {
  const r = policy.reevaluation;
  const interval = intervalEndsAt(lastAllowedAt, policy);
  const sorted = [...requestTimes].sort((a, b) => a - b);
  const mustLeave = sorted.length - Math.max(0, r.reviewAtRequestCount - 2);
  // A request leaves the window exactly reviewWindowDays after it (pruneRequestTimes).
  const window = mustLeave > 0 ? sorted[mustLeave - 1]! + r.reviewWindowDays * DAY_MS : null;
  const at = interval === null ? window : window === null ? interval : Math.max(interval, window);
  // Shown to the minute ("请于 10:01 后再试"): round up, so that minute is never too early.
  return at === null ? null : Math.ceil(at / MINUTE_MS) * MINUTE_MS;
}

/** Keep only requests inside the review window (strictly less than `reviewWindowDays` ago). */
export function pruneRequestTimes(requestTimes: readonly Millis[], now: Millis, policy: Policy): Millis[] {
  const from = now - policy.reevaluation.reviewWindowDays * DAY_MS;
  // No upper bound: a request stamped after `now` (by a clock ahead of this one's) was made.
  return requestTimes.filter((t) => t > from).sort((a, b) => a - b);
}

export interface UserReevaluationInput {
  status: AccountStatus;
  /** Previous user requests (allowed or refused). */
  requestTimes: readonly Millis[];
  lastAllowedAt: Millis | null;
  now: Millis;
  policy: Policy;
}

export interface UserReevaluationDecision {
  outcome: 'allowed' | 'rate_limited' | 'under_review';
  /** With rate_limited: when a request will be done (userReevaluationAvailableAt). */
  retryAt?: Millis;
  /** Updated history to store, pruned to the window. */
  requestTimes: Millis[];
  /** Updated value to store (now when allowed). */
  lastAllowedAt: Millis | null;
  /** Set when this request changes the account status. */
  newStatus?: AccountStatus;
}

export function decideUserReevaluation(input: UserReevaluationInput): UserReevaluationDecision {
  const { status, lastAllowedAt, now, policy } = input;
  const rules = policy.reevaluation;
  const previous = pruneRequestTimes(input.requestTimes, now, policy);

  // Under review: refused without counting, so the history does not grow while nobody can act on it.
  if (status === 'under_review') {
    return { outcome: 'under_review', requestTimes: previous, lastAllowedAt };
  }

  const requestTimes = [...previous, now];
  if (requestTimes.length >= rules.reviewAtRequestCount) {
    const decision: UserReevaluationDecision = { outcome: 'under_review', requestTimes, lastAllowedAt };
    // A frozen account stays frozen: the stricter state must not be overwritten by the review.
    if (status === 'active') decision.newStatus = 'under_review';
    return decision;
  }

  const intervalEnd = intervalEndsAt(lastAllowedAt, policy);
  if (intervalEnd !== null && now < intervalEnd) {
    const retryAt = userReevaluationAvailableAt(lastAllowedAt, requestTimes, policy) ?? intervalEnd;
    return { outcome: 'rate_limited', retryAt, requestTimes, lastAllowedAt };
  }
  return { outcome: 'allowed', requestTimes, lastAllowedAt: now };
}
