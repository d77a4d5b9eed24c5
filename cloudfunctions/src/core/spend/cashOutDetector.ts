/**
 * Cash-out pattern (SPEC §4, level 2): `minCount` or more spends at merchants of the pattern
 * category (personal_qr) totalling ≥ `minTotalFen` within `windowHours`, this spend included.
 * The window is (now − windowHours, now]: a spend exactly 24 h old no longer counts.
 *
 * Only a spend of the pattern category can complete the pattern; the detector answers false for
 * other spends, because the earlier matching spends were already judged when they happened.
 * Deduplication across further matching spends is the caller's (the account keeps one flag).
 */
import type { RiskEventType, SpendWarning } from '../../../../typings/api';
import { sumFen, type Fen } from '../money';
import type { Policy } from '../policy';
import { HOUR_MS, type Millis } from '../time';

export interface RecentSpend {
  at: Millis;
  amountFen: Fen;
  category: string;
}

export interface CashOutInput {
  /** The spend just made; its `at` is "now". */
  current: RecentSpend;
  /** Earlier spends (any categories, any age); must not include `current`. */
  previous: readonly RecentSpend[];
  policy: Policy;
}

export interface CashOutResult {
  flagged: boolean;
  count: number;
  totalFen: Fen;
  event?: { level: 2; type: RiskEventType };
  warning?: SpendWarning;
}

/** Keep only what the detector can still use: pattern-category spends inside the window. */
export function pruneCashOutWindow(
  spends: readonly RecentSpend[],
  now: Millis,
  policy: Policy,
): RecentSpend[] {
  const { category, windowHours } = policy.spend.cashOutPattern;
  const from = now - windowHours * HOUR_MS;
  // No upper bound: a spend stamped after `now` (recorded by a clock ahead of this request's)
  // happened all the same, and counts.
  return spends.filter((s) => s.category === category && s.at > from);
}

export function detectCashOut(input: CashOutInput): CashOutResult {
  const { current, previous, policy } = input;
  const rules = policy.spend.cashOutPattern;
  if (current.category !== rules.category) return { flagged: false, count: 0, totalFen: 0 };

  const window = [...pruneCashOutWindow(previous, current.at, policy), current];
  const count = window.length;
  const totalFen = sumFen(window.map((s) => s.amountFen));
  const flagged = count >= rules.minCount && totalFen >= rules.minTotalFen;
  return flagged
    ? {
        flagged,
        count,
        totalFen,
        event: { level: 2, type: 'cash_out_pattern' },
        warning: 'CASH_OUT_SUSPECTED',
      }
    : { flagged, count, totalFen };
}
