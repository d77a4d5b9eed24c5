/** Opening risk events: the record, the account's restriction, the re-score and the inbox warning. */
import type { RiskEventType } from '../../../typings/api';
import type { Policy } from '../core/policy';
import type { Tx } from '../ports/store';
import { AccountDoc, nextId, RiskEventDoc } from './documents';
import { postMessage } from './messages';
import { rescore } from './credit';

export interface NewRiskEvent {
  level: 1 | 2 | 3;
  type: RiskEventType;
  description: string;
  details: Record<string, unknown>;
}

const RESTRICTION: Record<RiskEventType, string> = {
  spend_surge: '你今日的分付消费明显高于近期日均水平，请留意账户安全。如非本人操作，请及时联系客服。',
  new_city_large_spend: '检测到异地大额消费，本笔交易需验证身份，额度暂时下调，可在“风险事件”中申诉。',
  cash_out_pattern: '检测到疑似套现的交易，额度已下调，可在“风险事件”中申诉。',
  overdue_30_days: '你的账单逾期已超过 30 天，分付已冻结。还清逾期欠款后即可恢复。',
};

/**
 * Record the event and apply its restriction. Level 1 only warns; level 2 lowers the quota
 * (new city: ×0.5 while open; cash-out: ×0.2); level 3 freezes. Returns the updated account.
 */
export async function openRiskEvent(
  tx: Tx,
  account: AccountDoc,
  event: NewRiskEvent,
  now: number,
  policy: Policy,
): Promise<AccountDoc> {
  const id = nextId('evt', account);
  let updated: AccountDoc = { ...account, seq: account.seq + 1 };
  const doc: RiskEventDoc = {
    _id: id,
    openid: account.openid,
    level: event.level,
    type: event.type,
    status: 'open',
    createdAt: now,
    description: event.description,
    details: event.details,
    policyVersion: policy.version,
  };
  await tx.add('riskEvents', doc);
  if (event.type === 'new_city_large_spend') {
    updated = { ...updated, risk: { ...updated.risk, openLevel2Events: updated.risk.openLevel2Events + 1 } };
  } else if (event.type === 'cash_out_pattern') {
    updated = { ...updated, risk: { ...updated.risk, cashOutFlag: true } };
  } else if (event.type === 'overdue_30_days') {
    updated = { ...updated, risk: { ...updated.risk, frozen: true, freezeEventId: id } };
  }
  await tx.put('accounts', updated);
  if (event.level > 1) updated = await rescore(tx, updated, now, policy);
  await postMessage(tx, {
    openid: account.openid,
    type: 'risk_warning',
    title: event.level === 1 ? '消费提醒' : '账户风险提示',
    body: RESTRICTION[event.type],
    at: now,
    dedupeKey: `risk:${id}`,
  });
  return updated;
}
