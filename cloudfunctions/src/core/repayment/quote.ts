/**
 * Repayment quote (SPEC §6): the amount a mode means, its fee, the total drawn from the source and
 * the allocation. A refusal is a value, not an exception.
 *   full     the statement's remaining
 *   minimum  what is still needed to meet the statement's minimum
 *   custom   any amount up to statement + accrued interest + unbilled principal (plans excluded:
 *            only payoff settles an installment plan early)
 *   payoff   everything: statement + accrued interest + unbilled + every plan's payoff figure
 */
import type { AllocationLine, QuoteData, RepayChannel, RepayMode } from '../../../../typings/api';
import { minimumOutstandingFen } from '../billing/minimumPayment';
import type { StatementState } from '../billing/types';
import { formatFen, type Fen } from '../money';
import type { Policy } from '../policy';
import {
  allocate,
  owedItems,
  totalOf,
  type AllocationItem,
  type OwedScope,
  type PlanPayoff,
} from './allocation';
import { repaymentFeeFen } from './fees';

export interface QuoteInput {
  mode: RepayMode;
  /** Required for custom; ignored otherwise. */
  amountFen?: Fen;
  channel: RepayChannel;
  statement: StatementState | null;
  unbilled: Readonly<Record<string, Fen>>;
  /** accruedInterestToDate(statement, now, policy); 0 without a live statement. */
  accruedInterestFen: Fen;
  plans: readonly PlanPayoff[];
  sourceFundsFen: Fen;
  policy: Policy;
  /** Auto-debit on the due date is free whatever the source (SPEC §6). */
  autoDebit?: boolean;
}

export type QuoteRefusalCode = 'NOTHING_DUE' | 'OVERPAYMENT' | 'INSUFFICIENT_FUNDS' | 'INVALID_INPUT';

export interface QuoteOk {
  ok: true;
  mode: RepayMode;
  channel: RepayChannel;
  amountFen: Fen;
  feeFen: Fen;
  totalFen: Fen;
  allocation: AllocationItem[];
}

export interface QuoteRefusal {
  ok: false;
  code: QuoteRefusalCode;
  message: string;
  details: Record<string, unknown>;
}

export type QuoteResult = QuoteOk | QuoteRefusal;

const SCOPE: Record<RepayMode, OwedScope> = {
  full: 'statement',
  minimum: 'statement',
  custom: 'all_but_plans',
  payoff: 'everything',
};

const CHANNEL_NAME: Record<RepayChannel, string> = { balance: '零钱', bank_card: '银行卡' };

function refuse(
  code: QuoteRefusalCode,
  message: string,
  details: Record<string, unknown> = {},
): QuoteRefusal {
  return { ok: false, code, message, details };
}

export function quoteRepayment(input: QuoteInput): QuoteResult {
  const { mode, channel, policy } = input;
  const items = owedItems(input, SCOPE[mode]);
  const owedFen = totalOf(items);

  let amountFen: Fen;
  if (mode === 'minimum') {
    amountFen = input.statement ? Math.min(owedFen, minimumOutstandingFen(input.statement)) : 0;
    if (amountFen === 0) {
      const message = owedFen > 0 ? '本期最低还款额已还足，无需再还最低额' : '当前没有需要还款的账单';
      return refuse('NOTHING_DUE', message);
    }
  } else if (mode === 'custom') {
    const requested = input.amountFen;
    if (requested === undefined || !Number.isSafeInteger(requested) || requested <= 0) {
      return refuse('INVALID_INPUT', '请输入大于 0 的还款金额', { field: 'amount' });
    }
    // SPEC §6: more than owed is OVERPAYMENT, also when nothing at all is owed (at most 0.00).
    if (requested > owedFen) {
      // With a plan running, more may be owed than a custom amount can reach: say where the rest is.
      const plans = input.plans.length > 0;
      const message =
        owedFen > 0
          ? plans
            ? `自定义金额最多可还 ${formatFen(owedFen)} 元，分期剩余本金请选择“全部结清”`
            : `还款金额超过应还金额，最多可还 ${formatFen(owedFen)} 元`
          : plans
            ? '当前没有可自定义还款的账单或消费，分期剩余本金请选择“全部结清”'
            : '当前没有需要还款的金额';
      return refuse('OVERPAYMENT', message, {
        maxAmount: formatFen(owedFen),
        ...(plans ? { reason: 'plan_payoff_only' } : {}),
      });
    }
    amountFen = requested;
  } else {
    if (owedFen === 0) {
      return refuse('NOTHING_DUE', mode === 'full' ? '本期账单已还清，暂无需还款' : '当前没有需要还款的金额');
    }
    amountFen = owedFen;
  }

  const feeFen = input.autoDebit ? 0 : repaymentFeeFen(amountFen, channel, policy);
  const totalFen = amountFen + feeFen;
  if (totalFen > input.sourceFundsFen) {
    return refuse(
      'INSUFFICIENT_FUNDS',
      `${CHANNEL_NAME[channel]}可用金额不足：本次需 ${formatFen(totalFen)} 元（含手续费 ${formatFen(feeFen)} 元），` +
        `可用 ${formatFen(Math.max(0, input.sourceFundsFen))} 元`,
      {
        channel,
        required: formatFen(totalFen),
        available: formatFen(Math.max(0, input.sourceFundsFen)),
      },
    );
  }
  return { ok: true, mode, channel, amountFen, feeFen, totalFen, allocation: allocate(amountFen, items) };
}

/** The wire shape of a quote (SPEC §9 bill.quote). */
export function toQuoteData(q: QuoteOk): QuoteData {
  return {
    amount: formatFen(q.amountFen),
    fee: formatFen(q.feeFen),
    total: formatFen(q.totalFen),
    allocation: q.allocation.map(toAllocationLine),
  };
}

export function toAllocationLine(l: AllocationItem): AllocationLine {
  return {
    target: l.target,
    amount: formatFen(l.amountFen),
    ...(l.statementId ? { statementId: l.statementId } : {}),
    ...(l.planId ? { planId: l.planId } : {}),
  };
}
