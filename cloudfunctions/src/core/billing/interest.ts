/**
 * Revolving interest (SPEC §5 day counting): for each calendar day d, the principal still unpaid at
 * the END of d bears one day of interest; simple, never on interest. Exact decimals are summed and
 * rounded to the fen only once, when billed (or quoted as accrued).
 */
import { Dec, fenToDec, roundToFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { dayKey, periodKey, startOfLocalDay, type Millis } from '../time';
import { eachDay, endOfDay, nextDay, onOrBefore, previousDay, statementDates } from './dates';
import { paidInFullByGrace, unpaidAt } from './ledger';
import type { StatementState } from './types';

export interface InterestOptions {
  /**
   * Treat the whole statement as paid at this instant (a payoff quote): principal is zero from
   * then on, and a payoff inside grace makes the statement interest-free for its new principal.
   */
  assumePaidInFullAt?: Millis;
}

/** Interest-bearing principal (fen) at the end of `day`. */
export function interestBearingPrincipal(s: StatementState, day: string, opts: InterestOptions = {}): Fen {
  return bearingOn(s, day, opts, interestFree(s, opts));
}

function bearingOn(s: StatementState, day: string, opts: InterestOptions, free: boolean): Fen {
  if (day < dayKey(s.statementDate)) return 0;
  const end = endOfDay(day);
  if (opts.assumePaidInFullAt !== undefined && opts.assumePaidInFullAt <= end) return 0;
  const unpaid = unpaidAt(s, end);
  let fen = unpaid.carriedPrincipalFen;
  if (day > dayKey(s.dueDate) && !free) {
    fen += unpaid.installmentPrincipalFen + unpaid.newPrincipalFen;
  }
  return fen;
}

function interestFree(s: StatementState, opts: InterestOptions): boolean {
  if (paidInFullByGrace(s)) return true;
  return opts.assumePaidInFullAt !== undefined && onOrBefore(opts.assumePaidInFullAt, s.graceEndsAt);
}

/** Exact interest in yuan for the days firstDay..lastDay inclusive ("YYYY-MM-DD"); never negative. */
export function interestForDays(
  s: StatementState,
  firstDay: string,
  lastDay: string,
  policy: Policy,
  opts: InterestOptions = {},
): Dec {
  const rate = new Dec(policy.billing.dailyInterestRate);
  const free = interestFree(s, opts);
  let principalDays = new Dec(0);
  for (const day of eachDay(firstDay, lastDay)) {
    principalDays = principalDays.plus(fenToDec(bearingOn(s, day, opts, free)));
  }
  return principalDays.times(rate);
}

/** First day whose interest has not been billed yet. */
export function firstUnbilledInterestDay(s: StatementState): string {
  return s.interestBilledThrough === null ? dayKey(s.statementDate) : nextDay(s.interestBilledThrough);
}

export interface BillableInterest {
  fen: Fen;
  firstDay: string;
  lastDay: string;
}

/**
 * Interest to bill on the statement issued at `issuedAt`: the unbilled days up to and including the
 * day before, rounded once, minus what a payoff already paid ahead.
 */
export function billableInterest(s: StatementState, issuedAt: Millis, policy: Policy): BillableInterest {
  const firstDay = firstUnbilledInterestDay(s);
  const lastDay = previousDay(dayKey(issuedAt));
  const computed = lastDay < firstDay ? 0 : roundToFen(interestForDays(s, firstDay, lastDay, policy));
  if (s.accruedInterestPaidFen > computed) {
    // Only a payoff pays ahead, and it zeroes the principal, so later days add nothing: cannot happen.
    throw new Error(`statement ${s.id}: prepaid interest exceeds computed interest`);
  }
  return { fen: computed - s.accruedInterestPaidFen, firstDay, lastDay };
}

/** Last day of the statement's interest window: the day before the next statement date. */
export function lastInterestWindowDay(s: StatementState, policy: Policy): string {
  return previousDay(dayKey(statementDates(periodKey(s.statementDate), policy).statementDate));
}

/**
 * Interest of the complete days so far that is not billed yet and not already paid ahead: what a
 * payoff at `now` must include so it leaves nothing behind. Today is excluded: a payoff today
 * leaves no principal unpaid at today's end. Never past the statement's own interest window (the
 * next statement bills exactly that window): while the scheduler is behind, `now` may already be
 * past the next statement date, and paying ahead days the next statement does not bill would make
 * that statement's issue fail (prepaid > computed) and stall the scheduler.
 */
export function accruedInterestToDate(s: StatementState, now: Millis, policy: Policy): Fen {
  if (s.status === 'carried') return 0;
  const firstDay = firstUnbilledInterestDay(s);
  const yesterday = previousDay(dayKey(startOfLocalDay(now)));
  const windowEnd = lastInterestWindowDay(s, policy);
  const lastDay = yesterday < windowEnd ? yesterday : windowEnd;
  if (lastDay < firstDay) return 0;
  const exact = interestForDays(s, firstDay, lastDay, policy, { assumePaidInFullAt: now });
  return Math.max(0, roundToFen(exact) - s.accruedInterestPaidFen);
}
