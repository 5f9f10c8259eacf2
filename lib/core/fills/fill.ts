import { z } from 'zod';
import { AccountIdSchema, BrokerOrderIdSchema, ClientOrderIdSchema, CorrelationIdSchema, ExecIdSchema, IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';
import { CurrencySchema, DecimalStringSchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';
import { OrderSideSchema } from '../orders/order.js';

/**
 * One execution at the broker; `execId` is its identity (fills arrive at least once).
 * @example
 * { execId: '0000e0d5.00000001.01.01', clientOrderId: 'CO-1', brokerOrderId: '1001', symbol: 'AAPL', side: 'BUY', quantity: 10, price: '187.20', commission: '1.00', currency: 'USD', ... }
 */
export const FillSchema = z.strictObject({
  execId: ExecIdSchema,
  clientOrderId: ClientOrderIdSchema.optional(),
  brokerOrderId: BrokerOrderIdSchema,
  account: AccountIdSchema,
  symbol: SymbolSchema,
  side: OrderSideSchema,
  quantity: z.number().int().positive(),
  price: PositiveDecimalStringSchema,
  /** Arrives later with the commission report; absent until then. */
  commission: DecimalStringSchema.optional(),
  currency: CurrencySchema,
  venue: z.string().optional(),
  executedAt: IsoTimestampSchema,
  correlationId: CorrelationIdSchema.optional(),
});
export type Fill = z.infer<typeof FillSchema>;
