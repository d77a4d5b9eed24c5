/**
 * Minimum payment (SPEC §5): 10% of billed principal (carried + new) + all installment dues + all
 * interest, at least the floor, at most the balance. A past-due amount carried from the previous
 * statement is not added on top: it is principal already billed, so its 10% is in the sum, and a
 * payment clears it first (core/repayment/apply.ts). But the minimum is never less than it: an
 * unpaid installment due is carried as principal (only 10% of it in the sum), and paying the
 * minimum must end a delinquency (SPEC §5: frozen until everything overdue is repaid).
 */
import { fenTimesRate, type Fen } from '../money';
import type { Policy } from '../policy';
import { remainingFen } from './ledger';
import type { StatementState } from './types';

export interface MinimumInput {
  carriedPrincipalFen: Fen;
  newPrincipalFen: Fen;
  installmentPrincipalFen: Fen;
  installmentInterestFen: Fen;
  interestFen: Fen;
  /** Past due carried from the previous statement. */
  pastDueFen: Fen;
}

export function minimumPaymentFen(input: MinimumInput, policy: Policy): Fen {
  const b = policy.billing;
  const balance =
    input.carriedPrincipalFen +
    input.newPrincipalFen +
    input.installmentPrincipalFen +
    input.installmentInterestFen +
    input.interestFen;
  const computed =
    fenTimesRate(input.carriedPrincipalFen + input.newPrincipalFen, b.minimumPrincipalRate) +
    input.installmentPrincipalFen +
    input.installmentInterestFen +
    input.interestFen;
  return Math.min(balance, Math.max(b.minimumFloorFen, computed, input.pastDueFen));
}

/**
 * What is still needed to meet the minimum (never more than the remaining balance), and never less
 * than what is past due: statements issued before the minimum covered the carried past-due amount
 * hold a smaller one, and paying "the minimum" must end a delinquency on them too.
 */
export function minimumOutstandingFen(s: StatementState): Fen {
  return Math.max(0, Math.min(Math.max(s.minimumDueFen - s.paidFen, s.pastDueFen), remainingFen(s)));
}
