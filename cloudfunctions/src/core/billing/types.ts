/**
 * Billing state (SPEC §5). The model, as decided by the lead:
 *
 * - Statement date: the 1st of each month 00:00 Shanghai. The statement of period "2026-11" is
 *   issued on 2026-12-01 00:00 and bills the principal posted in November. Due date: the 10th of
 *   the statement month 23:59:59; grace ends `graceHours` later (the 13th 23:59:59). Deadlines
 *   name a whole second, so a payment anywhere inside 23:59:59 is still on time.
 * - The account keeps unbilled principal per posting period (purchases net of early repayments).
 *   The statement of period P bills unbilled[P] and any earlier leftover periods.
 * - At most ONE statement carries debt at a time. Issuing a statement carries the previous one's
 *   unpaid remainder into it: the previous gets status 'carried', carriedForwardFen = its remaining
 *   (so its own remaining becomes 0). Carried principal stays principal and bears interest every
 *   day; carried unpaid interest (revolving or installment) stays interest: interest is simple.
 * - A statement's interest window runs from its statement date to the last day of its month; the
 *   next statement bills it (rounded half-up once), minus interest a payoff already paid ahead.
 *   After that the statement is carried, so no day is ever billed twice.
 * - Interest for calendar day d = (interest-bearing principal unpaid at the END of d) × daily rate.
 *   Interest-bearing: unpaid carried principal every day; unpaid installment and new principal on
 *   days after the due date, unless the statement was paid in full by the end of grace.
 * - Unpaid-at-a-time is replayed from `payments` and `conversions`, each of which records its
 *   per-bucket split. applyRepayment fills buckets in the allocation order (interest, carried
 *   principal, installment dues oldest plan first with each plan's interest before its principal,
 *   new principal), so the replay follows that order by construction.
 * - Money is integer fen; instants are epoch ms; days are Shanghai "YYYY-MM-DD" keys.
 *
 * Invariant: remaining = balance − paid − carriedForward − converted ≥ 0, where `paid` counts
 * only the statement's own dues (interest paid ahead by a payoff is kept in accruedInterestPaidFen).
 */
import type { Fen } from '../money';
import type { Millis } from '../time';

export type StatementStateStatus = 'open' | 'paid' | 'overdue' | 'carried';

/** The dues of a statement split by what they are; used for billed, paid, unpaid and converted. */
export interface Buckets {
  /** Revolving interest (incl. carried unpaid interest). */
  interestFen: Fen;
  /** Principal already past due when the statement was issued. */
  carriedPrincipalFen: Fen;
  installmentInterestFen: Fen;
  installmentPrincipalFen: Fen;
  /** This period's purchases. */
  newPrincipalFen: Fen;
}

export interface PaymentSplit extends Buckets {
  /** Interest of days not yet billed, paid ahead by a payoff (not part of the balance). */
  accruedInterestFen: Fen;
}

export interface StatementPayment {
  at: Millis;
  /** Everything applied to this statement, accrued interest included. */
  amountFen: Fen;
  principalFen: Fen;
  /** Revolving + installment + accrued interest. */
  interestFen: Fen;
  split: PaymentSplit;
}

/** Principal turned into an installment plan (SPEC §7); it stops bearing revolving interest at `at`. */
export interface StatementConversion {
  at: Millis;
  amountFen: Fen;
  planId?: string;
  split: { carriedPrincipalFen: Fen; newPrincipalFen: Fen };
}

/** One installment plan's dues falling due on a statement. */
export interface InstallmentDue {
  planId: string;
  principalFen: Fen;
  interestFen: Fen;
  description?: string;
}

export interface PurchaseLine {
  txnId: string;
  description: string;
  amountFen: Fen;
  at: Millis;
}

export interface StatementLineState {
  kind: 'purchase' | 'installment' | 'interest' | 'carried';
  description: string;
  amountFen: Fen;
  at: Millis;
  txnId?: string;
  planId?: string;
}

export interface StatementState {
  id: string;
  /** Posting period billed, "YYYY-MM". */
  period: string;
  statementDate: Millis;
  dueDate: Millis;
  graceEndsAt: Millis;
  policyVersion: string;

  carriedPrincipalFen: Fen;
  /**
   * Of `carriedPrincipalFen`, what came from installment dues left unpaid (absent: none, as on
   * statements issued before it was kept). Principal already in a plan: never converted again.
   */
  carriedInstallmentPrincipalFen?: Fen;
  newPrincipalFen: Fen;
  installmentPrincipalFen: Fen;
  installmentInterestFen: Fen;
  installmentDues: InstallmentDue[];
  /** Revolving interest billed here, incl. carried unpaid interest. */
  interestFen: Fen;
  /** Unpaid minimum that is past due (from this statement's grace end or carried from an earlier one). */
  pastDueFen: Fen;
  balanceFen: Fen;
  minimumDueFen: Fen;

  paid: Buckets;
  /** Sum of `paid`; excludes accruedInterestPaidFen. */
  paidFen: Fen;
  /** Interest of not-yet-billed days paid ahead (payoff); deducted when that interest is billed. */
  accruedInterestPaidFen: Fen;
  payments: StatementPayment[];
  conversions: StatementConversion[];

  carriedForwardFen: Fen;
  convertedFen: Fen;
  /** When the remainder was carried into the next statement. */
  carriedAt?: Millis;
  /** Last day whose interest has been billed on a later statement ("YYYY-MM-DD"). */
  interestBilledThrough: string | null;

  status: StatementStateStatus;
  paidInFullAt?: Millis;
  /** The due date the current delinquency started from; set while pastDueFen > 0. */
  overdueSince?: Millis;
  /** Set once evaluateGraceEnd ran, so it is idempotent. */
  graceEvaluatedAt?: Millis;

  lines: StatementLineState[];
}

/** Entry for the credit history (SPEC §5: "an overdue record is added"). */
export interface OverdueRecord {
  statementId: string;
  period: string;
  dueDate: Millis;
  overdueSince: Millis;
  pastDueFen: Fen;
  recordedAt: Millis;
  policyVersion: string;
}
