/**
 * Early payoff of an installment plan (SPEC §7).
 *
 * "After k periods paid" (k = 0..n−1) the plan is in period k+1: a period begins the moment after
 * the previous due date, so period k+1 is the current period both mid-period and on the due day
 * of period k+1 itself (while installment k+1 is unpaid). Its interest is the interest of the next
 * unpaid row of the schedule (for 等额本息 that row's interest is exactly remaining × i, half-up).
 * - default: remaining principal + the current period's interest;
 * - `lockedFeesOnEarlyPayoff`: remaining principal + ALL the remaining scheduled interest.
 *
 * For annualised rates the payoff is a cash flow at the due date of the current period (month
 * k+1), the monthly granularity of the schedule itself. Under the default rule the payoff then
 * costs exactly what the schedule would have, so its rate is the held-to-term rate; under locked
 * fees the worst case is k = 0: principal plus every fee of the full term at month 1.
 */
import { onOrBefore } from '../billing/dates';
import { type Fen, sumFen } from '../money';
import type { Policy } from '../policy';
import { type AnnualisedRate, monthlyIrrApr } from './irr';
import { type ScheduleRowFen, scheduleTotals } from './schedule';
import type { Millis } from '../time';

export interface EarlyPayoffFen {
  principalFen: Fen;
  interestFen: Fen;
  totalFen: Fen;
}

export interface EarlyPayoffRate {
  /** Periods paid before the payoff that gives the highest rate. */
  periodsPaid: number;
  rate: AnnualisedRate;
}

/** What the borrower owes to close the plan after `periodsPaid` installments. */
export function earlyPayoff(
  schedule: readonly ScheduleRowFen[],
  periodsPaid: number,
  policy: Policy,
): EarlyPayoffFen {
  if (!Number.isSafeInteger(periodsPaid) || periodsPaid < 0 || periodsPaid >= schedule.length) {
    throw new RangeError(`periods paid must be 0..${schedule.length - 1}: ${periodsPaid}`);
  }
  const remainingRows = schedule.slice(periodsPaid);
  const principalFen = sumFen(remainingRows.map((r) => r.principalFen));
  const interestFen = policy.installments.lockedFeesOnEarlyPayoff
    ? sumFen(remainingRows.map((r) => r.interestFen))
    : remainingRows[0].interestFen;
  return { principalFen, interestFen, totalFen: principalFen + interestFen };
}

/**
 * What closes a plan beyond the installments already on statements (SPEC §7), at `now`.
 * `periodsBilled` installments are on statements; the last of them falls due at `lastBilledDue`
 * (null while none is billed). Until that due date has passed, its period is still the current
 * one and its interest is on the statement already, so the payoff adds the principal not yet
 * billed and no interest: paid off on 2 December, a plan whose first installment the 1 December
 * statement billed costs one period's interest, not two. Once it has passed, the next period is
 * current and its interest is added. With locked fees every unbilled row's interest is added.
 */
export function payoffBeyondStatements(
  schedule: readonly ScheduleRowFen[],
  periodsBilled: number,
  lastBilledDue: Millis | null,
  now: Millis,
  policy: Policy,
): EarlyPayoffFen {
  if (lastBilledDue === null || !onOrBefore(now, lastBilledDue)) {
    return earlyPayoff(schedule, periodsBilled, policy);
  }
  const rows = schedule.slice(periodsBilled);
  const principalFen = sumFen(rows.map((r) => r.principalFen));
  const interestFen = policy.installments.lockedFeesOnEarlyPayoff
    ? sumFen(rows.map((r) => r.interestFen))
    : 0;
  return { principalFen, interestFen, totalFen: principalFen + interestFen };
}

/** The borrower's payments, month 1..k+1, when paying off after `periodsPaid` installments. */
export function earlyPayoffCashFlows(
  schedule: readonly ScheduleRowFen[],
  periodsPaid: number,
  policy: Policy,
): Fen[] {
  const payoff = earlyPayoff(schedule, periodsPaid, policy);
  return [...schedule.slice(0, periodsPaid).map((r) => r.paymentFen), payoff.totalFen];
}

/** The highest annualised rate over every payoff month (by the compound rate, which is ≥ simple). */
export function worstEarlyPayoffRate(schedule: readonly ScheduleRowFen[], policy: Policy): EarlyPayoffRate {
  const principalFen = scheduleTotals(schedule).principalFen;
  let worst: EarlyPayoffRate | null = null;
  for (let k = 0; k < schedule.length; k++) {
    const rate = monthlyIrrApr(principalFen, earlyPayoffCashFlows(schedule, k, policy));
    if (worst === null || rate.compound.gt(worst.rate.compound)) worst = { periodsPaid: k, rate };
  }
  if (worst === null) throw new RangeError('empty schedule');
  return worst;
}
