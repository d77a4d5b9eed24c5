/**
 * Repayment allocation (SPEC §6): interest → billed principal and installment dues, oldest first →
 * unbilled principal, oldest period first. Within a statement: revolving interest, carried
 * principal, installment dues (plans in order), new principal; then the statement's accrued
 * (not yet billed) interest, which only a payment clearing the whole statement reaches.
 * Installment plans' not-yet-billed remainder comes last and is reached only by mode payoff.
 */
import type { AllocationTarget } from '../../../../typings/api';
import { unpaidBuckets, unpaidInstallmentDues } from '../billing/ledger';
import type { StatementState } from '../billing/types';
import { assertFen, type Fen } from '../money';

export interface AllocationItem {
  target: AllocationTarget;
  amountFen: Fen;
  statementId?: string;
  planId?: string;
  /** Posting period of unbilled principal. */
  period?: string;
  /** Interest of days not billed yet (payoff / custom beyond the statement). */
  accrued?: true;
}

/** Early-payoff figures of a plan's not-yet-billed part, computed by the installments module. */
export interface PlanPayoff {
  planId: string;
  payoffPrincipalFen: Fen;
  payoffInterestFen: Fen;
}

export interface OwedInput {
  statement: StatementState | null;
  unbilled: Readonly<Record<string, Fen>>;
  accruedInterestFen: Fen;
  plans: readonly PlanPayoff[];
}

/** How far an allocation reaches: the statement only, everything but plans, or everything. */
export type OwedScope = 'statement' | 'all_but_plans' | 'everything';

/** Everything owed within `scope`, in allocation order (zero items left out). */
export function owedItems(input: OwedInput, scope: OwedScope): AllocationItem[] {
  const items: AllocationItem[] = [];
  const s = input.statement && input.statement.status !== 'carried' ? input.statement : null;
  assertFen(input.accruedInterestFen);
  if (input.accruedInterestFen > 0 && !s) throw new Error('accrued interest without a live statement');
  if (s) {
    const unpaid = unpaidBuckets(s);
    const statementId = s.id;
    items.push({ target: 'interest', amountFen: unpaid.interestFen, statementId });
    items.push({ target: 'billed_principal', amountFen: unpaid.carriedPrincipalFen, statementId });
    const paidInstallments = s.paid.installmentInterestFen + s.paid.installmentPrincipalFen;
    for (const due of unpaidInstallmentDues(s.installmentDues, paidInstallments)) {
      const amountFen = due.interestFen + due.principalFen;
      items.push({ target: 'installment', amountFen, statementId, planId: due.planId });
    }
    items.push({ target: 'billed_principal', amountFen: unpaid.newPrincipalFen, statementId });
    if (scope !== 'statement') {
      items.push({ target: 'interest', amountFen: input.accruedInterestFen, statementId, accrued: true });
    }
  }
  if (scope !== 'statement') {
    for (const period of Object.keys(input.unbilled).sort()) {
      const amountFen = input.unbilled[period];
      assertFen(amountFen);
      if (amountFen < 0) throw new Error(`negative unbilled principal for ${period}`);
      items.push({ target: 'unbilled_principal', amountFen, period });
    }
  }
  if (scope === 'everything') {
    for (const p of input.plans) {
      const amountFen = p.payoffPrincipalFen + p.payoffInterestFen;
      assertFen(amountFen);
      items.push({ target: 'installment', amountFen, planId: p.planId });
    }
  }
  return items.filter((i) => i.amountFen > 0);
}

export function totalOf(items: readonly AllocationItem[]): Fen {
  return items.reduce((sum, i) => sum + i.amountFen, 0);
}

function keyOf(i: AllocationItem): string {
  return [i.target, i.statementId ?? '', i.planId ?? '', i.period ?? '', i.accrued ? 'a' : ''].join('|');
}

/**
 * Fill `items` in order with `amountFen`. Lines for the same target and owner are merged (a
 * statement's carried and new principal show as one billed_principal line, at the first's place).
 */
export function allocate(amountFen: Fen, items: readonly AllocationItem[]): AllocationItem[] {
  assertFen(amountFen);
  if (amountFen < 0 || amountFen > totalOf(items)) throw new Error(`cannot allocate ${amountFen} fen`);
  const lines = new Map<string, AllocationItem>();
  let left = amountFen;
  for (const item of items) {
    if (left === 0) break;
    const take = Math.min(left, item.amountFen);
    if (take <= 0) continue;
    left -= take;
    const key = keyOf(item);
    const existing = lines.get(key);
    if (existing) existing.amountFen += take;
    else lines.set(key, { ...item, amountFen: take });
  }
  return [...lines.values()];
}

/** The account's unbilled principal after an allocation's unbilled_principal lines. */
export function applyToUnbilled(
  unbilled: Readonly<Record<string, Fen>>,
  allocation: readonly AllocationItem[],
): Record<string, Fen> {
  const out: Record<string, Fen> = { ...unbilled };
  for (const line of allocation) {
    if (line.target !== 'unbilled_principal' || line.period === undefined) continue;
    const left = (out[line.period] ?? 0) - line.amountFen;
    if (left < 0) throw new Error(`unbilled principal of ${line.period} overpaid`);
    out[line.period] = left;
  }
  return out;
}
