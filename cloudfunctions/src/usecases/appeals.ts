/**
 * Risk events and appeals (SPEC §8): a user appeals an event; an operator upholds or overturns
 * it within the review window; overturning lifts the restriction and re-scores the quota.
 * An appeal nobody reviewed in time is decided for the user (the review promise is ours to keep).
 */
import type { Appeal, AppealsData, RiskEvent, RiskEventsData } from '../../../typings/api';
import type { Ctx } from '../app/context';
import { AppError, notFound, Refusal, refusal } from '../app/errors';
import type { Policy } from '../core/policy';
import { HOUR_MS, toIso } from '../core/time';
import type { Tx } from '../ports/store';
import { rescore } from './credit';
import { assertCurrent, currentAccountIfAny } from './current';
import { AccountDoc, AppealDoc, nextId, RiskEventDoc, StatementDoc } from './documents';
import { postMessage } from './messages';

export function eventView(e: RiskEventDoc): RiskEvent {
  return {
    id: e._id,
    level: e.level,
    type: e.type,
    createdAt: toIso(e.createdAt),
    status: e.status,
    description: e.description,
  };
}

export function appealView(a: AppealDoc): Appeal {
  const view: Appeal = {
    id: a._id,
    eventId: a.eventId,
    reason: a.reason,
    status: a.status,
    createdAt: toIso(a.createdAt),
    reviewDueAt: toIso(a.reviewDueAt),
  };
  if (a.escalatedAt !== undefined) view.escalatedAt = toIso(a.escalatedAt);
  if (a.resolvedAt !== null) view.resolvedAt = toIso(a.resolvedAt);
  if (a.note !== null) view.note = a.note;
  return view;
}

export async function listEvents(ctx: Ctx): Promise<RiskEventsData> {
  // As of today: the freeze of the day's overdue account is listed before the scheduler gets there.
  await currentAccountIfAny(ctx.deps.store, ctx.openid, await ctx.deps.clock.now());
  const docs = await ctx.deps.store.find<RiskEventDoc>(
    'riskEvents',
    { openid: ctx.openid },
    { orderBy: { field: 'createdAt', direction: 'desc' } },
  );
  return { events: docs.map(eventView) };
}

export async function listAppeals(ctx: Ctx): Promise<AppealsData> {
  const docs = await ctx.deps.store.find<AppealDoc>(
    'appeals',
    { openid: ctx.openid },
    { orderBy: { field: 'createdAt', direction: 'desc' } },
  );
  return { appeals: docs.map(appealView) };
}

export async function fileAppeal(
  ctx: Ctx,
  input: { eventId: string; reason: string },
): Promise<Appeal | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  return store.transaction(async (tx) => {
    const event = await tx.get<RiskEventDoc>('riskEvents', input.eventId);
    // Another user's event is indistinguishable from a missing one.
    if (!event || event.openid !== ctx.openid) throw notFound('eventId', '风险事件不存在');
    if (event.status === 'appealed') return refusal('APPEAL_EXISTS', '该事件已在申诉审核中');
    if (event.status !== 'open') return refusal('APPEAL_CLOSED', '该事件已处理完毕，不能再申诉');
    const account = await tx.get<AccountDoc>('accounts', ctx.openid);
    if (!account) throw new AppError('NO_ACCOUNT', '你还未开通分付');
    assertCurrent(account, now);
    const appeal: AppealDoc = {
      _id: nextId('apl', account),
      openid: ctx.openid,
      eventId: event._id,
      reason: input.reason,
      status: 'pending',
      createdAt: now,
      reviewDueAt: now + policy.risk.appealReviewHours * HOUR_MS,
      resolvedAt: null,
      resolvedBy: null,
      note: null,
      policyVersion: policy.version,
    };
    await tx.add('appeals', appeal);
    await tx.patch('riskEvents', event._id, { status: 'appealed', appealId: appeal._id });
    await tx.patch('accounts', account._id, { seq: account.seq + 1 });
    return appealView(appeal);
  });
}

export async function resolveAppeal(
  ctx: Ctx,
  input: { appealId: string; outcome: 'upheld' | 'overturned'; note: string },
): Promise<Appeal | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  return store.transaction(async (tx) => {
    const appeal = await tx.get<AppealDoc>('appeals', input.appealId);
    if (!appeal) throw notFound('appealId', '申诉不存在');
    if (appeal.status !== 'pending') return refusal('APPEAL_CLOSED', '该申诉已处理');
    const event = await tx.get<RiskEventDoc>('riskEvents', appeal.eventId);
    if (endedWithoutDecision(event)) {
      await closeAppeal(tx, appeal, now);
      return refusal('APPEAL_CLOSED', '该申诉对应的冻结已随还清欠款解除，申诉已结束');
    }
    return appealView(await decide(tx, appeal, event, input.outcome, input.note, ctx.openid, now, policy));
  });
}

/**
 * An appeal past its review deadline is escalated, once, and the user told; it is not decided.
 * SPEC §8 leaves the decision to an operator, and §5 keeps a freeze until everything overdue is
 * repaid: a missed deadline changes neither (deciding for the user would let anyone lift a
 * freeze or a cash-out flag by appealing and waiting). Returns whether it escalated.
 */
