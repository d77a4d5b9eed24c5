/**
 * Auto-debit on the due date (SPEC §6): the statement's whole remaining, free, from the chosen
 * source. With too little for that, the minimum still outstanding when the source covers it (the
 * statement then is not overdue: a user who turned auto-debit on expects that much), its receipt
 * saying what is left; with too little for the minimum nothing is taken and the user is told (there
 * is still grace to pay by hand). Either message says what the due-date reminder would.
 */
import type { RepayChannel } from '../../../../typings/api';
import { formatFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { localDate, toIso } from '../time';
import type { AllocationItem } from '../repayment/allocation';
import { CHANNEL_LABEL } from '../repayment/fees';
import { quoteRepayment } from '../repayment/quote';
import { remainingFen } from './ledger';
import { minimumOutstandingFen } from './minimumPayment';
import type { StatementState } from './types';

export type AutoDebitDecision =
  | { action: 'none' }
  | { action: 'debit'; amountFen: Fen; allocation: AllocationItem[] }
  /** The minimum only: `title` and `message` are its receipt, saying what is left and by when. */
  | { action: 'debit_minimum'; amountFen: Fen; allocation: AllocationItem[]; title: string; message: string }
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
  const quote = (mode: 'full' | 'minimum') =>
    quoteRepayment({
      mode,
      channel,
      statement: s,
      unbilled: {},
      accruedInterestFen: 0,
      plans: [],
      sourceFundsFen,
      policy,
      autoDebit: true,
    });
  const full = quote('full');
  if (full.ok) return { action: 'debit', amountFen: full.amountFen, allocation: full.allocation };

  const source = CHANNEL_LABEL[channel];
  const grace = localDate(s.graceEndsAt);
  const by = `${grace.month}月${grace.day}日 ${toIso(s.graceEndsAt).slice(11, 19)}`;
  const minimumFen = minimumOutstandingFen(s);
  const minimum = minimumFen > 0 ? quote('minimum') : null;
  if (minimum?.ok) {
    return {
      action: 'debit_minimum',
      amountFen: minimum.amountFen,
      allocation: minimum.allocation,
      title: '自动还款：已还最低还款额',
      message:
        `${source}可用金额不足以全额还款，已自动扣除本期最低还款额 ${formatFen(minimum.amountFen)} 元，本期不会逾期。` +
        `剩余 ${formatFen(amountFen - minimum.amountFen)} 元在 ${by} 前还清可免利息，之后未还部分按日计息。`,
    };
  }
  return {
    action: 'insufficient_funds',
    amountFen,
    availableFen: Math.max(0, sourceFundsFen),
    message:
      minimumFen > 0
        ? `自动还款未成功：${source}可用金额不足，本期应还 ${formatFen(amountFen)} 元（最低还款 ${formatFen(minimumFen)} 元）。` +
          `请在 ${by} 前手动还款，以免逾期。`
        : `自动还款未成功：${source}可用金额不足，本期剩余应还 ${formatFen(amountFen)} 元。` +
          `本期最低还款额已还足，不会逾期；在 ${by} 前还清可免利息，之后未还部分按日计息。`,
  };
}
