/**
 * Auto-debit on the due date (SPEC §6): the statement's whole remaining, free, from the chosen
 * source. No partial debit: with too little in the source nothing is taken and the caller sends an
 * inbox message (the user still has grace to pay by hand).
 */
import type { RepayChannel } from '../../../../typings/api';
import { formatFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { localDate, toIso } from '../time';
import type { AllocationItem } from '../repayment/allocation';
import { quoteRepayment } from '../repayment/quote';
import { remainingFen } from './ledger';
import type { StatementState } from './types';

export type AutoDebitDecision =
  | { action: 'none' }
  | { action: 'debit'; amountFen: Fen; allocation: AllocationItem[] }
  | { action: 'insufficient_funds'; amountFen: Fen; availableFen: Fen; message: string };

export function autoDebitAmount(s: StatementState): Fen {
  return s.status === 'carried' ? 0 : remainingFen(s);
}

export function decideAutoDebit(
  s: StatementState,
  channel: RepayChannel,
  sourceFundsFen: Fen,
  policy: Policy,
): AutoDebitDecision {
  const amountFen = autoDebitAmount(s);
  if (amountFen === 0) return { action: 'none' };
  const q = quoteRepayment({
    mode: 'full',
    channel,
    statement: s,
    unbilled: {},
    accruedInterestFen: 0,
    plans: [],
    sourceFundsFen,
    policy,
    autoDebit: true,
  });
  if (q.ok) return { action: 'debit', amountFen: q.amountFen, allocation: q.allocation };
  const grace = localDate(s.graceEndsAt);
  return {
    action: 'insufficient_funds',
    amountFen,
    availableFen: Math.max(0, sourceFundsFen),
    message:
      `自动还款未成功：${channel === 'balance' ? '零钱' : '银行卡'}可用金额不足，本期应还 ${formatFen(amountFen)} 元。` +
      `请在 ${grace.month}月${grace.day}日 ${toIso(s.graceEndsAt).slice(11, 19)} 前手动还款，以免逾期。`,
  };
}
