/**
 * The weighted score of SPEC §2.2. Each dimension is a small named rule that reports its value,
 * threshold, weight and — when it fails — a concrete suggestion, so the rejection page can
 * explain itself without any logic of its own.
 */
import type { Dimension, DimensionKey, RejectionReason } from '../../../../typings/api';
import { formatFen } from '../money';
import type { Policy } from '../policy';
import type { CoreProfile } from './profile';

export type ScoreReason = Extract<RejectionReason, 'PAY_SCORE_TOO_LOW' | 'SCORE_TOO_LOW'>;

export interface ScoreResult {
  /** Sum of the weights of the passed dimensions (0–100 with the default weights). */
  score: number;
  /** Every dimension, always in the order payScore, activity, stability, social, creditHistory. */
  dimensions: Dimension[];
  /** Every required dimension passed and score ≥ approveScore. */
  approved: boolean;
  reasons: ScoreReason[];
}

export type ScoringProfile = Pick<
  CoreProfile,
  'payScore' | 'monthlyPaymentCount' | 'balanceFen' | 'friendCount' | 'overdueCount'
>;

export const DIMENSION_LABELS: Readonly<Record<DimensionKey, string>> = {
  payScore: '支付分',
  activity: '支付活跃度',
  stability: '零钱余额',
  social: '社交关系',
  creditHistory: '信用记录',
};

export function payScoreDimension(p: ScoringProfile, policy: Policy): Dimension {
  const { threshold, weight } = policy.scoring.payScore;
  const passed = p.payScore >= threshold;
  return dimension(
    'payScore',
    p.payScore,
    threshold,
    weight,
    passed,
    () =>
      `支付分还差 ${threshold - p.payScore} 分达到 ${threshold} 分。按时履约、完善个人信息，有助于提升支付分。`,
  );
}

export function activityDimension(p: ScoringProfile, policy: Policy): Dimension {
  const { threshold, weight } = policy.scoring.activity;
  const passed = p.monthlyPaymentCount >= threshold;
  return dimension(
    'activity',
    p.monthlyPaymentCount,
    threshold,
    weight,
    passed,
    () =>
      `近 3 个月平均每月使用微信支付 ${p.monthlyPaymentCount} 笔，每月再多使用 ${threshold - p.monthlyPaymentCount} 笔（达到 ${threshold} 笔）即可达标。`,
  );
}

export function stabilityDimension(p: ScoringProfile, policy: Policy): Dimension {
  const { thresholdFen, weight } = policy.scoring.stability;
  const passed = p.balanceFen >= thresholdFen;
  return dimension(
    'stability',
    formatFen(p.balanceFen),
    formatFen(thresholdFen),
    weight,
    passed,
    () =>
      `零钱余额再多保留 ${formatFen(thresholdFen - p.balanceFen)} 元（达到 ${formatFen(thresholdFen)} 元）即可达标。`,
  );
}

export function socialDimension(p: ScoringProfile, policy: Policy): Dimension {
  const { threshold, weight } = policy.scoring.social;
  const passed = p.friendCount >= threshold;
  return dimension(
    'social',
    p.friendCount,
    threshold,
    weight,
    passed,
    () =>
      `微信好友还差 ${threshold - p.friendCount} 位达到 ${threshold} 位。多与亲友、同事使用微信保持联系，有助于积累社交信用。`,
  );
}

export function creditHistoryDimension(p: ScoringProfile, policy: Policy): Dimension {
  const { maxOverdueCount, weight } = policy.scoring.creditHistory;
  const passed = p.overdueCount <= maxOverdueCount;
  return dimension(
    'creditHistory',
    p.overdueCount,
    maxOverdueCount,
    weight,
    passed,
    () =>
      `信用记录中有 ${p.overdueCount} 条逾期记录（需不超过 ${maxOverdueCount} 条）。请尽快结清逾期欠款，今后每期按时还款。`,
  );
}

export function scoreProfile(profile: ScoringProfile, policy: Policy): ScoreResult {
  const dimensions = [
    payScoreDimension(profile, policy),
    activityDimension(profile, policy),
    stabilityDimension(profile, policy),
    socialDimension(profile, policy),
    creditHistoryDimension(profile, policy),
  ];
  const score = dimensions.reduce((sum, d) => sum + (d.passed ? d.weight : 0), 0);

  const failedRequired = dimensions.filter(
    (d) => !d.passed && policy.scoring.requiredDimensions.includes(d.key),
  );
  const reasons: ScoreReason[] = [];
  if (failedRequired.some((d) => d.key === 'payScore')) reasons.push('PAY_SCORE_TOO_LOW');
  // There is no dedicated code for another required dimension; it is reported as SCORE_TOO_LOW.
  const otherRequiredFailed = failedRequired.some((d) => d.key !== 'payScore');
  if (score < policy.scoring.approveScore || otherRequiredFailed) reasons.push('SCORE_TOO_LOW');

  return { score, dimensions, approved: reasons.length === 0, reasons };
}

function dimension(
  key: DimensionKey,
  value: number | string,
  threshold: number | string,
  weight: number,
  passed: boolean,
  suggest: () => string,
): Dimension {
  const d: Dimension = { key, label: DIMENSION_LABELS[key], value, threshold, weight, passed };
  if (!passed) d.suggestion = suggest();
  return d;
}
