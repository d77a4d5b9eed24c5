/**
 * The compliance guard (SPEC §7): the worst-case IRR-annualised rate of every product a policy can
 * offer, against the policy's line (24%). `loadPolicy` (../policyLoader) refuses to start above it.
 *
 * Which rate is compared: BOTH. The PBOC lets a lender disclose the annualised rate as simple
 * (12·i, 365·d) or compound ((1+i)^12 − 1) if it says which; the product is refused when EITHER
 * exceeds the line, so no disclosure convention can make it look compliant. For non-negative
 * rates the compound one is never lower, so in practice the compound rate decides: a monthly 2%
 * (24.00% simple, 26.82% compound) is refused. Comparisons use the unrounded rates; the percent
 * strings are for display only (24.004% shows as "24.00" yet exceeds).
 *
 * Products:
 * - installment: each term of the policy under its pricing mode, held to term;
 * - early_payoff, when `lockedFeesOnEarlyPayoff` is on: each term paid off after every possible
 *   number of periods, the worst kept (see ../installments/earlyPayoff). Under the default rule
 *   (remaining principal + the current period's interest, paid by that period's due date) a
 *   payoff costs exactly what the schedule charges, so its rate is the installment's own rate
 *   and it is not listed separately (a test checks this);
 * - revolving: interest on a statement paid ≥ minimum but not in full, billing.dailyInterestRate;
 * - overdue: the same daily rate after the grace period (SPEC §5: no late fees or penalties).
 *
 * Schedules round to the fen, so an installment's rate moves slightly with its principal, up and
 * down, not monotonically (a 1.806 % policy shows 23.98 % at 100.00 but 24.04 % at 119.91). Each
 * installment product is measured at the smallest principal the policy converts and at the quota
 * cap, and, under declining pricing, bounded for every principal in between (roundingBound); the
 * highest is kept, so a policy whose offers could show more than the line is refused.
 */
import { Dec, type Fen, formatFen, formatPercent } from '../money';
import type { Policy } from '../policy';
import { worstEarlyPayoffRate } from '../installments/earlyPayoff';
import { type AnnualisedRate, annualiseDaily, monthlyIrrApr } from '../installments/irr';
import { buildSchedule, exactLevelPayment } from '../installments/schedule';

export type ProductKind = 'installment' | 'early_payoff' | 'revolving' | 'overdue';

export interface ProductRate {
  product: ProductKind;
  /** Installment and early-payoff products: the term in months. */
  term?: number;
  pricing?: Policy['installments']['pricing'];
  /** Early payoff (locked fees only): the number of periods paid before the worst payoff. */
  periodsPaid?: number;
  /** Installment and early-payoff products: the reference principal of the worst case. */
  principal?: string;
  aprSimple: string;
  aprCompound: string;
  /** Unrounded annual rates, as compared with the line. */
  simple: Dec;
  compound: Dec;
  exceeds: boolean;
}

export interface ComplianceReport {
  policyVersion: string;
  /** The line as a percent string ("24.00"). */
  line: string;
  products: ProductRate[];
  /** The product with the highest annualised rate (compound, then simple). */
  worst: ProductRate;
  ok: boolean;
}

