/**
 * Quota of SPEC §3:
 *   raw   = payScore × factor + avgMonthlySpend × spendRate + balance × depositRate
 *   quota = min(cap, floor_to_step(raw × riskMultiplier))
 * The quota steps down from the formula's exact value (SPEC: floor_to_100(raw × riskMultiplier)),
 * so no rounding can lift it to the next step: 7099.995 gives 7000.00. What the breakdown shows is
 * rounded half-up to the fen, `raw` once and each part on its own, so in rare cases the parts add
 * up to 0.01 more or less than `raw` (0.0056 + 99.9855 shows as 0.01 + 99.99), and a `raw` within
 * half a fen below a step shows as that step (7100.00 for 7099.995, quota 7000.00).
 */
import type { QuotaBreakdown } from '../../../../typings/api';
import { Dec, formatFen, roundFen, type Fen } from '../money';
import type { Policy } from '../policy';
import type { CoreProfile } from './profile';

/** The account's risk situation, as far as the quota is concerned. */
export interface RiskState {
  frozen: boolean;
  cashOutFlag: boolean;
  openLevel2Events: number;
}

export const NO_RISK: RiskState = { frozen: false, cashOutFlag: false, openLevel2Events: 0 };

export type MultiplierKey = keyof Policy['quota']['multipliers'];

export interface QuotaBreakdownFen {
  baseFen: Fen;
  spendFen: Fen;
  depositFen: Fen;
  rawFen: Fen;
  /** The policy's decimal string, verbatim ("1", "0.5", "0.2", "0"). */
  riskMultiplier: string;
  capFen: Fen;
}

export interface QuotaResult {
  quotaFen: Fen;
  breakdown: QuotaBreakdownFen;
  /** Which multiplier applied, so callers can explain a reduced quota. */
  multiplierKey: MultiplierKey;
}

export type QuotaProfile = Pick<CoreProfile, 'payScore' | 'avgMonthlySpendFen' | 'balanceFen'>;

/** The lowest applicable multiplier wins (a frozen account with a cash-out flag is still 0). */
export function riskMultiplier(risk: RiskState, policy: Policy): { key: MultiplierKey; rate: string } {
  const m = policy.quota.multipliers;
  const applicable: MultiplierKey[] = ['normal'];
  if (risk.openLevel2Events > 0) applicable.push('level2');
  if (risk.cashOutFlag) applicable.push('cashOut');
  if (risk.frozen) applicable.push('frozen');
  let best: MultiplierKey = 'normal';
  for (const key of applicable) {
    if (new Dec(m[key]).lt(m[best])) best = key;
  }
  return { key: best, rate: m[best] };
}

export function computeQuota(profile: QuotaProfile, risk: RiskState, policy: Policy): QuotaResult {
  const q = policy.quota;
  // A pay score below zero is not a real profile; clamp so the base never goes negative.
  const baseFen = Math.max(0, profile.payScore) * q.payScoreFactorFen;
  const spend = new Dec(profile.avgMonthlySpendFen).times(q.spendRate);
  const deposit = new Dec(profile.balanceFen).times(q.depositRate);
  const raw = spend.plus(deposit).plus(baseFen);
  const [spendFen, depositFen, rawFen] = [roundFen(spend), roundFen(deposit), roundFen(raw)];

  const { key, rate } = riskMultiplier(risk, policy);
  const scaled = raw.times(rate);
  const stepped = scaled.dividedBy(q.roundDownToFen).floor().times(q.roundDownToFen).toNumber();
  const quotaFen = Math.max(0, Math.min(q.capFen, stepped));

  return {
    quotaFen,
    breakdown: { baseFen, spendFen, depositFen, rawFen, riskMultiplier: rate, capFen: q.capFen },
    multiplierKey: key,
  };
}

/** The API's QuotaBreakdown (money strings). */
export function formatBreakdown(b: QuotaBreakdownFen): QuotaBreakdown {
  return {
    base: formatFen(b.baseFen),
    spend: formatFen(b.spendFen),
    deposit: formatFen(b.depositFen),
    raw: formatFen(b.rawFen),
    riskMultiplier: b.riskMultiplier,
    cap: formatFen(b.capFen),
  };
}

/** A lower quota never cancels past spending: available bottoms out at zero. */
export function available(quotaFen: Fen, usedFen: Fen): Fen {
  return Math.max(0, quotaFen - usedFen);
}

/** Concrete ways to raise the quota, derived from the same policy numbers as the quota itself. */
export function quotaTips(
  profile: Pick<CoreProfile, 'payScore' | 'overdueCount'>,
  result: QuotaResult,
  policy: Policy,
): string[] {
  const q = policy.quota;
  const tips: string[] = [];
  const percentOf = (rate: string) => new Dec(rate).times(100).toString();

  switch (result.multiplierKey) {
    case 'frozen':
      tips.push('分付已冻结，额度暂为 0。还清全部逾期欠款后，账户将恢复并重新评估额度。');
      break;
    case 'cashOut':
      tips.push(
        `系统检测到疑似套现的交易，额度暂按 ${percentOf(q.multipliers.cashOut)}% 计算。如有异议，可在“风险事件”中提交申诉。`,
      );
      break;
    case 'level2':
      tips.push(
        `账户有待处理的风险事件，额度暂按 ${percentOf(q.multipliers.level2)}% 计算，事件解除后将自动恢复。`,
      );
      break;
    case 'normal':
      break;
  }

  if (result.quotaFen >= q.capFen) {
    tips.push(`你的额度已达上限 ${formatFen(q.capFen)} 元。`);
  } else {
    if (result.multiplierKey === 'normal' && q.payScoreFactorFen > 0) {
      // The quota moves in steps; say how many pay-score points reach the next one.
      const nextFen = Math.min(q.capFen, result.quotaFen + q.roundDownToFen);
      const missingFen = Math.max(0, nextFen - result.breakdown.rawFen);
      // At least one: the quota is below that step, even when the rounded raw shown reaches it.
      const points = Math.max(1, new Dec(missingFen).dividedBy(q.payScoreFactorFen).ceil().toNumber());
      tips.push(`支付分再提升 ${points} 分，额度即可提升至 ${formatFen(nextFen)} 元。`);
    }
    tips.push(
      `支付分每提升 1 分，额度增加 ${formatFen(q.payScoreFactorFen)} 元。按时履约、完善个人信息，有助于提升支付分。`,
    );
    tips.push(
      `月均消费的 ${percentOf(q.spendRate)}% 计入额度，日常多用微信支付、保持规律消费，有助于提升额度。`,
    );
    tips.push(`零钱余额的 ${percentOf(q.depositRate)}% 计入额度，在零钱中保留一定余额，有助于提升额度。`);
  }

  tips.push(
    profile.overdueCount > 0
      ? '你有逾期记录，请尽快结清欠款，今后每期按时还款，良好的信用记录有助于恢复和提升额度。'
      : '每期账单按时还款，保持良好的信用记录，有助于提升额度。',
  );
  return tips;
}
