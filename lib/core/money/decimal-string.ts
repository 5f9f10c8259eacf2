import { z } from 'zod';

/**
 * Prices and money are stored and carried as decimal strings ("187.25", "-12.5"), never floats.
 * Arithmetic on them goes through `lib/core/money/fixed.ts` (scaled bigint).
 */
export const DecimalStringSchema = z.string().regex(/^-?\d{1,15}(\.\d{1,10})?$/, 'a decimal number as a string, e.g. "187.25"');
export type DecimalString = z.infer<typeof DecimalStringSchema>;

export const PositiveDecimalStringSchema = DecimalStringSchema.refine((s) => !s.startsWith('-') && /[1-9]/.test(s), 'must be greater than zero');

/** ISO-4217 currency code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO-4217 code, e.g. "USD"');
