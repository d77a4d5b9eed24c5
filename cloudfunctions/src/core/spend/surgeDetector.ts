/**
 * Spend surge (SPEC §4, level 1): after a spend, today's total (this spend included) above
 * `ratio` × the average daily spending of the previous `lookbackDays` calendar days
 * (their total ÷ lookbackDays, days without spending count as zero). The spend stands.
 *
 * No spending at all in the lookback window means there is no baseline to compare with:
 * a new user's first purchases are not a "surge", so no event is raised.
 *
 * The event (and its inbox warning) comes once a day, with the spend that crosses the line; every
 * spend above it still carries the SPEND_SURGE warning in its answer. Ten purchases on a busy day
 * are one thing to warn about, not ten.
 */
import type { RiskEventType, SpendWarning } from '../../../../typings/api';
import { Dec, fenToDec, formatFen, roundToFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { DAY_MS, dayKey, dayStart } from '../time';

export interface SurgeInput {
  /** Credit spending per Shanghai day ("YYYY-MM-DD" → fen); today's entry includes this spend. */
  dailySpend: Readonly<Record<string, Fen>>;
  /** This spend, so the detector knows whether the day was already above the line before it. */
  amountFen: Fen;
  today: string;
  policy: Policy;
}

export interface SurgeResult {
  surge: boolean;
  todayFen: Fen;
  baselineTotalFen: Fen;
  /** Average daily spending of the lookback window, as a money string (display only). */
  averageDaily: string;
  /** Only for the spend that takes the day above the line. */
  event?: { level: 1; type: RiskEventType };
  warning?: SpendWarning;
}

/** The last answer of `lookbackDays`: every spend asks twice, and all the spends of a day alike. */
let lastLookback: { today: string; days: number; keys: readonly string[] } | null = null;

/** The lookback day keys, newest first: yesterday back to `lookbackDays` days ago. */
export function lookbackDays(today: string, policy: Policy): string[] {
  const days = policy.spend.surge.lookbackDays;
  if (lastLookback === null || lastLookback.today !== today || lastLookback.days !== days) {
    const start = dayStart(today);
    const keys: string[] = [];
    // Shanghai has no DST, so whole days are exactly DAY_MS apart.
    for (let i = 1; i <= days; i++) keys.push(dayKey(start - i * DAY_MS));
    lastLookback = { today, days, keys };
  }
  return [...lastLookback.keys];
}

export function detectSpendSurge(input: SurgeInput): SurgeResult {
  const { dailySpend, today, policy } = input;
  const { ratio, lookbackDays: days } = policy.spend.surge;
  const todayFen = dailySpend[today] ?? 0;
  const baselineTotalFen = lookbackDays(today, policy).reduce((sum, key) => sum + (dailySpend[key] ?? 0), 0);
  const averageDaily = formatFen(roundToFen(fenToDec(baselineTotalFen).dividedBy(days)));

  // today > ratio × total / days  ⇔  today × days > ratio × total (exact, no division).
  const above = (fen: Fen) =>
    baselineTotalFen > 0 && new Dec(fen).times(days).gt(new Dec(baselineTotalFen).times(ratio));
  const surge = above(todayFen);
  if (!surge) return { surge, todayFen, baselineTotalFen, averageDaily };
  const crossed = !above(todayFen - input.amountFen);
  return {
    surge,
    todayFen,
    baselineTotalFen,
    averageDaily,
    ...(crossed ? { event: { level: 1, type: 'spend_surge' as const } } : {}),
    warning: 'SPEND_SURGE',
  };
}

/** Drop days the detector will never look at again, so the stored map stays bounded. */
export function pruneDailySpend(
  dailySpend: Readonly<Record<string, Fen>>,
  today: string,
  policy: Policy,
): Record<string, Fen> {
  const keep = new Set([today, ...lookbackDays(today, policy)]);
  const pruned: Record<string, Fen> = {};
  for (const [key, fen] of Object.entries(dailySpend)) if (keep.has(key)) pruned[key] = fen;
  return pruned;
}
