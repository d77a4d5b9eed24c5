/**
 * Annualised rates by IRR, as the PBOC requires lenders to disclose them (中国人民银行公告〔2021〕第3号).
 * Pure math in decimal.js: no policy numbers live here, only the calendar conventions below.
 *
 * The IRR is the periodic rate r at which the present value of what the borrower pays equals
 * what the borrower actually received:  net = Σ cf_k / (1+r)^k,  k = 1..n.
 */
import { Dec, type Fen, assertFen, formatPercent } from '../money';

export const MONTHS_PER_YEAR = 12;
/** Daily rates annualise over 365 days, the convention of the PBOC's disclosure rules. */
export const DAYS_PER_YEAR = 365;

export interface AnnualisedRate {
  /** The periodic rate (per month, or per day for daily products), unrounded. */
  periodic: Dec;
  /** Periods-per-year × periodic rate (单利). */
  simple: Dec;
  /** (1 + periodic)^periods-per-year − 1 (复利). */
  compound: Dec;
  /** Percent strings with two decimals, as shown to users: "18.00". */
  aprSimple: string;
  aprCompound: string;
}

// Convergence: stop when a step moves the rate by less than this (far below the ~1e-12 asked).
const STEP_TOLERANCE = new Dec('1e-24');
const MAX_ITERATIONS = 300;

/**
 * The periodic IRR of receiving `netReceivedFen` at t=0 and paying `paymentsFen[k-1]` at period k.
 * Newton's method kept inside a sign-change bracket, falling back to bisection whenever a Newton
 * step would leave it: deterministic, and it always converges because with non-negative payments
 * the present value is strictly decreasing in r, so the root is unique.
 */
export function solveIrr(netReceivedFen: Fen, paymentsFen: readonly Fen[]): Dec {
  assertFen(netReceivedFen);
  if (netReceivedFen <= 0) throw new RangeError(`IRR needs a positive amount received: ${netReceivedFen}`);
  paymentsFen.forEach(assertFen);
  if (paymentsFen.some((p) => p < 0)) throw new RangeError('IRR needs non-negative payments');
  if (!paymentsFen.some((p) => p > 0)) throw new RangeError('IRR needs at least one payment');

  const net = new Dec(netReceivedFen);
  const flows = paymentsFen.map((p) => new Dec(p));
  // f(r) = PV(payments at r) − net, with f'(r); f → +∞ as r → −1⁺ and f → −net as r → +∞.
  const evaluate = (r: Dec): { f: Dec; df: Dec } => {
    const v = new Dec(1).dividedBy(r.plus(1));
    let vk = new Dec(1);
    let f = net.negated();
    let df = new Dec(0);
    flows.forEach((cf, index) => {
      vk = vk.times(v);
      f = f.plus(cf.times(vk));
      df = df.minus(
        cf
          .times(index + 1)
          .times(vk)
          .times(v),
      );
    });
    return { f, df };
  };

  // Bracket the root: lo with f ≥ 0, hi with f ≤ 0.
  let lo = new Dec(0);
  while (evaluate(lo).f.isNegative()) lo = lo.minus(1).dividedBy(2); // halve the gap to −1
  let hi = new Dec(1);
  while (evaluate(hi).f.isPositive()) hi = hi.times(2);

  let r = lo.plus(hi).dividedBy(2);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { f, df } = evaluate(r);
    if (f.isZero()) return r;
    if (f.isPositive()) lo = r;
    else hi = r;
    let next = df.isZero() ? lo.plus(hi).dividedBy(2) : r.minus(f.dividedBy(df));
    if (next.lte(lo) || next.gte(hi)) next = lo.plus(hi).dividedBy(2);
    if (next.minus(r).abs().lt(STEP_TOLERANCE) || hi.minus(lo).lt(STEP_TOLERANCE)) return next;
    r = next;
  }
  // Unreachable in practice: bisection alone halves a bracket of width ≤ 2 below 1e-24 in ~80 steps.
  throw new Error('IRR did not converge');
}

/** Annualise a monthly rate: simple 12·i and compound (1+i)^12 − 1. */
export function annualiseMonthly(monthlyRate: Dec | string): AnnualisedRate {
  return annualise(new Dec(monthlyRate), MONTHS_PER_YEAR);
}

/** Annualise a daily rate (revolving and overdue interest): simple 365·d, compound (1+d)^365 − 1. */
export function annualiseDaily(dailyRate: Dec | string): AnnualisedRate {
  return annualise(new Dec(dailyRate), DAYS_PER_YEAR);
}

/** The annualised IRR of monthly payments against the amount actually received. */
export function monthlyIrrApr(netReceivedFen: Fen, monthlyPaymentsFen: readonly Fen[]): AnnualisedRate {
  return annualiseMonthly(solveIrr(netReceivedFen, monthlyPaymentsFen));
}

function annualise(periodic: Dec, periodsPerYear: number): AnnualisedRate {
  const simple = periodic.times(periodsPerYear);
  const compound = periodic.plus(1).pow(periodsPerYear).minus(1);
  return {
    periodic,
    simple,
    compound,
    aprSimple: formatPercent(simple),
    aprCompound: formatPercent(compound),
  };
}
