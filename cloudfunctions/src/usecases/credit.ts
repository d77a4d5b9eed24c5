/**
 * Credit use cases: status, apply (open a credit line), quota view, user re-evaluation.
 * Each reads through the store, asks the core, and writes the result in one transaction.
 */
import type {
  AccountView,
  Channel,
  CreditApplyData,
  CreditQuotaData,
  CreditReevaluateData,
  CreditStatusData,
} from '../../../typings/api';
import type { Ctx } from '../app/context';
import { AppError, Refusal, refusal } from '../app/errors';
import { canReapply, decideApplication, reapplyAt, toCreditApplyData } from '../core/credit/application';
import { checkChannel } from '../core/credit/channel';
import { available, computeQuota, formatBreakdown, quotaTips, RiskState } from '../core/credit/quota';
import {
  decideUserReevaluation,
  nextEvaluationAt,
  scheduledRunAt,
  userReevaluationAvailableAt,
} from '../core/credit/reevaluation';
import { formatFen } from '../core/money';
import type { Policy } from '../core/policy';
import { dayKey, toIso } from '../core/time';
import type { Tx } from '../ports/store';
import { assertCurrent, currentAccount } from './current';
import { AccountDoc, ApplicationDoc, InvitationDoc, ProfileDoc, shardOf, statusOf } from './documents';
import { postMessage } from './messages';

export function accountView(a: AccountDoc): AccountView {
  return {
    status: statusOf(a),
    quota: formatFen(a.quotaFen),
    used: formatFen(a.usedFen),
    available: formatFen(available(a.quotaFen, a.usedFen)),
    channel: a.channel,
    openedAt: toIso(a.openedAt),
    nextEvaluationAt: toIso(scheduledRunAt(a.nextEvaluationAt)),
  };
}

export function riskStateOf(a: AccountDoc): RiskState {
  return {
    frozen: a.risk.frozen,
    cashOutFlag: a.risk.cashOutFlag,
    openLevel2Events: a.risk.openLevel2Events,
  };
}

export async function creditStatus(ctx: Ctx): Promise<CreditStatusData> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const [account, application, invitation] = await Promise.all([
    store.get<AccountDoc>('accounts', ctx.openid),
    store.get<ApplicationDoc>('applications', ctx.openid),
    store.get<InvitationDoc>('invitations', ctx.openid),
  ]);
  if (account) {
    assertCurrent(account, now);
    return { account: accountView(account), canApply: false };
  }
  const data: CreditStatusData = {
    account: null,
    canApply: true,
    invited: Boolean(invitation && !invitation.used),
  };
  if (application?.rejectedAt != null && !canReapply(application.rejectedAt, now, policy)) {
    data.canApply = false;
    data.reapplyAt = toIso(reapplyAt(application.rejectedAt, policy));
  }
  return data;
}

export interface ApplyInput {
  channel: Channel;
  occupation?: string;
  annualIncome?: number;
}

