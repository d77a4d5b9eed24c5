/**
 * Shared billing reads and account-level bookkeeping used by the bill use cases and the scheduler:
 * loading the current statement and plans, what is owed, and the unpaid-principal invariant.
 */
import { installmentDueDate } from '../core/billing/dates';
import { accruedInterestToDate } from '../core/billing/interest';
import { principalOf, unpaidBuckets } from '../core/billing/ledger';
import type { StatementState } from '../core/billing/types';
import { payoffBeyondStatements } from '../core/installments/earlyPayoff';
import type { Fen } from '../core/money';
import type { Policy } from '../core/policy';
import { owedItems, totalOf, type PlanPayoff } from '../core/repayment/allocation';
import type { Tx } from '../ports/store';
import type { AccountDoc, PlanDoc, ProfileDoc, StatementDoc } from './documents';

export interface BillingState {
  statement: StatementDoc | null;
  plans: PlanDoc[];
}

export async function loadBilling(tx: Pick<Tx, 'get'>, account: AccountDoc): Promise<BillingState> {
  const statement = account.currentStatementId
    ? await tx.get<StatementDoc>('statements', account.currentStatementId)
    : null;
  const plans: PlanDoc[] = [];
  for (const id of account.activePlanIds) {
    const plan = await tx.get<PlanDoc>('plans', id);
    if (plan && plan.status === 'active') plans.push(plan);
  }
  return { statement, plans };
}

/** Principal of a plan not yet moved onto a statement (still part of `used`). */
export function planUnbilledPrincipal(plan: PlanDoc): Fen {
  return plan.schedule.slice(plan.periodsBilled).reduce((sum, r) => sum + r.principalFen, 0);
}

/** When the plan's last installment on a statement falls due; null while none is billed. */
export function lastBilledDue(plan: PlanDoc, policy: Policy): number | null {
  return plan.periodsBilled === 0 ? null : installmentDueDate(plan.firstPeriod, plan.periodsBilled, policy);
}

/** Early-payoff figures, at `now`, of every plan with installments still to bill. */
export function planPayoffs(plans: readonly PlanDoc[], now: number, policy: Policy): PlanPayoff[] {
  return plans
    .filter((p) => p.status === 'active' && p.periodsBilled < p.term)
    .map((p) => {
      const payoff = payoffBeyondStatements(
        p.schedule,
        p.periodsBilled,
        lastBilledDue(p, policy),
        now,
        policy,
      );
      return {
        planId: p._id,
        payoffPrincipalFen: payoff.principalFen,
        payoffInterestFen: payoff.interestFen,
      };
    });
}

export function liveStatement(s: StatementState | null): StatementState | null {
  return s && s.status !== 'carried' ? s : null;
}

/** Everything owed right now (what a payoff would take), accrued interest included. */
export function totalOwedFen(account: AccountDoc, billing: BillingState, now: number, policy: Policy): Fen {
  const statement = liveStatement(billing.statement);
  return totalOf(
    owedItems(
      {
        statement,
        unbilled: account.unbilled,
        accruedInterestFen: statement ? accruedInterestToDate(statement, now, policy) : 0,
        plans: planPayoffs(billing.plans, now, policy),
      },
      'everything',
    ),
  );
}

export function unbilledTotalFen(account: AccountDoc): Fen {
  return Object.values(account.unbilled).reduce((sum, v) => sum + v, 0);
}

/**
 * `used` is unpaid principal: unbilled + the statement's unpaid principal + plans' unbilled
 * principal. Recomputed from the parts after every change and checked, TigerBeetle-style.
 */
export function unpaidPrincipalFen(account: AccountDoc, billing: BillingState): Fen {
  const statement = liveStatement(billing.statement);
  const billed = statement ? principalOf(unpaidBuckets(statement)) : 0;
  const plans = billing.plans
    .filter((p) => p.status === 'active')
    .reduce((sum, p) => sum + planUnbilledPrincipal(p), 0);
  return unbilledTotalFen(account) + billed + plans;
}

export function assertUsedInvariant(account: AccountDoc, billing: BillingState): void {
  const expected = unpaidPrincipalFen(account, billing);
  if (account.usedFen !== expected) {
    throw new Error(`account ${account._id}: used ${account.usedFen} ≠ unpaid principal ${expected}`);
  }
}

export function fundsOf(profile: ProfileDoc | null, channel: 'balance' | 'bank_card'): Fen {
  if (!profile) return 0;
  return channel === 'balance' ? profile.balanceFen : profile.bankCardBalanceFen;
}

export function debitFunds(profile: ProfileDoc, channel: 'balance' | 'bank_card', fen: Fen): ProfileDoc {
  return channel === 'balance'
    ? { ...profile, balanceFen: profile.balanceFen - fen }
    : { ...profile, bankCardBalanceFen: profile.bankCardBalanceFen - fen };
}
