/**
 * Installment schedules (SPEC §7). Pure: integer fen in and out, decimal.js in between.
 *
 * Two pricing strategies, chosen by `policy.installments.pricing`:
 * - 'declining' (等额本息): interest on the declining balance, equal monthly payments. The product.
 * - 'flat': a fee of the monthly rate on the FULL principal every month. It exists only so the
 *   compliance guard can show why it is refused (31.72% a year over 12 months at 1.5%).
 */
import { Dec, type Fen, assertFen, fenTimesRate, roundFen, sumFen } from '../money';
import type { Policy } from '../policy';

export interface ScheduleRowFen {
  /** 1-based period number; period k falls due k months after conversion. */
  period: number;
  paymentFen: Fen;
  principalFen: Fen;
  interestFen: Fen;
  /** Principal still owed after this period's payment. */
  remainingFen: Fen;
}

export interface ScheduleTotals {
  paymentFen: Fen;
  principalFen: Fen;
  interestFen: Fen;
}

/** The schedule of `principalFen` over `term` months under the policy's pricing mode. */
export function buildSchedule(principalFen: Fen, term: number, policy: Policy): ScheduleRowFen[] {
  assertPlan(principalFen, term);
  const { pricing, monthlyRate } = policy.installments;
  const rows =
    pricing === 'flat'
      ? flatSchedule(principalFen, term, monthlyRate)
      : decliningSchedule(principalFen, term, monthlyRate);
  assertSchedule(rows, principalFen);
  return rows;
}

/**
 * The level payment of an equal-payment (等额本息) plan: P·i / (1 − (1+i)^−n), half-up to the fen.
 * A zero rate degenerates to P / n. Periods 1..n−1 pay exactly this; the last one settles the rest.
 */
export function equalPaymentFen(principalFen: Fen, term: number, policy: Policy): Fen {
  assertPlan(principalFen, term);
  return levelPayment(principalFen, term, new Dec(policy.installments.monthlyRate));
}

export function scheduleTotals(rows: readonly ScheduleRowFen[]): ScheduleTotals {
  return {
    paymentFen: sumFen(rows.map((r) => r.paymentFen)),
    principalFen: sumFen(rows.map((r) => r.principalFen)),
    interestFen: sumFen(rows.map((r) => r.interestFen)),
  };
}

function levelPayment(principalFen: Fen, term: number, i: Dec): Fen {
  return roundFen(exactLevelPayment(principalFen, term, i));
}

/** P·i / (1 − (1+i)^−n) unrounded, in fen (P / n at a zero rate). */
export function exactLevelPayment(principalFen: Fen, term: number, i: Dec): Dec {
  const p = new Dec(principalFen);
  return i.isZero() ? p.dividedBy(term) : p.times(i).dividedBy(new Dec(1).minus(i.plus(1).pow(-term)));
}

function decliningSchedule(principalFen: Fen, term: number, monthlyRate: string): ScheduleRowFen[] {
  const payment = levelPayment(principalFen, term, new Dec(monthlyRate));
  const rows: ScheduleRowFen[] = [];
  let remaining = principalFen;
  for (let period = 1; period <= term; period++) {
    // Interest is always charged on what is still owed, so rounding never compounds.
    const interest = fenTimesRate(remaining, monthlyRate);
    // The last period absorbs every rounding residue: the principal column then sums exactly.
    // (The min only matters for a few-fen principal, where rounding could overshoot the balance.)
    const principal = period === term ? remaining : Math.min(payment - interest, remaining);
    remaining -= principal;
    rows.push({
      period,
      paymentFen: principal + interest,
      principalFen: principal,
      interestFen: interest,
      remainingFen: remaining,
    });
  }
  return rows;
}

function flatSchedule(principalFen: Fen, term: number, monthlyRate: string): ScheduleRowFen[] {
  // The fee never shrinks: it is charged on the original principal every month.
  const fee = fenTimesRate(principalFen, monthlyRate);
  const evenShare = Math.floor(principalFen / term);
  const rows: ScheduleRowFen[] = [];
  let remaining = principalFen;
  for (let period = 1; period <= term; period++) {
    const principal = period === term ? remaining : evenShare;
    remaining -= principal;
    rows.push({
      period,
      paymentFen: principal + fee,
      principalFen: principal,
      interestFen: fee,
      remainingFen: remaining,
    });
  }
  return rows;
}

function assertPlan(principalFen: Fen, term: number): void {
  assertFen(principalFen);
  if (principalFen <= 0) throw new RangeError(`installment principal must be positive: ${principalFen}`);
  if (!Number.isSafeInteger(term) || term <= 0)
    throw new RangeError(`installment term must be a positive integer: ${term}`);
}

// Invariants, checked on every schedule: nothing negative, principal sums exactly, ends at zero.
function assertSchedule(rows: readonly ScheduleRowFen[], principalFen: Fen): void {
  for (const r of rows) {
    if (r.paymentFen < 0 || r.principalFen < 0 || r.interestFen < 0 || r.remainingFen < 0) {
      throw new Error(`installment schedule has a negative value in period ${r.period}`);
    }
    if (r.paymentFen !== r.principalFen + r.interestFen) {
      throw new Error(`installment schedule payment mismatch in period ${r.period}`);
    }
  }
  const last = rows[rows.length - 1];
  if (scheduleTotals(rows).principalFen !== principalFen || last === undefined || last.remainingFen !== 0) {
    throw new Error('installment schedule does not repay the principal exactly');
  }
}