export async function applyForCredit(ctx: Ctx, input: ApplyInput): Promise<CreditApplyData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  return store.transaction(async (tx) => {
    if (await tx.get<AccountDoc>('accounts', ctx.openid)) {
      throw new AppError('ALREADY_OPEN', '你已开通分付，无需重复申请');
    }
    const application = await tx.get<ApplicationDoc>('applications', ctx.openid);
    if (application?.rejectedAt != null && !canReapply(application.rejectedAt, now, policy)) {
      const at = toIso(reapplyAt(application.rejectedAt, policy));
      return refusal('REAPPLY_TOO_SOON', `暂不满足开通条件，可于 ${at.slice(0, 10)} 后再次申请`, {
        reapplyAt: at,
      });
    }
    const invitation = await tx.get<InvitationDoc>('invitations', ctx.openid);
    const channel = checkChannel({
      channel: input.channel,
      ...(input.occupation !== undefined ? { occupation: input.occupation } : {}),
      ...(input.annualIncome !== undefined ? { annualIncomeFen: input.annualIncome } : {}),
      invited: Boolean(invitation && !invitation.used),
    });
    if (!channel.ok) {
      if (channel.code === 'INVALID_INPUT') {
        throw new AppError('INVALID_INPUT', channel.message, { field: channel.field });
      }
      return refusal(channel.code, channel.message);
    }
    const profile = await tx.get<ProfileDoc>('profiles', ctx.openid);
    if (!profile) {
      throw new AppError('PROFILE_MISSING', '暂未获取到你的微信支付信息，请稍后再试');
    }
    // The income declared at opening is the yearly ceiling of SPEC §4; otherwise the profile's.
    const annualIncomeFen = input.annualIncome ?? profile.annualIncomeFen;
    const decision = decideApplication({ profile: { ...profile, annualIncomeFen }, now, policy });

    await tx.put<ApplicationDoc>('applications', {
      _id: ctx.openid,
      openid: ctx.openid,
      lastDecision: decision.decision,
      lastAt: now,
      rejectedAt: decision.decision === 'rejected' ? now : null,
      policyVersion: decision.policyVersion,
      attempts: (application?.attempts ?? 0) + 1,
    });
    if (decision.decision === 'approved' && decision.quotaFen !== undefined && decision.breakdown) {
      await tx.add<AccountDoc>(
        'accounts',
        newAccount(ctx.openid, input, annualIncomeFen, decision.quotaFen, decision.breakdown, now, policy),
      );
      if (invitation && !invitation.used) await tx.patch('invitations', ctx.openid, { used: true });
      await postMessage(tx, {
        openid: ctx.openid,
        type: 'quota_changed',
        title: '分付开通成功',
        body: `恭喜，你的分付已开通，当前额度 ${formatFen(decision.quotaFen)} 元。`,
        at: now,
        dedupeKey: `opened:${now}`,
      });
    }
    return toCreditApplyData(decision);
  });
}

function newAccount(
  openid: string,
  input: ApplyInput,
  annualIncomeFen: number,
  quotaFen: number,
  breakdown: AccountDoc['breakdown'],
  now: number,
  policy: Policy,
): AccountDoc {
  return {
    _id: openid,
    openid,
    shard: shardOf(openid),
    underReview: false,
    channel: input.channel,
    occupation: input.occupation ?? null,
    annualIncomeFen,
    openedAt: now,
    quotaFen,
    usedFen: 0,
    breakdown,
    multiplierKey: 'normal',
    evaluatedAt: now,
    nextEvaluationAt: nextEvaluationAt(now, policy),
    policyVersion: policy.version,
    risk: { cashOutFlag: false, openLevel2Events: 0, frozen: false },
    reeval: { requestTimes: [], lastAllowedAt: null },
    yearSpend: { year: 0, fen: 0 },
    dailySpend: {},
    recentQrSpends: [],
    unbilled: {},
    autoDebit: { enabled: false, channel: 'balance' },
    currentStatementId: null,
    activePlanIds: [],
    // Nothing is scheduled on the opening day itself: day work happens at 00:00.
    lastDay: dayKey(now),
    seq: 0,
  };
}

function quotaData(account: AccountDoc, profile: ProfileDoc | null, policy: Policy): CreditQuotaData {
  const result = {
    quotaFen: account.quotaFen,
    breakdown: account.breakdown,
    multiplierKey: account.multiplierKey,
  };
  const availableAt =
    userReevaluationAvailableAt(account.reeval.lastAllowedAt, account.reeval.requestTimes, policy) ??
    account.openedAt;
  return {
    quota: formatFen(account.quotaFen),
    used: formatFen(account.usedFen),
    available: formatFen(available(account.quotaFen, account.usedFen)),
    breakdown: formatBreakdown(account.breakdown),
    evaluatedAt: toIso(account.evaluatedAt),
    nextEvaluationAt: toIso(scheduledRunAt(account.nextEvaluationAt)),
    reevaluateAvailableAt: toIso(availableAt),
    underReview: account.underReview,
    tips: quotaTips(
      { payScore: profile?.payScore ?? 0, overdueCount: profile?.overdueCount ?? 0 },
      result,
      policy,
    ),
  };
}

