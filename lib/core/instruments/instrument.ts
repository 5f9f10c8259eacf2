import { z } from 'zod';
import { SymbolSchema } from '../shared/ids.js';
import { CurrencySchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';

/**
 * An instrument of the configured universe.
 * @example
 * { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD', conId: 265598, tickSize: '0.01', lotSize: 1 }
 */
export const InstrumentSchema = z.strictObject({
  symbol: SymbolSchema,
  secType: z.enum(['STK', 'ETF']).default('STK'),
  exchange: z.string().min(1).default('SMART'),
  primaryExchange: z.string().min(1).optional(),
  currency: CurrencySchema.default('USD'),
  /** IB contract id; optional because the broker resolves by symbol when absent. */
  conId: z.number().int().positive().optional(),
  tickSize: PositiveDecimalStringSchema.default('0.01'),
  lotSize: z.number().int().positive().default(1),
});
export type Instrument = z.infer<typeof InstrumentSchema>;
