import type { DecimalString } from '../../../lib/core/money/decimal-string.js';
import { MappingError } from './errors.js';

/**
 * IB sends prices and money as doubles (`187.2`, `1.7976931348623157E308` for "unset", which the
 * client turns into `undefined`). We carry decimal strings: round to 8 places (below any tick or
 * cent we trade) to shed binary noise such as 0.30000000000000004, then drop trailing zeros.
 *
 * @example
 * doubleToDecimal(187.2) // '187.2'
 * doubleToDecimal(0.1 + 0.2) // '0.3'
 */
export function doubleToDecimal(value: number | undefined, field: string): DecimalString {
  if (value === undefined || !Number.isFinite(value)) throw new MappingError('MAPPING.NOT_A_NUMBER', `${field} is not a finite number: ${String(value)}`, { field });
  if (Math.abs(value) >= 1e15) throw new MappingError('MAPPING.OUT_OF_RANGE', `${field} is out of range: ${value}`, { field });
  let s = value.toFixed(8);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return s;
}

/** Like `doubleToDecimal`, but `undefined` (IB's "not available") stays `undefined`. */
export function optionalDoubleToDecimal(value: number | undefined, field: string): DecimalString | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : doubleToDecimal(value, field);
}

/**
 * A decimal string to the double the IB client encodes (`String(n)` on the wire). Safe for prices:
 * every decimal with ≤ 15 significant digits round-trips through a double and back to the same text.
 */
export function decimalToDouble(value: DecimalString): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new MappingError('MAPPING.NOT_A_NUMBER', `not a decimal: ${value}`, { value });
  return n;
}

/** IB quantities are `Decimal` in the protocol but whole shares for the stocks we trade. */
export function wholeQuantity(value: number | undefined, field: string): number {
  if (value === undefined || !Number.isFinite(value) || !Number.isInteger(value)) throw new MappingError('MAPPING.NOT_WHOLE', `${field} is not a whole quantity: ${String(value)}`, { field });
  return value;
}
