import { describe, expect, it } from 'vitest';
import { finalGate, isRiskReducing } from '../../../fargate/gateway/final-gate.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { OrderSchema } from '../../../lib/core/orders/order.js';
import type { Position } from '../../../lib/core/positions/position.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';

const now = '2026-11-26T14:30:00.000Z';
const order = (o: Partial<Order> = {}): Order => OrderSchema.parse({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'SELL', quantity: 10, type: 'MKT', status: 'APPROVED', correlationId: 'c-1', createdAt: now, updatedAt: now, version: 1, ...o });
const state = (mode: TradingState['mode']): TradingState => ({ mode, version: 3, changedAt: now, changedBy: 'risk', reason: 'test' });
const long100: Position = { account: 'DU1' as never, symbol: 'AAPL' as never, quantity: 100, avgCost: '187', currency: 'USD', realizedPnl: '0', updatedAt: now };

describe('finalGate', () => {
  it('allows an approved order when ACTIVE', () => {
    expect(finalGate({ order: order(), tradingState: state('ACTIVE'), positions: [], knownSymbol: true })).toEqual({ allow: true });
  });

  it.each<[string, Parameters<typeof finalGate>[0], string]>([
    ['an unknown clientOrderId', { order: undefined, tradingState: state('ACTIVE'), positions: [], knownSymbol: true }, 'UNKNOWN_ORDER'],
    ['an order already submitted', { order: order({ status: 'SUBMITTED', brokerOrderId: '1001' as never }), tradingState: state('ACTIVE'), positions: [], knownSymbol: true }, 'DUPLICATE_ORDER'],
    ['an approved order that already has a broker id', { order: order({ brokerOrderId: '1001' as never }), tradingState: state('ACTIVE'), positions: [], knownSymbol: true }, 'DUPLICATE_ORDER'],
    ['a filled order', { order: order({ status: 'FILLED' }), tradingState: state('ACTIVE'), positions: [], knownSymbol: true }, 'DUPLICATE_ORDER'],
    ['HALTED', { order: order(), tradingState: state('HALTED'), positions: [long100], knownSymbol: true }, 'TRADING_HALTED'],
    ['REDUCING and the order grows the position', { order: order({ side: 'BUY' }), tradingState: state('REDUCING'), positions: [long100], knownSymbol: true }, 'NOT_RISK_REDUCING'],
    ['REDUCING and the order would flip the position', { order: order({ quantity: 150 }), tradingState: state('REDUCING'), positions: [long100], knownSymbol: true }, 'NOT_RISK_REDUCING'],
    ['REDUCING and there is no position', { order: order(), tradingState: state('REDUCING'), positions: [], knownSymbol: true }, 'NOT_RISK_REDUCING'],
    ['no trading-state record (fails closed)', { order: order(), tradingState: undefined, positions: [], knownSymbol: true }, 'TRADING_STATE_UNKNOWN'],
    ['a symbol outside the universe', { order: order(), tradingState: state('ACTIVE'), positions: [], knownSymbol: false }, 'UNKNOWN_INSTRUMENT'],
  ])('denies %s', (_name, input, reasonCode) => {
    const decision = finalGate(input);
    expect(decision).toMatchObject({ allow: false, reasonCode });
  });

  it('allows a reducing sell of a long position when REDUCING', () => {
    expect(finalGate({ order: order({ quantity: 100 }), tradingState: state('REDUCING'), positions: [long100], knownSymbol: true })).toEqual({ allow: true });
  });

  it('treats a buy that covers a short as reducing', () => {
    expect(isRiskReducing({ symbol: 'AAPL' as never, side: 'BUY', quantity: 40, account: undefined }, [{ ...long100, quantity: -50 }])).toBe(true);
  });

  it('puts a duplicate before the trading state: a working order is never touched', () => {
    expect(finalGate({ order: order({ status: 'ACCEPTED', brokerOrderId: '7' as never }), tradingState: state('HALTED'), positions: [], knownSymbol: true })).toMatchObject({ reasonCode: 'DUPLICATE_ORDER' });
  });
});