export async function creditQuota(ctx: Ctx): Promise<CreditQuotaData> {
  const { store, clock, policy } = ctx.deps;
  const account = await currentAccount(store, ctx.openid, await clock.now());
  const profile = await store.get<ProfileDoc>('profiles', ctx.openid);
  return quotaData(account, profile, policy);
}

/**
 * Re-score an account from its current profile and risk state (used by the user's request, the
 * scheduler and appeal outcomes). Writes the new quota and posts a message when it changed.
 * A caller already holding the current profile (null: none) passes it to spare the read.
 */
export async function rescore(
  tx: Tx,
  account: AccountDoc,
  now: number,
  policy: Policy,
  current?: ProfileDoc | null,
): Promise<AccountDoc> {
  const profile = current !== undefined ? current : await tx.get<ProfileDoc>('profiles', account.openid);
  if (!profile) return account;
  const result = computeQuota(profile, riskStateOf(account), policy);
  const updated: AccountDoc = {
    ...account,
    quotaFen: result.quotaFen,
    breakdown: result.breakdown,
    multiplierKey: result.multiplierKey,
    evaluatedAt: now,
    nextEvaluationAt: nextEvaluationAt(now, policy),
    policyVersion: policy.version,
  };
  await tx.put('accounts', updated);
  if (result.quotaFen !== account.quotaFen) {
    const direction = result.quotaFen > account.quotaFen ? '提升' : '调整';
    await postMessage(tx, {
      openid: account.openid,
      type: 'quota_changed',
      title: `分付额度已${direction}`,
      body: `你的分付额度已由 ${formatFen(account.quotaFen)} 元${direction}为 ${formatFen(result.quotaFen)} 元。`,
      at: now,
      // seq: two changes at one instant (a clock floored at the account's day) are two messages.
      dedupeKey: `quota:${now}:${account.seq}:${result.quotaFen}`,
    });
  }
  return updated;
}

export async function reevaluate(ctx: Ctx): Promise<CreditReevaluateData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  return store.transaction(async (tx) => {
    const account = await currentAccount(tx, ctx.openid, now);
    const decision = decideUserReevaluation({
      // A frozen account flagged for review is under review as far as requests go (SPEC §3).
      status: account.underReview ? 'under_review' : statusOf(account),
      requestTimes: account.reeval.requestTimes,
      lastAllowedAt: account.reeval.lastAllowedAt,
      now,
      policy,
    });
    const recorded: AccountDoc = {
      ...account,
      reeval: { requestTimes: decision.requestTimes, lastAllowedAt: decision.lastAllowedAt },
      // A frozen account is flagged too: frozen shows first, the review once the freeze lifts.
      underReview: account.underReview || decision.outcome === 'under_review',
    };
    if (decision.outcome === 'under_review') {
      await tx.put('accounts', recorded);
      const spending = recorded.risk.frozen ? '' : '，审核期间可正常消费';
      return refusal('UNDER_REVIEW', `近期额度申请较频繁，账户已转入人工审核${spending}`, {
        status: statusOf(recorded),
      });
    }
    if (decision.outcome === 'rate_limited') {
      await tx.put('accounts', recorded);
      const retryAt = toIso(decision.retryAt ?? now);
      return refusal(
        'RATE_LIMITED',
        `额度评估每 ${policy.reevaluation.userMinIntervalHours} 小时可申请一次，` +
          `${policy.reevaluation.reviewWindowDays} 天内申请满 ${policy.reevaluation.reviewAtRequestCount} 次将转入人工审核，` +
          `请于 ${retryAt.slice(0, 16).replace('T', ' ')} 后再试`,
        {
          retryAt,
        },
      );
    }
    const updated = await rescore(tx, recorded, now, policy);
    const profile = await tx.get<ProfileDoc>('profiles', ctx.openid);
    return {
      ...quotaData(updated, profile, policy),
      previousQuota: formatFen(account.quotaFen),
      changed: updated.quotaFen !== account.quotaFen,
    };
  });
}
