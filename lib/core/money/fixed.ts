import { InvariantError, ValidationError } from '../shared/errors.js';
import type { DecimalString } from './decimal-string.js';

/**
 * Exact decimal arithmetic for prices and money: a `Fixed` is a bigint counting units of
 * 10^-SCALE (10 decimal places, the most a `DecimalString` may carry). Add, subtract and multiply by
 * an integer are exact; multiplying two decimals or dividing rounds once, with an explicit mode
 * (half-even by default, the banker's rounding that does not bias sums).
 *
 * The brand keeps a scaled value from being mixed with a plain bigint (a share count, say).
 * @example
 * const notional = mulInt(parseDecimal('187.25'), 10);   // exact
 * toDecimalString(notional);                              // '1872.5'
 * toMoneyString(notional);                                // '1872.50'
 */
export type Fixed = bigint & { readonly __brand: 'Fixed' };

/** Decimal places carried by a `Fixed`. */
export const SCALE = 10;
const FACTOR = 10n ** BigInt(SCALE);

export const ZERO = 0n as Fixed;
export const ONE = FACTOR as Fixed;

/**
 * How a result that does not fit is rounded. HALF_EVEN: to nearest, ties to the even neighbour;
 * HALF_UP: to nearest, ties away from zero; DOWN: toward zero; FLOOR / CEILING: toward -∞ / +∞.
 */
export type RoundingMode = 'HALF_EVEN' | 'HALF_UP' | 'DOWN' | 'FLOOR' | 'CEILING';

/** Same grammar as `DecimalStringSchema` except that the integer part is not length-limited. */
const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Reinterprets scaled units as a `Fixed` (no scaling applied). @internal */
export const fromUnits = (units: bigint): Fixed => units as Fixed;

/**
 * Parses a decimal string exactly. More than SCALE decimal places is refused rather than rounded:
 * silent rounding of an input is how money drifts.
 * @throws ValidationError `MONEY.INVALID_DECIMAL`
 * @example parseDecimal('-0.1') // -1000000000n
 */
export function parseDecimal(s: DecimalString | string): Fixed {
  const m = DECIMAL_RE.exec(s);
  const frac = m?.[3] ?? '';
  if (m === null || frac.length > SCALE) {
    throw new ValidationError('MONEY.INVALID_DECIMAL', `not a decimal with at most ${SCALE} places: "${s}"`, [{ path: '', message: 'a decimal number as a string, e.g. "187.25"' }]);
  }
  const units = BigInt(m[2] ?? '0') * FACTOR + BigInt(frac.padEnd(SCALE, '0') || '0');
  return (m[1] === '-' ? -units : units) as Fixed;
}

/** An integer (share count, whole dollars) as a `Fixed`. @throws InvariantError `MONEY.NOT_AN_INTEGER` */
export function fromInt(n: number | bigint): Fixed {
  return (toBigInt(n) * FACTOR) as Fixed;
}

export const add = (a: Fixed, b: Fixed): Fixed => (a + b) as Fixed;
export const sub = (a: Fixed, b: Fixed): Fixed => (a - b) as Fixed;
export const neg = (a: Fixed): Fixed => -a as Fixed;
export const abs = (a: Fixed): Fixed => (a < 0n ? -a : a) as Fixed;
export const sum = (xs: Iterable<Fixed>): Fixed => {
  let t = 0n;
  for (const x of xs) t += x;
  return t as Fixed;
};

/** Exact product with an integer quantity. */
export const mulInt = (a: Fixed, n: number | bigint): Fixed => (a * toBigInt(n)) as Fixed;

/** Product of two decimals, rounded once to SCALE places. */
export const mul = (a: Fixed, b: Fixed, mode: RoundingMode = 'HALF_EVEN'): Fixed => divRound(a * b, FACTOR, mode) as Fixed;

/**
 * Quotient of two decimals, rounded once to SCALE places.
 * @throws InvariantError `MONEY.DIVISION_BY_ZERO`
 */
