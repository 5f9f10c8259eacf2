import { z } from 'zod';
import { AccountIdSchema, IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';
import { CurrencySchema, DecimalStringSchema } from '../money/decimal-string.js';

/**
 * A position with average cost and P&L, all money as decimal strings (no float drift).
 * `quantity` is signed: negative is short.
 */
export const PositionSchema = z.strictObject({
  account: AccountIdSchema,
  symbol: SymbolSchema,
  quantity: z.number().int(),
  avgCost: DecimalStringSchema,
  /**
   * Signed cost of the open shares (negative for a short), exact; `avgCost` is derived from it by
   * `lib/core/positions/pnl.ts`. Absent on broker snapshots, which carry only avgCost.
   */
  costBasis: DecimalStringSchema.optional(),
  currency: CurrencySchema,
  marketPrice: DecimalStringSchema.optional(),
  marketValue: DecimalStringSchema.optional(),
  unrealizedPnl: DecimalStringSchema.optional(),
  realizedPnl: DecimalStringSchema,
  updatedAt: IsoTimestampSchema,
});
export type Position = z.infer<typeof PositionSchema>;
