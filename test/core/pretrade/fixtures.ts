import type { PretradeContextInput, ContextOrder } from '../../../lib/core/pretrade/context.js';
import type { PretradeOrderInput } from '../../../lib/core/pretrade/order.js';
import { prepareContext } from '../../../lib/core/pretrade/context.js';
import { prepareOrder } from '../../../lib/core/pretrade/order.js';
import { checkOrder, type PretradeResult } from '../../../lib/core/pretrade/check.js';

/**
 * A small book for unit tests. Gross exposure before any order: AAPL 100 × 100.00 = 10,000 plus
 * |MSFT −200 × 200.01| = 40,002 → 50,002; net 10,000 − 40,002 = −30,002.
 */
export const NOW = '2026-11-26T15:00:00.000Z';
export const NOW_MS = Date.parse(NOW);

export function baseContext(overrides: Partial<PretradeContextInput> = {}): PretradeContextInput {
  return {
    asOf: NOW,
    tradingMode: 'ACTIVE',
    limits: {
      maxOrderQuantity: 1000,
      maxOrderNotional: '100000',
      priceCollarBps: 500,
      maxPositionNotionalPerInstrument: '200000',
      maxGrossExposure: '1500000',
      maxNetExposure: '1000000',
      dailyLossLimit: '20000',
      varLimit: '50000',
    },
    compliance: {},
    account: { netLiquidation: '1000000', buyingPower: '2000000' },
    positions: [
      { symbol: 'AAPL', quantity: 100, avgCost: '90' },
      { symbol: 'MSFT', quantity: -200, avgCost: '210' },
    ],
    quotes: [
      { symbol: 'AAPL', bid: '99.99', ask: '100.01', last: '100' },
      { symbol: 'MSFT', bid: '200', ask: '200.02' },
      { symbol: 'NVDA', bid: '49.99', ask: '50.01', last: '50' },
    ],
    workingOrders: [],
    dailyPnl: { realized: '0', unrealized: '0' },
    var: { current: '10000' },
    messagesInWindow: 0,
    ...overrides,
  };
}

export function anOrderInput(overrides: Partial<PretradeOrderInput> = {}): PretradeOrderInput {
  return { clientOrderId: 'CO-NEW-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '100', strategyId: 'momo', ...overrides };
}

let seq = 0;
/** A working order placed long before NOW (outside any duplicate window). */
export function aWorkingOrder(overrides: Partial<ContextOrder> = {}): ContextOrder {
  seq += 1;
  return { clientOrderId: `CO-W-${seq}`, symbol: 'AAPL', side: 'BUY', quantity: 10, filledQuantity: 0, type: 'LMT', limitPrice: '99', status: 'ACCEPTED', createdAt: '2026-11-26T14:00:00.000Z', origin: { strategyId: 'momo' }, ...overrides };
}

export function check(order: Partial<PretradeOrderInput> = {}, ctx: Partial<PretradeContextInput> = {}): PretradeResult {
  return checkOrder(prepareOrder(anOrderInput(order)), prepareContext(baseContext(ctx)));
}

export const codes = (r: PretradeResult): string[] => r.reasons.map((d) => d.code);
export const warningCodes = (r: PretradeResult): string[] => r.warnings.map((w) => w.code);
