/**
 * Fixed-point money for the simulator: a bigint scaled by 10^8.
 *
 * Why not lib/core/money: the simulator is shipped as its own container image and must not
 * depend on the product's domain code (it stands in for IB, which knows nothing about us).
 * Eight decimals cover IB's price increments, per-share commissions (0.005) and averaged costs.
 */
export type Fixed = bigint;

export const SCALE_DIGITS = 8;
export const SCALE = 10n ** BigInt(SCALE_DIGITS);
export const ZERO: Fixed = 0n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses "187.25" (or a safe integer number) into a Fixed; throws on anything else. */
export function fx(value: string | number | bigint): Fixed {
  if (typeof value === 'bigint') return value * SCALE;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`fx(number) takes integers only, got ${value}`);
    return BigInt(value) * SCALE;
  }
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal string: "${value}"`);
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > SCALE_DIGITS && /[1-9]/.test(frac.slice(SCALE_DIGITS))) {
    throw new RangeError(`more than ${SCALE_DIGITS} decimals: "${value}"`);
  }
  const v = BigInt(whole) * SCALE + BigInt((frac.slice(0, SCALE_DIGITS) || '0').padEnd(SCALE_DIGITS, '0'));
  return sign ? -v : v;
}

/** Formats a Fixed as the shortest decimal string ("187.25", "-3", "0.005"). */
export function fmt(value: Fixed, minDecimals = 0): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const whole = abs / SCALE;
  let frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  const body = frac ? `${whole}.${frac}` : `${whole}`;
  return neg && abs !== 0n ? `-${body}` : body;
}

/** price × integer quantity, exact. */
export function mulQty(price: Fixed, qty: number): Fixed {
  return price * BigInt(qty);
}

/** Fixed × Fixed, rounded half away from zero. */
export function mul(a: Fixed, b: Fixed): Fixed {
  return divRound(a * b, SCALE);
}

/** a / integer quantity, rounded half away from zero (averages). */
export function divQty(a: Fixed, qty: number): Fixed {
  return divRound(a, BigInt(qty));
}

/** Integer division of bigints rounded half away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an + ad / 2n) / ad;
  return neg ? -q : q;
}

export function max(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

export function min(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

/** For the wire only (IB doubles): never used for arithmetic. */
export function toWire(value: Fixed): string {
  return fmt(value);
}

/** Rounds to cents and prints two decimals, the way IB reports account values ("1000000.00"). */
export function fmtMoney(value: Fixed): string {
  const unit = SCALE / 100n;
  return fmt(divRound(value, unit) * unit, 2);
}