export async function escalateAppeal(tx: Tx, appeal: AppealDoc, now: number): Promise<boolean> {
  if (appeal.status !== 'pending' || appeal.reviewDueAt > now || appeal.escalatedAt !== undefined)
    return false;
  // Nothing is held any more: closed rather than announced as held.
  if (endedWithoutDecision(await tx.get<RiskEventDoc>('riskEvents', appeal.eventId))) {
    await closeAppeal(tx, appeal, now);
    return false;
  }
  await tx.patch('appeals', appeal._id, { escalatedAt: now });
  await postMessage(tx, {
    openid: appeal.openid,
    type: 'appeal_result',
    title: '申诉审核进度',
    body: '你的申诉审核时间超出预期，已加急转交人工复核，结果将第一时间通知你。审核完成前，相关处理暂时维持不变。',
    at: now,
    dedupeKey: `appeal-escalated:${appeal._id}`,
    push: false,
  });
  return true;
}

/**
 * Whether the appeal's event ended without a decision: a repayment resolved the freeze. Appeals on
 * events that name theirs are closed right then (settle.ts); this finds the ones filed before.
 */
function endedWithoutDecision(event: RiskEventDoc | null): boolean {
  return event !== null && event.status !== 'appealed';
}

/**
 * The appeal's event ended before anyone decided it (everything overdue was repaid, which lifts a
 * freeze): there is nothing left to decide. Closed, and the user told, once.
 */
export async function closeAppeal(tx: Tx, appeal: AppealDoc, now: number): Promise<void> {
  if (appeal.status !== 'pending') return;
  await tx.put<AppealDoc>('appeals', {
    ...appeal,
    status: 'closed',
    resolvedAt: now,
    resolvedBy: null,
    note: '该次冻结已随还清逾期欠款解除',
  });
  await postMessage(tx, {
    openid: appeal.openid,
    type: 'appeal_result',
    title: '申诉已结束',
    // About that freeze, not the account now: it may have been frozen again since (older appeals
    // are closed late, by the deadline pass or an operator).
    body: '你申诉的那次冻结已在还清逾期欠款后解除，此申诉无需再审核。',
    at: now,
    dedupeKey: `appeal:${appeal._id}`,
  });
}

async function decide(
  tx: Tx,
  appeal: AppealDoc,
  event: RiskEventDoc | null,
  outcome: 'upheld' | 'overturned',
  note: string,
  by: string,
  now: number,
  policy: Policy,
): Promise<AppealDoc> {
  const resolved: AppealDoc = { ...appeal, status: outcome, resolvedAt: now, resolvedBy: by, note };
  await tx.put('appeals', resolved);
  if (event) {
    await tx.patch('riskEvents', event._id, { status: outcome });
    const account = await tx.get<AccountDoc>('accounts', appeal.openid);
    if (account && outcome === 'overturned') {
      await rescore(tx, await liftRestriction(tx, account, event), now, policy);
    }
  }
  await postMessage(tx, {
    openid: appeal.openid,
    type: 'appeal_result',
    title: outcome === 'overturned' ? '申诉成功' : '申诉结果',
    body:
      outcome === 'overturned'
        ? `你的申诉已通过，相关限制已解除，额度已重新评估。${note}`
        : `经审核，维持原处理结果。${note}`,
    at: now,
    dedupeKey: `appeal:${appeal._id}`,
  });
  return resolved;
}

/**
 * When the delinquency behind a freeze event began, for events recorded before they kept it: the
 * statement the event names, or, once its remainder was carried on (a carried statement drops it),
 * the current statement's while something is still past due there.
 */
async function delinquencyOfOlderEvent(
  tx: Tx,
  account: AccountDoc,
  event: RiskEventDoc,
): Promise<number | null> {
  const statementId = event.details['statementId'];
  const named =
    typeof statementId === 'string' ? await tx.get<StatementDoc>('statements', statementId) : null;
  if (named?.overdueSince !== undefined) return named.overdueSince;
  const current = account.currentStatementId
    ? await tx.get<StatementDoc>('statements', account.currentStatementId)
    : null;
  return current && current.pastDueFen > 0 ? (current.overdueSince ?? null) : null;
}

/** The restriction each event type put on the account, taken off again. */
async function liftRestriction(tx: Tx, account: AccountDoc, event: RiskEventDoc): Promise<AccountDoc> {
  const risk = { ...account.risk };
  if (event.type === 'new_city_large_spend') risk.openLevel2Events = Math.max(0, risk.openLevel2Events - 1);
  if (event.type === 'cash_out_pattern') risk.cashOutFlag = false;
  if (event.type === 'overdue_30_days') {
    risk.frozen = false;
    // The same delinquency must not freeze the account again at the next day's run: the overturn
    // holds until it ends (its past-due repaid); a later delinquency freezes as any would.
    const since = event.details['overdueSince'];
    risk.freezeWaivedFor =
      typeof since === 'number' ? since : await delinquencyOfOlderEvent(tx, account, event);
  }
  return { ...account, risk };
}
