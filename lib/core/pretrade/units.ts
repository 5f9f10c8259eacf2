import { ValidationError } from '../shared/errors.js';
import { divRound, parseDecimal, SCALE } from '../money/fixed.js';
import type { DecimalString } from '../money/decimal-string.js';

/**
 * The pre-trade hot path compares money as integers in a plain `number`: micro-dollars (10^-6 of
 * the account currency), converted once by `prepareContext` / `prepareOrder` from decimal strings
 * through the core's exact `Fixed`.
 *
 * Why micro-units: US equity prices are on a 0.01 (≥ $1) or 0.0001 (< $1) tick and a mid of two
 * ticks adds one digit, so 10^-6 holds every price and mark exactly; and integers in a double are
 * exact up to 2^53, so every sum and difference below the bound is exact.
 *
 * The bound: any single figure (a limit, a position's value, gross exposure, net liquidation) must
 * be at most `MAX_MONEY_MICROS` = 2^53 − 1 micro-units ≈ 9.007 billion in the account currency;
 * `toMicros` refuses anything larger. An order's notional (quantity × price) can exceed it only
 * when it is already far above every limit (each limit is below the bound), and a double product
 * above 2^53 is still above any number below 2^53, so no comparison flips.
 *
 * Ratios (leverage, VaR utilisation) are one correctly rounded division of two exact integers,
 * compared against the threshold: exact enough for a ratio, and no money is rounded.
 */
export const MICROS_PER_UNIT = 1_000_000;
export const MAX_MONEY_MICROS = Number.MAX_SAFE_INTEGER;
const FIXED_PER_MICRO = 10n ** BigInt(SCALE - 6);

/**
 * A decimal string as integer micro-units (half-even below 10^-6, which no tick produces).
 * @throws ValidationError `PRETRADE.INVALID_DECIMAL` (not a decimal) or `PRETRADE.OUT_OF_RANGE` (beyond the bound)
 * @example toMicros('187.25', 'limitPrice') // 187250000
 */
export function toMicros(value: DecimalString | string, field: string): number {
  const fast = fastMicros(value);
  if (fast !== undefined) return fast;
  let fixed: bigint;
  try {
    fixed = parseDecimal(value);
  } catch (cause) {
    throw new ValidationError('PRETRADE.INVALID_DECIMAL', `${field}: not a decimal "${value}"`, [{ path: field, message: 'a decimal number as a string' }], { cause });
  }
  const micros = divRound(fixed, FIXED_PER_MICRO, 'HALF_EVEN');
  if (micros > BigInt(MAX_MONEY_MICROS) || micros < -BigInt(MAX_MONEY_MICROS)) {
    throw new ValidationError('PRETRADE.OUT_OF_RANGE', `${field}: ${value} is beyond the pre-trade bound of ±${MAX_MONEY_MICROS} micro-units`, [{ path: field, message: 'at most about 9.007e9' }]);
  }
  return Number(micros);
}

/**
 * The common case without bigint: at most 6 decimal places and 15 digits in all, so every step
 * stays an exact integer below 2^53. Anything else (more places, a huge value, bad input) returns
 * undefined and takes the exact bigint path, which also produces the error.
 * @internal
 */
function fastMicros(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 17) return undefined;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const start = i;
  let units = 0;
  let digits = 0;
  let places = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (places >= 0 || i === start || i === n - 1) return undefined; // second '.', '.5', '5.'
      places = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    units = units * 10 + (c - 48);
    digits++;
    if (places >= 0) places++;
  }
  if (digits === 0 || digits > 15 || places > 6) return undefined;
  const micros = units * POW10[6 - (places < 0 ? 0 : places)]!;
  if (micros > MAX_MONEY_MICROS) return undefined;
  return start === 1 && micros !== 0 ? -micros : micros;
}
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] as const;

/** A decimal string as a plain ratio (e.g. a leverage of "1.8" or a utilisation of "0.9"). */
export function toRatio(value: DecimalString | string, field: string): number {
  return toMicros(value, field) / MICROS_PER_UNIT;
}

/**
 * Micro-units as a decimal string for messages, exact, at least 2 decimal places (a notional of
 * 1872500000 → "1872.50"); ±Infinity and NaN (an unbounded product) print as such.
 * @internal
 */
export function formatMicros(micros: number): string {
  if (!Number.isFinite(micros)) return String(micros);
  if (!Number.isSafeInteger(micros)) return micros.toExponential(6);
  const negative = micros < 0;
  const u = negative ? -micros : micros;
  const int = Math.floor(u / MICROS_PER_UNIT);
  let frac = u - int * MICROS_PER_UNIT;
  let digits = 6;
  // Integer arithmetic instead of a regex: messages are built on the check's hot path when it denies.
  while (digits > 2 && frac % 10 === 0) {
    frac /= 10;
    digits -= 1;
  }
  return `${negative ? '-' : ''}${int}.${String(frac).padStart(digits, '0')}`;
}

/** A ratio for messages: "1.8123x"-style, 4 significant decimals. @internal */
export const formatRatio = (r: number): string => (Number.isFinite(r) ? String(Math.round(r * 10_000) / 10_000) : String(r));

/** A fraction as a percentage for messages, e.g. 0.9123 → "91.23%". @internal */
export const formatPercent = (r: number): string => (Number.isFinite(r) ? `${Math.round(r * 10_000) / 100}%` : String(r));
