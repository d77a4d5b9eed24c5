/**
 * Money: integer fen in storage, decimal.js in computation, two-decimal strings on the wire.
 * This module is the only place that parses, formats or rounds money.
 */
import Decimal from 'decimal.js';

/** A decimal.js flavour with enough precision for rates and ROUND_HALF_UP as SPEC requires. */
export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = Decimal;

/** Integer number of fen (1/100 yuan). Always a safe integer. */
export type Fen = number;

/** Largest accepted input amount: 10,000,000.00 yuan. */
export const MAX_INPUT_FEN: Fen = 1_000_000_000;

// Digits only, no sign, no exponent, no spaces, no leading zeros, at most two decimals.
const MONEY_INPUT = /^(0|[1-9][0-9]{0,7})(\.[0-9]{1,2})?$/;

export type MoneyParseError = 'NOT_A_STRING' | 'BAD_FORMAT' | 'ZERO' | 'TOO_LARGE';

export type MoneyParse = { ok: true; fen: Fen } | { ok: false; error: MoneyParseError; message: string };

/** Parse a user-entered amount exactly as SPEC's input grammar allows. */
export function parseMoney(input: unknown): MoneyParse {
  if (typeof input !== 'string') {
    return { ok: false, error: 'NOT_A_STRING', message: '金额须为字符串，例如 "100.00"' };
  }
  if (!MONEY_INPUT.test(input)) {
    return { ok: false, error: 'BAD_FORMAT', message: '金额格式不正确，最多两位小数，例如 "100.00"' };
  }
  const fen = new Dec(input).times(100).toNumber();
  if (fen === 0) return { ok: false, error: 'ZERO', message: '金额须大于 0' };
  if (fen > MAX_INPUT_FEN) return { ok: false, error: 'TOO_LARGE', message: '金额不能超过 10000000.00' };
  return { ok: true, fen };
}

/** Parse a stored or trusted two-decimal string (zero and any size allowed, no floats). */
export function yuanToFen(yuan: string | Dec): Fen {
  const d = new Dec(yuan);
  return roundToFen(d);
}

/** Format fen as the wire's two-decimal string: 730000 → "7300.00". */
export function formatFen(fen: Fen): string {
  assertFen(fen);
  // Digits of an integer, no arithmetic: exact, and it runs several times per request.
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Fen → decimal yuan for computation. */
export function fenToDec(fen: Fen): Dec {
  assertFen(fen);
  return new Dec(fen).dividedBy(100);
}

/** Round a decimal yuan amount to whole fen, half up (SPEC §money). */
export function roundToFen(yuan: Dec): Fen {
  return yuan.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Round an exact amount in fen (a fraction of a fen possible) to whole fen, half up. */
export function roundFen(fen: Dec): Fen {
  return fen.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Multiply fen by a rate and round half-up to the fen. */
export function fenTimesRate(fen: Fen, rate: string | Dec): Fen {
  return roundFen(new Dec(fen).times(rate));
}

/** Format a rate (0.18) as the wire's percent string ("18.00"). */
export function formatPercent(rate: Dec | string, places = 2): string {
  return new Dec(rate).times(100).toFixed(places, Decimal.ROUND_HALF_UP);
}

export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new Error(`not an integer fen amount: ${fen}`);
}

export function sumFen(values: readonly Fen[]): Fen {
  let total = 0;
  for (const v of values) {
    assertFen(v);
    total += v;
  }
  assertFen(total);
  return total;
}
