import { z } from 'zod';
import { DecimalStringSchema } from '../core/money/decimal-string.js';
import { cmp, parseDecimal } from '../core/money/fixed.js';

/**
 * Compares two decimal strings exactly (scaled bigint), so limit cross-checks in the config
 * never go through floats.
 * @internal
 * @example compareDecimal('100.5', '100.50') // 0
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return cmp(parseDecimal(a), parseDecimal(b));
}

/** A non-negative decimal string ("0" allowed), e.g. an exposure limit that may be zero. */
export const NonNegativeDecimalSchema = DecimalStringSchema.refine((s) => !s.startsWith('-'), 'must not be negative');

/** A strictly positive decimal string. */
export const PositiveDecimalSchema = DecimalStringSchema.refine((s) => !s.startsWith('-') && /[1-9]/.test(s), 'must be greater than zero');

/** YAML reads `100000` as a number; money and limits must be quoted strings so no float creeps in. */
export const MoneySchema = z.string({ error: (iss) => (iss.input === undefined ? 'required' : 'write it as a quoted decimal string, e.g. "100000" (no floats for money and limits)') }).pipe(PositiveDecimalSchema);
