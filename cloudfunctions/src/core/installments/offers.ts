/**
 * Installment offers (SPEC §7): every term of the policy with its full schedule and the
 * IRR-annualised rate shown next to the monthly rate, as the PBOC requires.
 */
import type { InstallmentOffer, ScheduleRow } from '../../../../typings/api';
import { type Fen, assertFen, formatFen, formatPercent } from '../money';
import type { Policy } from '../policy';
import { worstEarlyPayoffRate } from './earlyPayoff';
import { monthlyIrrApr } from './irr';
import { type ScheduleRowFen, buildSchedule, scheduleTotals } from './schedule';

export type OffersResult =
  { ok: true; offers: InstallmentOffer[] } | { ok: false; code: 'NOT_CONVERTIBLE'; message: string };

/** Offers for every term of the policy, or NOT_CONVERTIBLE (an answer, not an exception). */
export function buildOffers(principalFen: Fen, policy: Policy): OffersResult {
  assertFen(principalFen);
  const min = policy.installments.minPrincipalFen;
  if (principalFen < min || principalFen <= 0) {
    return {
      ok: false,
      code: 'NOT_CONVERTIBLE',
      message: `分期金额须不低于 ${formatFen(min)} 元，当前为 ${formatFen(principalFen)} 元`,
    };
  }
  return {
    ok: true,
    offers: policy.installments.terms.map((term) => buildOffer(principalFen, term, policy)),
  };
}

/** One offer; the caller has checked the principal against the policy's minimum. */
export function buildOffer(principalFen: Fen, term: number, policy: Policy): InstallmentOffer {
  const schedule = buildSchedule(principalFen, term, policy);
  // No upfront fee in this product: the borrower receives the whole principal at t=0.
  const apr = monthlyIrrApr(
    principalFen,
    schedule.map((r) => r.paymentFen),
  );
  const offer: InstallmentOffer = {
    term,
    principal: formatFen(principalFen),
    monthlyRate: formatPercent(policy.installments.monthlyRate),
    // The level payment of periods 1..n−1; the last row may differ by rounding, shown in the schedule.
    monthlyPayment: formatFen(schedule[0].paymentFen),
    totalInterest: formatFen(scheduleTotals(schedule).interestFen),
    aprSimple: apr.aprSimple,
    aprCompound: apr.aprCompound,
    schedule: schedule.map(toScheduleRow),
  };
  if (policy.installments.lockedFeesOnEarlyPayoff) {
    // Locked fees make paying early dearer: show the worst case (everything paid at month 1).
    const worst = worstEarlyPayoffRate(schedule, policy);
    offer.earlyPayoffAprSimple = worst.rate.aprSimple;
    offer.earlyPayoffAprCompound = worst.rate.aprCompound;
  }
  return offer;
}

export function toScheduleRow(row: ScheduleRowFen): ScheduleRow {
  return {
    period: row.period,
    payment: formatFen(row.paymentFen),
    principal: formatFen(row.principalFen),
    interest: formatFen(row.interestFen),
    remaining: formatFen(row.remainingFen),
  };
}
