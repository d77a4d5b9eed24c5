/**
 * Apply an allocation to a statement (pure). Only lines naming this statement are applied; unbilled
 * and plan lines belong to the account (see applyToUnbilled). The split recorded on the payment is
 * what the interest replay uses.
 */
import {
  addBuckets,
  assertStatementInvariant,
  remainingFen,
  settleStatus,
  splitInstallmentPayment,
  unpaidBuckets,
} from '../billing/ledger';
import type { PaymentSplit, StatementState } from '../billing/types';
import { assertFen } from '../money';
import type { Millis } from '../time';
import type { AllocationItem } from './allocation';

export function applyRepayment(
  s: StatementState,
  allocation: readonly AllocationItem[],
  at: Millis,
): StatementState {
  const mine = allocation.filter((l) => l.statementId === s.id && l.target !== 'unbilled_principal');
  if (mine.length === 0) return s;
  if (s.status === 'carried') throw new Error(`statement ${s.id} was carried forward`);
  if (at < s.statementDate) throw new Error(`payment before statement ${s.id} was issued`);

  let interest = 0;
  let accrued = 0;
  let principal = 0;
  let installment = 0;
  for (const l of mine) {
    assertFen(l.amountFen);
    if (l.amountFen < 0) throw new Error('negative allocation line');
    if (l.target === 'interest' && l.accrued) accrued += l.amountFen;
    else if (l.target === 'interest') interest += l.amountFen;
    else if (l.target === 'billed_principal') principal += l.amountFen;
    else installment += l.amountFen;
  }

  const unpaid = unpaidBuckets(s);
  if (interest > unpaid.interestFen) throw new Error(`statement ${s.id}: interest overpaid`);
  if (principal > unpaid.carriedPrincipalFen + unpaid.newPrincipalFen) {
    throw new Error(`statement ${s.id}: principal overpaid`);
  }
  if (installment > unpaid.installmentInterestFen + unpaid.installmentPrincipalFen) {
    throw new Error(`statement ${s.id}: installment dues overpaid`);
  }

  // Billed principal: oldest (carried) first; installment dues: plans in order, interest first.
  const carried = Math.min(principal, unpaid.carriedPrincipalFen);
  const inst = splitInstallmentPayment(
    s.installmentDues,
    s.paid.installmentInterestFen + s.paid.installmentPrincipalFen,
    installment,
  );
  const split: PaymentSplit = {
    interestFen: interest,
    carriedPrincipalFen: carried,
    installmentInterestFen: inst.interestFen,
    installmentPrincipalFen: inst.principalFen,
    newPrincipalFen: principal - carried,
    accruedInterestFen: accrued,
  };
  const duesPaid = interest + principal + installment;
  const next: StatementState = {
    ...s,
    paid: addBuckets(s.paid, split),
    paidFen: s.paidFen + duesPaid,
    accruedInterestPaidFen: s.accruedInterestPaidFen + accrued,
    // Payments reduce the past-due amount first.
    pastDueFen: Math.max(0, s.pastDueFen - duesPaid),
    payments: [
      ...s.payments,
      {
        at,
        amountFen: duesPaid + accrued,
        principalFen: principal + inst.principalFen,
        interestFen: interest + inst.interestFen + accrued,
        split,
      },
    ],
  };
  // Accrued interest is only valid for a payment that clears the statement (see accruedInterestToDate).
  if (accrued > 0 && remainingFen(next) !== 0) {
    throw new Error(`statement ${s.id}: accrued interest paid without clearing the statement`);
  }
  const settled = settleStatus(next, at);
  assertStatementInvariant(settled);
  return settled;
}
