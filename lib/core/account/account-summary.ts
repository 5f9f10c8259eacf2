import { z } from 'zod';
import { AccountIdSchema, IsoTimestampSchema } from '../shared/ids.js';
import { CurrencySchema, DecimalStringSchema } from '../money/decimal-string.js';

/** The broker's account summary (IB tags NetLiquidation, TotalCashValue, BuyingPower, GrossPositionValue…). */
export const AccountSummarySchema = z.strictObject({
  account: AccountIdSchema,
  currency: CurrencySchema,
  netLiquidation: DecimalStringSchema,
  totalCash: DecimalStringSchema,
  buyingPower: DecimalStringSchema,
  grossPositionValue: DecimalStringSchema,
  updatedAt: IsoTimestampSchema,
});
export type AccountSummary = z.infer<typeof AccountSummarySchema>;
