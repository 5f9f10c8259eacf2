import type { CioConfig } from '../../../lib/core/cio/config.js';
import type { CioInput } from '../../../lib/core/cio/decide.js';
import type { Quote } from '../../../lib/core/market/quote.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import type { Signal } from '../../../lib/core/signals/signal.js';

export const NOW = new Date('2026-11-26T15:30:00.000Z');

export const baseConfig: CioConfig = {
  agentVersion: '1.2.3',
  riskBudgets: { 'momentum-1': 1, 'meanrev-1': 1 },
  defaultRiskBudget: 0,
  directionWeight: '0.05',
  maxWeightPerName: '0.10',
  volTargeting: undefined,
  instruments: { AAPL: { lotSize: 1, tickSize: '0.01' }, MSFT: { lotSize: 100, tickSize: '0.01' } },
  minOrderNotional: '100',
  capacity: 'buyingPower',
  capacityUsage: '1',
  orderType: 'LMT',
  limitCollar: '0.002',
};

export function aQuote(symbol: string, bid: string, ask: string, extra: Partial<Quote> = {}): Quote {
  return QuoteSchema.parse({ symbol, bid, ask, at: '2026-11-26T15:29:59.000Z', ...extra });
}

/** One AAPL decision at mid 200 with NLV 1,000,000 unless overridden. */
export function input(trigger: Signal, overrides: Partial<CioInput> = {}): CioInput {
  return {
    trigger,
    signals: [],
    currentQuantity: 0,
    quote: aQuote(trigger.symbol, '199.99', '200.01'),
    account: { netLiquidation: '1000000', buyingPower: '4000000', totalCash: '1000000' },
    tradingMode: 'ACTIVE',
    config: baseConfig,
    now: NOW,
    correlationId: 'c-trigger',
    ...overrides,
  };
}