export const div = (a: Fixed, b: Fixed, mode: RoundingMode = 'HALF_EVEN'): Fixed => divRound(a * FACTOR, b, mode) as Fixed;

/** Quotient by an integer (e.g. an average over a share count), rounded once to SCALE places. */
export const divInt = (a: Fixed, n: number | bigint, mode: RoundingMode = 'HALF_EVEN'): Fixed => divRound(a, toBigInt(n), mode) as Fixed;

/** Rounds to `dp` decimal places (0 ≤ dp ≤ SCALE), e.g. to cents before display or reporting. */
export function roundTo(a: Fixed, dp: number, mode: RoundingMode = 'HALF_EVEN'): Fixed {
  if (!Number.isInteger(dp) || dp < 0 || dp > SCALE) throw new InvariantError('MONEY.BAD_PRECISION', `precision must be 0..${SCALE}, got ${dp}`);
  const step = 10n ** BigInt(SCALE - dp);
  return (divRound(a, step, mode) * step) as Fixed;
}

export const cmp = (a: Fixed, b: Fixed): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0);
export const eq = (a: Fixed, b: Fixed): boolean => a === b;
export const lt = (a: Fixed, b: Fixed): boolean => a < b;
export const lte = (a: Fixed, b: Fixed): boolean => a <= b;
export const gt = (a: Fixed, b: Fixed): boolean => a > b;
export const gte = (a: Fixed, b: Fixed): boolean => a >= b;
export const sign = (a: Fixed): -1 | 0 | 1 => (a < 0n ? -1 : a > 0n ? 1 : 0);
export const isZero = (a: Fixed): boolean => a === 0n;
export const min = (a: Fixed, b: Fixed): Fixed => (a <= b ? a : b);
export const max = (a: Fixed, b: Fixed): Fixed => (a >= b ? a : b);

/**
 * Canonical decimal string: no exponent, no leading zeros, trailing fractional zeros trimmed, zero
 * is "0" (never "-0"). `minFractionDigits` pads the fraction (2 for money, see `toMoneyString`).
 * `parseDecimal(toDecimalString(x)) === x` for every x.
 * @example toDecimalString(parseDecimal('001.2500')) // '1.25'
 */
export function toDecimalString(a: Fixed, opts: { minFractionDigits?: number } = {}): DecimalString {
  const minDp = Math.min(Math.max(opts.minFractionDigits ?? 0, 0), SCALE);
  const negative = a < 0n;
  const u = negative ? -a : a;
  const int = (u / FACTOR).toString();
  let frac = (u % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (frac.length < minDp) frac = frac.padEnd(minDp, '0');
  return `${negative ? '-' : ''}${int}${frac.length > 0 ? '.' + frac : ''}`;
}

/**
 * Money for display and records: canonical, with at least 2 decimal places and no rounding
 * (sub-cent precision, e.g. an IB commission of 0.3457, is kept).
 * @example toMoneyString(parseDecimal('1872.5')) // '1872.50'
 */
export const toMoneyString = (a: Fixed): DecimalString => toDecimalString(a, { minFractionDigits: 2 });

/** Normalises a decimal string to its canonical form, e.g. '187.250' → '187.25'. */
export const canonicalDecimal = (s: DecimalString | string): DecimalString => toDecimalString(parseDecimal(s));

function toBigInt(n: number | bigint): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) throw new InvariantError('MONEY.NOT_AN_INTEGER', `expected a safe integer, got ${n}`);
  return BigInt(n);
}

/** Integer division of n by d with one rounding step. @internal */
export function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new InvariantError('MONEY.DIVISION_BY_ZERO', 'division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n % d; // has the sign of n
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n; // the neighbour further from zero
  switch (mode) {
    case 'DOWN':
      return q;
    case 'FLOOR':
      return n < 0n ? q - 1n : q;
    case 'CEILING':
      return n < 0n ? q : q + 1n;
    case 'HALF_UP':
    case 'HALF_EVEN': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === 'HALF_UP') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}
