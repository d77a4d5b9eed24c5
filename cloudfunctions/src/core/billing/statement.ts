/**
 * Statement building (SPEC §5): issued on the 1st, it bills the period's principal, the installment
 * dues of the month, the previous statement's interest up to yesterday, and carries the previous
 * remainder (principal stays principal, interest stays interest, past-due stays past due).
 */
import type { Statement, StatementDetail } from '../../../../typings/api';
import { assertFen, formatFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { dayKey, toIso, type Millis } from '../time';
import { deadlineEnd, statementDates } from './dates';
import { isDelinquent, overdueDays } from './delinquency';
import { billableInterest } from './interest';
import {
  assertStatementInvariant,
  principalOf,
  remainingFen,
  settleStatus,
  unpaidBuckets,
  ZERO_BUCKETS,
} from './ledger';
import { minimumOutstandingFen, minimumPaymentFen } from './minimumPayment';
import type { InstallmentDue, PurchaseLine, StatementLineState, StatementState } from './types';

export { remainingFen } from './ledger';

export interface BuildStatementInput {
  /** Posting period billed, "YYYY-MM". */
  period: string;
  /** Must be the statement date of `period` (the 1st of the next month, 00:00). */
  issuedAt: Millis;
  /** The latest statement, or null for the account's first. */
  previous: StatementState | null;
  /** Principal to bill: unbilled[period] plus any earlier leftover periods (see billablePrincipal). */
  unbilledFen: Fen;
  /** Shown on the statement; not required to add up to unbilledFen (early repayments net it). */
  purchaseLines: PurchaseLine[];
  installmentDues: InstallmentDue[];
  now: Millis;
  policy: Policy;
  /** Defaults to `st-<period>`. */
  id?: string;
}

export interface BuildStatementResult {
  statement: StatementState;
  /** The previous statement with its interest billed and its remainder carried (null if none). */
  previousAfter: StatementState | null;
}

/**
 * Build the statement of `period`. Returns null when there is nothing to bill (no principal, no
 * dues, nothing carried, no interest): no empty statement is issued, and `previous` is unchanged.
 * Re-running it with the returned previousAfter bills nothing twice (interestBilledThrough, carry).
 */
export function buildStatement(input: BuildStatementInput): BuildStatementResult | null {
  const { period, issuedAt, previous, unbilledFen, policy } = input;
  const dates = statementDates(period, policy);
  if (issuedAt !== dates.statementDate) {
    throw new Error(`statement ${period} must be issued at ${toIso(dates.statementDate)}`);
  }
  if (input.now < issuedAt) throw new Error('cannot issue a statement before its statement date');
  assertFen(unbilledFen);
  if (unbilledFen < 0) throw new Error('unbilled principal cannot be negative');
  if (previous && previous.statementDate >= issuedAt) throw new Error('previous statement is not older');

  let carriedPrincipalFen = 0;
  let carriedInstallmentPrincipalFen = 0;
  let carriedInterestFen = 0;
  let pastDueFen = 0;
  let overdueSince: Millis | undefined;
  let billedInterestFen = 0;
  let previousAfter: StatementState | null = previous;
  const lines: StatementLineState[] = [];

  if (previous) {
    const interest = billableInterest(previous, issuedAt, policy);
    billedInterestFen = interest.fen;
    const unpaid = unpaidBuckets(previous);
    carriedPrincipalFen = principalOf(unpaid);
    carriedInstallmentPrincipalFen = unpaidInstallmentOrigin(previous);
    carriedInterestFen = unpaid.interestFen + unpaid.installmentInterestFen;
    const remaining = remainingFen(previous);
    pastDueFen = previous.pastDueFen;
    if (pastDueFen > 0) overdueSince = previous.overdueSince ?? previous.dueDate;

    let after: StatementState = previous;
    if (interest.lastDay >= interest.firstDay) after = { ...after, interestBilledThrough: interest.lastDay };
    if (remaining > 0) {
      const { overdueSince: _moved, ...rest } = after;
      after = {
        ...rest,
        status: 'carried',
        carriedForwardFen: previous.carriedForwardFen + remaining,
        carriedAt: issuedAt,
        pastDueFen: 0,
      };
      lines.push({
        kind: 'carried',
        description: `上期账单（${previous.period}）未还金额结转`,
        amountFen: remaining,
        at: issuedAt,
      });
    }
    previousAfter = after;
    if (billedInterestFen > 0) {
      lines.push({
        kind: 'interest',
        description: `上期账单利息（${interest.firstDay} 至 ${interest.lastDay}）`,
        amountFen: billedInterestFen,
        at: issuedAt,
      });
    }
  }

  let installmentPrincipalFen = 0;
  let installmentInterestFen = 0;
  for (const due of input.installmentDues) {
    assertFen(due.principalFen);
    assertFen(due.interestFen);
    installmentPrincipalFen += due.principalFen;
    installmentInterestFen += due.interestFen;
    lines.push({
      kind: 'installment',
      description: due.description ?? '分期本月应还',
      amountFen: due.principalFen + due.interestFen,
      at: issuedAt,
      planId: due.planId,
    });
  }
  for (const p of input.purchaseLines) lines.push({ kind: 'purchase', ...p });

  const interestFen = carriedInterestFen + billedInterestFen;
  const balanceFen =
    carriedPrincipalFen + unbilledFen + installmentPrincipalFen + installmentInterestFen + interestFen;
  if (balanceFen === 0) return null;

  const amounts = {
    carriedPrincipalFen,
    ...(carriedInstallmentPrincipalFen > 0 ? { carriedInstallmentPrincipalFen } : {}),
    newPrincipalFen: unbilledFen,
    installmentPrincipalFen,
    installmentInterestFen,
    interestFen,
    pastDueFen,
  };
  const statement: StatementState = {
    id: input.id ?? `st-${period}`,
    period,
    ...dates,
    policyVersion: policy.version,
    ...amounts,
    installmentDues: input.installmentDues.map((d) => ({ ...d })),
    balanceFen,
    minimumDueFen: minimumPaymentFen(amounts, policy),
    paid: { ...ZERO_BUCKETS },
    paidFen: 0,
    accruedInterestPaidFen: 0,
    payments: [],
    conversions: [],
    carriedForwardFen: 0,
    convertedFen: 0,
    interestBilledThrough: null,
    status: pastDueFen > 0 ? 'overdue' : 'open',
    ...(overdueSince !== undefined ? { overdueSince } : {}),
    lines,
  };
  assertStatementInvariant(statement);
  if (previousAfter) assertStatementInvariant(previousAfter);
  return { statement, previousAfter };
}

/** Principal to bill for `period`: that period plus any earlier leftover periods. */
export function billablePrincipal(
  unbilled: Readonly<Record<string, Fen>>,
  period: string,
): { fen: Fen; periods: string[] } {
  const periods = Object.keys(unbilled)
    .filter((p) => p <= period && unbilled[p] > 0)
    .sort();
  return { fen: periods.reduce((sum, p) => sum + unbilled[p], 0), periods };
}

/**
 * Why a statement cannot become installments at `at` (SPEC §7: before its grace ends), or null:
 * carried into a later one, past its grace, or with an amount past due (moving that into a plan
 * would not repay it).
 */
export function conversionBlock(
  s: StatementState,
  at: Millis,
): 'carried' | 'grace_ended' | 'past_due' | null {
  if (s.status === 'carried') return 'carried';
  if (at > deadlineEnd(s.graceEndsAt)) return 'grace_ended';
  return isDelinquent(s) ? 'past_due' : null;
}

/**
 * Principal that may still become an installment plan (conversionBlock): unpaid new principal, and
 * unpaid carried principal that was never in a plan. Which part of the carried principal a payment
 * repaid is not recorded, so payments are taken to have repaid the convertible part first: an
 * installment's principal is never converted again.
 */
export function convertiblePrincipalFen(s: StatementState, at: Millis): Fen {
  if (conversionBlock(s, at) !== null) return 0;
  const unpaid = unpaidBuckets(s);
  return convertibleCarriedFen(s, unpaid.carriedPrincipalFen) + unpaid.newPrincipalFen;
}

function convertibleCarriedFen(s: StatementState, unpaidCarriedFen: Fen): Fen {
  return Math.max(0, unpaidCarriedFen - (s.carriedInstallmentPrincipalFen ?? 0));
}

/**
 * Of a statement's unpaid principal, what came from installment dues: its own unpaid dues and the
 * installment part of what it carried in (payments taken to repay the convertible part first).
 */
function unpaidInstallmentOrigin(s: StatementState): Fen {
  const unpaid = unpaidBuckets(s);
  return (
    unpaid.installmentPrincipalFen +
    Math.min(s.carriedInstallmentPrincipalFen ?? 0, unpaid.carriedPrincipalFen)
  );
}

/**
 * Turn principal into an installment plan (SPEC §7): oldest first (carried, then new), like a
 * payment; installment dues cannot be converted again. Converted principal stops bearing interest.
 */
export function applyConversion(
  s: StatementState,
  amountFen: Fen,
  at: Millis,
  planId?: string,
): StatementState {
  assertFen(amountFen);
  if (amountFen <= 0 || amountFen > convertiblePrincipalFen(s, at)) {
    throw new Error(`statement ${s.id}: cannot convert ${amountFen} fen`);
  }
  const unpaid = unpaidBuckets(s);
  const fromCarried = Math.min(amountFen, convertibleCarriedFen(s, unpaid.carriedPrincipalFen));
  const split = { carriedPrincipalFen: fromCarried, newPrincipalFen: amountFen - fromCarried };
  const converted: StatementState = {
    ...s,
    convertedFen: s.convertedFen + amountFen,
    conversions: [...s.conversions, { at, amountFen, split, ...(planId ? { planId } : {}) }],
  };
  const clamped = { ...converted, pastDueFen: Math.min(converted.pastDueFen, remainingFen(converted)) };
  const next = settleStatus(clamped, at);
  assertStatementInvariant(next);
  return next;
}

/** The API view of a statement (SPEC §9). */
export function toApiStatement(s: StatementState, now: Millis): Statement {
  return {
    id: s.id,
    period: s.period,
    statementDate: toIso(s.statementDate),
    dueDate: toIso(s.dueDate),
    graceEndsAt: toIso(s.graceEndsAt),
    balance: formatFen(s.balanceFen),
    principal: formatFen(s.carriedPrincipalFen + s.newPrincipalFen),
    interest: formatFen(s.interestFen),
    installments: formatFen(s.installmentPrincipalFen + s.installmentInterestFen),
    minimumDue: formatFen(s.minimumDueFen),
    minimumOutstanding: formatFen(s.status === 'carried' ? 0 : minimumOutstandingFen(s)),
    paid: formatFen(s.paidFen),
    remaining: formatFen(remainingFen(s)),
    status: s.status,
    overdueDays: s.status === 'overdue' ? overdueDays(now, s.overdueSince) : 0,
    carriedForward: formatFen(s.carriedForwardFen),
    converted: formatFen(s.convertedFen),
  };
}

export function toApiStatementDetail(s: StatementState, now: Millis): StatementDetail {
  return {
    ...toApiStatement(s, now),
    lines: s.lines.map((l) => ({
      kind: l.kind,
      description: l.description,
      amount: formatFen(l.amountFen),
      at: toIso(l.at),
      ...(l.txnId ? { txnId: l.txnId } : {}),
      ...(l.planId ? { planId: l.planId } : {}),
    })),
  };
}

/** "YYYY-MM" of the period a statement issued at `issuedAt` bills (the previous month). */
export function periodBilledAt(issuedAt: Millis): string {
  return dayKey(issuedAt - 1).slice(0, 7);
}
