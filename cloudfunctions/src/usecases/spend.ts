/**
 * pay.spend: the SPEC §4 checks (core), then the posting, then the post-spend detectors.
 * One transaction: the idempotency record, the account's running balances, the transaction
 * record and any risk event commit together, so a retry can never charge twice.
 */
import type { Merchant, SpendData, SpendWarning } from '../../../typings/api';
import type { Ctx } from '../app/context';
import { Refusal, refusal } from '../app/errors';
import { idempotent } from '../app/idempotency';
import { available } from '../core/credit/quota';
import { formatFen } from '../core/money';
import { detectCashOut, pruneCashOutWindow } from '../core/spend/cashOutDetector';
import { checkSpend } from '../core/spend/spendRules';
import { detectSpendSurge, pruneDailySpend } from '../core/spend/surgeDetector';
import { dayKey, localDate, periodKey } from '../core/time';
import { currentAccountIfAny } from './current';
import { nextId, ProfileDoc, statusOf, TxnDoc } from './documents';
import { openRiskEvent } from './risk';

export interface SpendInput {
  requestId: string;
  amount: number;
  merchant: Merchant;
  city?: string;
}

export async function spend(ctx: Ctx, input: SpendInput): Promise<SpendData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const { requestId, ...params } = input;
  return store.transaction((tx) =>
    idempotent(tx, { openid: ctx.openid, fn: 'pay', action: 'spend', requestId }, params, now, async () => {
      let account = await currentAccountIfAny(tx, ctx.openid, now);
      // Only the new-city rule reads the profile (its home city), and only for a spend naming a city.
      const profile = input.city !== undefined ? await tx.get<ProfileDoc>('profiles', ctx.openid) : null;
      const year = localDate(now).year;
      const yearToDateSpendFen = account && account.yearSpend.year === year ? account.yearSpend.fen : 0;
      const check = checkSpend({
        account: account
          ? { status: statusOf(account), quotaFen: account.quotaFen, usedFen: account.usedFen }
          : null,
        amountFen: input.amount,
        merchant: input.merchant,
        ...(input.city !== undefined ? { city: input.city } : {}),
        homeCity: profile?.homeCity ?? '',
        annualIncomeFen: account?.annualIncomeFen ?? 0,
        yearToDateSpendFen,
        policy,
      });
      if (!check.ok) {
        if (account && check.openLevel2Event && check.riskEventType) {
          await openRiskEvent(
            tx,
            account,
            {
              level: 2,
              type: check.riskEventType,
              description: `异地大额消费：${input.city ?? ''} ${formatFen(input.amount)} 元（${input.merchant.name}）`,
              details: {
                amount: formatFen(input.amount),
                city: input.city ?? null,
                merchantId: input.merchant.id,
              },
            },
            now,
            policy,
          );
        }
        return refusal(check.code, check.message, check.details);
      }
      if (!account) return refusal('NO_ACCOUNT', '你还未开通分付，开通后即可使用');

      const today = dayKey(now);
      const period = periodKey(now);
      const txnId = nextId('txn', account);
      const txn: TxnDoc = {
        _id: txnId,
        openid: ctx.openid,
        requestId,
        amountFen: input.amount,
        merchant: input.merchant,
        city: input.city ?? null,
        at: now,
        period,
        status: 'unbilled',
        statementId: null,
        policyVersion: policy.version,
      };
      await tx.add('txns', txn);

      const dailySpend = pruneDailySpend(
        { ...account.dailySpend, [today]: (account.dailySpend[today] ?? 0) + input.amount },
        today,
        policy,
      );
      const current = { at: now, amountFen: input.amount, category: input.merchant.category };
      const cashOut = detectCashOut({ current, previous: account.recentQrSpends, policy });
      account = {
        ...account,
        seq: account.seq + 1,
        usedFen: account.usedFen + input.amount,
        unbilled: { ...account.unbilled, [period]: (account.unbilled[period] ?? 0) + input.amount },
        yearSpend: { year, fen: yearToDateSpendFen + input.amount },
        dailySpend,
        recentQrSpends: pruneCashOutWindow([...account.recentQrSpends, current], now, policy),
      };
      await tx.put('accounts', account);

      const warnings: SpendWarning[] = [];
      const surge = detectSpendSurge({ dailySpend, amountFen: input.amount, today, policy });
      if (surge.warning) warnings.push(surge.warning);
      if (surge.event) {
        account = await openRiskEvent(
          tx,
          account,
          {
            level: 1,
            type: 'spend_surge',
            description: `今日消费 ${formatFen(surge.todayFen)} 元，高于近 30 日日均 ${surge.averageDaily} 元的 130%`,
            details: { today: formatFen(surge.todayFen), averageDaily: surge.averageDaily, txnId },
          },
          now,
          policy,
        );
      }
      // One flag per account: further matching spends while flagged add no new event.
      if (cashOut.flagged && cashOut.warning && !account.risk.cashOutFlag) {
        warnings.push(cashOut.warning);
        account = await openRiskEvent(
          tx,
          account,
          {
            level: 2,
            type: 'cash_out_pattern',
            description: `24 小时内 ${cashOut.count} 笔个人收款码消费，合计 ${formatFen(cashOut.totalFen)} 元`,
            details: { count: cashOut.count, total: formatFen(cashOut.totalFen), txnId },
          },
          now,
          policy,
        );
      }
      return {
        txnId,
        amount: formatFen(input.amount),
        available: formatFen(available(account.quotaFen, account.usedFen)),
        warnings,
      };
    }),
  );
}
