/** Statement calendar (SPEC §5): every date derives from the period and the policy. */
import type { Policy } from '../policy';
import { atLocal, dayKey, dayStart, DAY_MS, HOUR_MS, type Millis } from '../time';

/** Deadlines are stored as a whole second (23:59:59) but cover all of it. */
const LAST_MS_OF_SECOND = 999;

export interface StatementDates {
  statementDate: Millis;
  dueDate: Millis;
  graceEndsAt: Millis;
}

export function parsePeriod(period: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) throw new Error(`bad period: ${period}`);
  return { year: Number(m[1]), month };
}

/** The period `months` after `period` ("2026-11" + 2 → "2027-01"). */
export function addMonths(period: string, months: number): string {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Period "2026-11" → issued 2026-12-01 00:00, due 2026-12-10 23:59:59, grace to 2026-12-13 23:59:59. */
export function statementDates(period: string, policy: Policy): StatementDates {
  const { year, month } = parsePeriod(period);
  const b = policy.billing;
  const statementDate = atLocal(year, month + 1, b.statementDay);
  const dueDate = atLocal(year, month + 1, b.dueDay, 23, 59, 59);
  return { statementDate, dueDate, graceEndsAt: dueDate + b.graceHours * HOUR_MS };
}

/**
 * When installment `k` (1-based) of a plan falls due: one installment is billed per statement,
 * the first for `firstPeriod`, so installment k is on the statement of the (k−1)th period after it.
 */
export function installmentDueDate(firstPeriod: string, k: number, policy: Policy): Millis {
  return statementDates(addMonths(firstPeriod, k - 1), policy).dueDate;
}

/** The last millisecond of a deadline second. */
export function deadlineEnd(deadline: Millis): Millis {
  return deadline + LAST_MS_OF_SECOND;
}

/** True when `at` falls on or before the deadline second. */
export function onOrBefore(at: Millis, deadline: Millis): boolean {
  return at <= deadlineEnd(deadline);
}

export function endOfDay(key: string): Millis {
  return dayStart(key) + DAY_MS - 1;
}

export function nextDay(key: string): string {
  return dayKey(dayStart(key) + DAY_MS);
}

export function previousDay(key: string): string {
  return dayKey(dayStart(key) - DAY_MS);
}

/** Day keys from first to last inclusive (empty when last < first). */
export function eachDay(firstDay: string, lastDay: string): string[] {
  const days: string[] = [];
  const end = dayStart(lastDay);
  for (let t = dayStart(firstDay); t <= end; t += DAY_MS) days.push(dayKey(t));
  return days;
}
