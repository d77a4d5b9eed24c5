/**
 * Bucket arithmetic of one statement: what is billed, paid, converted and unpaid, now or replayed
 * at any past instant from the recorded payment and conversion splits.
 */
import { assertFen, type Fen } from '../money';
import type { Millis } from '../time';
import { deadlineEnd } from './dates';
import type { Buckets, InstallmentDue, StatementState } from './types';

export const BUCKET_KEYS = [
  'interestFen',
  'carriedPrincipalFen',
  'installmentInterestFen',
  'installmentPrincipalFen',
  'newPrincipalFen',
] as const satisfies readonly (keyof Buckets)[];

export const ZERO_BUCKETS: Buckets = Object.freeze({
  interestFen: 0,
  carriedPrincipalFen: 0,
  installmentInterestFen: 0,
  installmentPrincipalFen: 0,
  newPrincipalFen: 0,
});

export function addBuckets(a: Buckets, b: Partial<Buckets>): Buckets {
  const out = { ...a };
  for (const k of BUCKET_KEYS) out[k] = a[k] + (b[k] ?? 0);
  return out;
}

export function subtractBuckets(a: Buckets, b: Partial<Buckets>): Buckets {
  const out = { ...a };
  for (const k of BUCKET_KEYS) out[k] = a[k] - (b[k] ?? 0);
  return out;
}

export function bucketsTotal(b: Buckets): Fen {
  return BUCKET_KEYS.reduce((sum, k) => sum + b[k], 0);
}

export function principalOf(b: Buckets): Fen {
  return b.carriedPrincipalFen + b.installmentPrincipalFen + b.newPrincipalFen;
}

export function billedBuckets(s: StatementState): Buckets {
  return {
    interestFen: s.interestFen,
    carriedPrincipalFen: s.carriedPrincipalFen,
    installmentInterestFen: s.installmentInterestFen,
    installmentPrincipalFen: s.installmentPrincipalFen,
    newPrincipalFen: s.newPrincipalFen,
  };
}

function convertedUpTo(s: StatementState, t: Millis): Buckets {
  let out = ZERO_BUCKETS;
  for (const c of s.conversions) if (c.at <= t) out = addBuckets(out, c.split);
  return out;
}

/** remaining = balance − paid − carriedForward − converted. */
export function remainingFen(s: StatementState): Fen {
  return s.balanceFen - s.paidFen - s.carriedForwardFen - s.convertedFen;
}

/** Unpaid dues now. All zero once the remainder was carried (it lives on the next statement). */
export function unpaidBuckets(s: StatementState): Buckets {
  if (s.carriedForwardFen > 0 || s.status === 'carried') return ZERO_BUCKETS;
  return subtractBuckets(subtractBuckets(billedBuckets(s), s.paid), convertedUpTo(s, Infinity));
}

/** Unpaid dues at instant t, replayed from history (payments and conversions with at ≤ t). */
export function unpaidAt(s: StatementState, t: Millis): Buckets {
  if (s.carriedAt !== undefined && s.carriedAt <= t) return ZERO_BUCKETS;
  let out = subtractBuckets(billedBuckets(s), convertedUpTo(s, t));
  for (const p of s.payments) if (p.at <= t) out = subtractBuckets(out, p.split);
  return out;
}

/** Statement dues paid by instant t (accrued interest excluded). */
export function paidAt(s: StatementState, t: Millis): Fen {
  return s.payments.filter((p) => p.at <= t).reduce((sum, p) => sum + bucketsTotal(p.split), 0);
}

/** Paid in full by the end of grace (conversions count): the interest-free condition of SPEC §5. */
export function paidInFullByGrace(s: StatementState): boolean {
  return bucketsTotal(unpaidAt(s, deadlineEnd(s.graceEndsAt))) === 0;
}

export interface InstallmentDueUnpaid {
  planId: string;
  interestFen: Fen;
  principalFen: Fen;
}

/**
 * Per-plan unpaid dues: `paidTotal` (installment interest + principal paid) fills the plans in
 * order, each plan's interest before its principal.
 */
export function unpaidInstallmentDues(
  dues: readonly InstallmentDue[],
  paidTotal: Fen,
): InstallmentDueUnpaid[] {
  let left = paidTotal;
  return dues.map((d) => {
    const toInterest = Math.min(left, d.interestFen);
    left -= toInterest;
    const toPrincipal = Math.min(left, d.principalFen);
    left -= toPrincipal;
    return {
      planId: d.planId,
      interestFen: d.interestFen - toInterest,
      principalFen: d.principalFen - toPrincipal,
    };
  });
}

/** How `amountFen` more paid to installment dues splits into interest and principal. */
export function splitInstallmentPayment(
  dues: readonly InstallmentDue[],
  alreadyPaidFen: Fen,
  amountFen: Fen,
): { interestFen: Fen; principalFen: Fen } {
  const before = unpaidInstallmentDues(dues, alreadyPaidFen);
  const after = unpaidInstallmentDues(dues, alreadyPaidFen + amountFen);
  let interestFen = 0;
  let principalFen = 0;
  before.forEach((b, i) => {
    interestFen += b.interestFen - after[i].interestFen;
    principalFen += b.principalFen - after[i].principalFen;
  });
  return { interestFen, principalFen };
}

/** TigerBeetle-style guard: the statement's books must always balance. */
export function assertStatementInvariant(s: StatementState): void {
  const billed = billedBuckets(s);
  for (const k of BUCKET_KEYS) assertFen(billed[k]);
  if (bucketsTotal(billed) !== s.balanceFen) throw new Error(`statement ${s.id}: balance ≠ sum of buckets`);
  if (bucketsTotal(s.paid) !== s.paidFen) throw new Error(`statement ${s.id}: paidFen ≠ sum of paid buckets`);
  const remaining = remainingFen(s);
  if (remaining < 0) throw new Error(`statement ${s.id}: negative remaining ${remaining}`);
  const unpaid = unpaidBuckets(s);
  for (const k of BUCKET_KEYS) {
    if (unpaid[k] < 0) throw new Error(`statement ${s.id}: ${k} overpaid`);
  }
  if (s.carriedForwardFen === 0 && bucketsTotal(unpaid) !== remaining) {
    throw new Error(`statement ${s.id}: unpaid buckets ≠ remaining`);
  }
  if (s.pastDueFen < 0 || s.pastDueFen > remaining)
    throw new Error(`statement ${s.id}: pastDue out of range`);
}

/**
 * Status after a payment or conversion: paid when nothing remains; out of 'overdue' (and the
 * freeze) once the past-due amount is repaid.
 */
export function settleStatus(s: StatementState, at: Millis): StatementState {
  if (s.status === 'carried') return s;
  if (remainingFen(s) === 0) {
    const { overdueSince: _cleared, ...rest } = s;
    return { ...rest, pastDueFen: 0, status: 'paid', paidInFullAt: s.paidInFullAt ?? at };
  }
  if (s.pastDueFen === 0 && s.status === 'overdue') {
    const { overdueSince: _cleared, ...rest } = s;
    return { ...rest, status: 'open' };
  }
  return s;
}
