/** Repayment fees (SPEC §6): 零钱 is free; bank card 0.1% of the amount, half-up, at least 0.01. */
import { assertFen, fenTimesRate, type Fen } from '../money';
import type { Policy } from '../policy';
import type { RepayChannel } from '../../../../typings/api';

export function repaymentFeeFen(amountFen: Fen, channel: RepayChannel, policy: Policy): Fen {
  assertFen(amountFen);
  if (channel === 'balance') return 0;
  const r = policy.repayment;
  return Math.max(r.bankCardMinFeeFen, fenTimesRate(amountFen, r.bankCardFeeRate));
}

/** What the user calls each source, in receipts and refusals. */
export const CHANNEL_LABEL: Record<RepayChannel, string> = { balance: '零钱', bank_card: '银行卡' };