export function checkCompliance(policy: Policy): ComplianceReport {
  const line = new Dec(policy.compliance.maxAnnualRate);
  const rate = (
    r: AnnualisedRate,
  ): Pick<ProductRate, 'aprSimple' | 'aprCompound' | 'simple' | 'compound' | 'exceeds'> => ({
    aprSimple: r.aprSimple,
    aprCompound: r.aprCompound,
    simple: r.simple,
    compound: r.compound,
    exceeds: r.simple.gt(line) || r.compound.gt(line),
  });

  const products: ProductRate[] = [];
  const { terms, pricing, lockedFeesOnEarlyPayoff } = policy.installments;
  const principals = referencePrincipals(policy);
  for (const term of terms) {
    const held = maxBy([
      ...principals.map((principalFen) => {
        const payments = buildSchedule(principalFen, term, policy).map((row) => row.paymentFen);
        return { principal: formatFen(principalFen), r: monthlyIrrApr(principalFen, payments) };
      }),
      ...(pricing === 'declining'
        ? [
            {
              principal: `${formatFen(principals[0]!)}+ (rounding bound)`,
              r: roundingBound(principals[0]!, term, policy),
            },
          ]
        : []),
    ]);
    products.push({
      product: 'installment',
      term,
      pricing,
      principal: held.principal,
      ...rate(held.r),
    });
  }
  for (const term of lockedFeesOnEarlyPayoff ? terms : []) {
    const payoff = maxBy(
      principals.map((principalFen) => {
        const worst = worstEarlyPayoffRate(buildSchedule(principalFen, term, policy), policy);
        return { principalFen, r: worst.rate, k: worst.periodsPaid };
      }),
    );
    products.push({
      product: 'early_payoff',
      term,
      pricing,
      periodsPaid: payoff.k,
      principal: formatFen(payoff.principalFen),
      ...rate(payoff.r),
    });
  }
  const daily = annualiseDaily(policy.billing.dailyInterestRate);
  products.push({ product: 'revolving', ...rate(daily) });
  products.push({ product: 'overdue', ...rate(daily) });

  const worst = products.reduce((a, b) =>
    b.compound.gt(a.compound) || (b.compound.eq(a.compound) && b.simple.gt(a.simple)) ? b : a,
  );
  return {
    policyVersion: policy.version,
    line: formatPercent(line),
    products,
    worst,
    ok: products.every((p) => !p.exceeds),
  };
}

/** One line per product, e.g. "installment 12 months (flat pricing) at principal 200000.00: 31.72% simple, 36.76% compound". */
export function describeProduct(p: ProductRate): string {
  let name: string;
  switch (p.product) {
    case 'installment':
      name = `installment ${p.term} months (${p.pricing} pricing)`;
      break;
    case 'early_payoff':
      name = `early payoff of the ${p.term}-month installment with locked full-term fees (after ${p.periodsPaid} periods paid)`;
      break;
    case 'revolving':
      name = 'revolving interest';
      break;
    case 'overdue':
      name = 'overdue interest';
      break;
  }
  const at = p.principal === undefined ? '' : ` at principal ${p.principal}`;
  return `${name}${at}: ${p.aprSimple}% simple, ${p.aprCompound}% compound`;
}

/** The refusal message: the policy, the line and every product over it, worst first. */
export function describeViolations(report: ComplianceReport): string {
  const over = report.products
    .filter((p) => p.exceeds)
    .sort((a, b) => b.compound.comparedTo(a.compound))
    .map(describeProduct);
  return (
    `policy ${report.policyVersion} refused by the compliance guard: annualised rate above the ` +
    `${report.line}% line (simple or compound, by IRR): ${over.join('; ')}`
  );
}

function referencePrincipals(policy: Policy): Fen[] {
  const smallest = Math.max(policy.installments.minPrincipalFen, 1);
  const largest = policy.quota.capFen;
  return largest > smallest ? [smallest, largest] : [smallest];
}

/**
 * An upper bound of the rate of any equal-payment schedule of at least `smallestFen` over `term`.
 * Each period's interest is the balance times the monthly rate, rounded half-up: the schedule is an
 * exact amortisation at that rate (whose IRR is the rate itself, however the rounded level payment
 * shifts when principal is repaid) plus each period's interest rounding, at most half a fen. So no
 * schedule costs more than the exact level payment plus half a fen every period, and relative to
 * the principal that weighs most at the smallest one. Scaled ×100 so the half fen stays a whole
 * unit for the IRR.
 */
function roundingBound(smallestFen: Fen, term: number, policy: Policy): AnnualisedRate {
  const exact = exactLevelPayment(smallestFen, term, new Dec(policy.installments.monthlyRate));
  const payment = exact.plus('0.5').times(100).ceil().toNumber();
  return monthlyIrrApr(
    smallestFen * 100,
    Array.from({ length: term }, () => payment),
  );
}

function maxBy<T extends { r: AnnualisedRate }>(candidates: T[]): T {
  return candidates.reduce((a, b) => (b.r.compound.gt(a.r.compound) ? b : a));
}
