/**
 * Calendar arithmetic in Asia/Shanghai (UTC+8, no DST). Instants are epoch milliseconds;
 * calendar dates are computed by shifting by the fixed offset, so no host time zone leaks in.
 */
export type Millis = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const OFFSET_MS = 8 * HOUR_MS;

export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** The Shanghai calendar date of an instant. */
export function localDate(at: Millis): LocalDate {
  const d = new Date(at + OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant of a Shanghai wall-clock time. Month overflow is normalised (month 13 = next January). */
export function atLocal(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): Millis {
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - OFFSET_MS;
}

export function startOfLocalDay(at: Millis): Millis {
  const { year, month, day } = localDate(at);
  return atLocal(year, month, day);
}

/** "YYYY-MM-DD" of the Shanghai date. */
export function dayKey(at: Millis): string {
  const { year, month, day } = localDate(at);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** "YYYY-MM" of the Shanghai date. */
export function periodKey(at: Millis): string {
  const { year, month } = localDate(at);
  return `${year}-${pad(month)}`;
}

/** Parse "YYYY-MM-DD" into the instant of its Shanghai midnight. */
export function dayStart(key: string): Millis {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) throw new Error(`bad day key: ${key}`);
  return atLocal(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Whole calendar days from the Shanghai date of `from` to that of `to` (may be negative). */
export function daysBetween(from: Millis, to: Millis): number {
  return Math.round((startOfLocalDay(to) - startOfLocalDay(from)) / DAY_MS);
}

/** ISO 8601 with the +08:00 offset, as the API requires. */
export function toIso(at: Millis): string {
  const d = new Date(at + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`
  );
}

/** Parse an ISO 8601 string with an explicit offset or Z; returns null when invalid. */
export function parseIso(text: string): Millis | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls an impossible day over ("2026-02-31" is 3 March): refuse it instead.
  const [y, m, d] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? t : null;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
