import { z } from 'zod';
import { IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';
import { DecimalStringSchema } from '../money/decimal-string.js';

/** Top of book for one instrument, as last seen from the broker's market data. */
export const QuoteSchema = z.strictObject({
  symbol: SymbolSchema,
  bid: DecimalStringSchema.optional(),
  ask: DecimalStringSchema.optional(),
  last: DecimalStringSchema.optional(),
  bidSize: z.number().nonnegative().optional(),
  askSize: z.number().nonnegative().optional(),
  at: IsoTimestampSchema,
});
export type Quote = z.infer<typeof QuoteSchema>;
