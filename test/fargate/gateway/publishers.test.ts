import { describe, expect, it } from 'vitest';
import { EventSink } from '../../../fargate/gateway/publishers/context.js';
import { ExecutionPublisher } from '../../../fargate/gateway/publishers/executions.js';
import { MarketDataPublisher } from '../../../fargate/gateway/publishers/market-data.js';
import { OrderUpdatePublisher } from '../../../fargate/gateway/publishers/order-updates.js';
import { PortfolioPublisher } from '../../../fargate/gateway/publishers/portfolio.js';
import { InstrumentSchema } from '../../../lib/core/instruments/instrument.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { OrderSchema } from '../../../lib/core/orders/order.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { inMemoryStores } from '../../support/memory-stores.js';

const now = '2026-11-26T14:30:00.000Z';

function setup() {
  const stores = inMemoryStores();
  const publisher = new RecordingPublisher();
  const clock = new ManualClock(now);
  const logger = new MemoryLogger();
  let n = 0;
  const sink = new EventSink(publisher, clock, () => `e-${++n}`, logger, 'session');
  return { stores, publisher, clock, logger, sink };
}
async function submitted(stores: ReturnType<typeof inMemoryStores>, o: Partial<Order> = {}): Promise<Order> {
  return stores.orders.create(OrderSchema.parse({ clientOrderId: 'CO-1', brokerOrderId: '1001', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'MKT', status: 'SUBMITTED', correlationId: 'corr-1', createdAt: now, updatedAt: now, version: 0, ...o }));
}
const exec = (execId: string, shares: number) => ({ reqId: -1, contract: { symbol: 'AAPL', currency: 'USD' }, execution: { execId, orderId: 1001, side: 'BOT', shares, price: 187.2, time: '20261126 14:30:05 UTC', acctNumber: 'DU1', orderRef: 'CO-1' } });

describe('ExecutionPublisher', () => {
  it('records and publishes each execId once, and fills the order exactly', async () => {
    const { stores, publisher, logger, sink } = setup();
    await submitted(stores);
    const p = new ExecutionPublisher(stores.orders, stores.fills, sink, logger, 'America/New_York', 7);
    await p.onExecution(exec('x.1', 4));
    await p.onExecution(exec('x.1', 4));
    await p.onExecution(exec('x.2', 6));
    expect(publisher.ofType('FillReport').map((e) => (e.detail as { fill: { execId: string } }).fill.execId)).toEqual(['x.1', 'x.2']);
    expect(publisher.ofType('FillReport')[0]?.correlationId).toBe('corr-1');
    expect(await stores.orders.get('CO-1' as never)).toMatchObject({ status: 'FILLED', filledQuantity: 10, avgFillPrice: '187.2' });
    expect(p.duplicates).toBe(1);
  });

  it('does not credit another client’s execution that carries one of our order ids', async () => {
    const { stores, publisher, logger, sink } = setup();
    await submitted(stores);
    const p = new ExecutionPublisher(stores.orders, stores.fills, sink, logger, 'UTC', 7);
    const foreign = exec('tws.1', 10);
    await p.onExecution({ ...foreign, execution: { ...foreign.execution, clientId: 0, orderRef: '' } });
    expect((await stores.orders.get('CO-1' as never))?.filledQuantity).toBe(0);
    expect((publisher.ofType('FillReport')[0]?.detail as { fill: { clientOrderId?: string } }).fill.clientOrderId).toBeUndefined();
    await p.onExecution({ ...exec('x.1', 10), execution: { ...exec('x.1', 10).execution, clientId: 7 } });
    expect((await stores.orders.get('CO-1' as never))?.filledQuantity).toBe(10);
  });

  it('holds a commission that overtakes its execution and publishes each commission once', async () => {
    const { stores, publisher, logger, sink } = setup();
    await submitted(stores);
    const p = new ExecutionPublisher(stores.orders, stores.fills, sink, logger, 'UTC', 7);
    await p.onCommission({ report: { execId: 'x.1', commission: 1, currency: 'USD' } });
    expect(publisher.ofType('CommissionReport')).toHaveLength(0);
    await p.onExecution(exec('x.1', 10));
    await p.onCommission({ report: { execId: 'x.1', commission: 1, currency: 'USD' } });
    expect(publisher.ofType('CommissionReport')).toHaveLength(1);
    expect((await stores.fills.get('x.1' as never))?.commission).toBe('1');
  });
});

describe('OrderUpdatePublisher', () => {
  it('moves the order through the lifecycle and ignores a stale report', async () => {
    const { stores, publisher, clock, logger, sink } = setup();
    await submitted(stores);
    const p = new OrderUpdatePublisher(stores.orders, sink, clock, logger);
    const status = (s: string, filled: number) => ({ orderId: 1001, status: s, filled, remaining: 10 - filled, avgFillPrice: filled > 0 ? 187.2 : 0, permId: 1, lastFillPrice: 0, whyHeld: '' });
    await p.onOrderStatus(status('Submitted', 0));
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('ACCEPTED');
    await p.onOrderStatus(status('Filled', 10));
    await p.onOrderStatus(status('Submitted', 0));
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('FILLED');
    await p.onOrderStatus(status('Filled', 10));
    expect(publisher.ofType('OrderStatusReport').map((e) => e.detail['status'])).toEqual(['ACCEPTED', 'FILLED']);
  });

  it('turns an order error into REJECTED and OrderRejected', async () => {
    const { stores, publisher, clock, logger, sink } = setup();
    await submitted(stores);
    const p = new OrderUpdatePublisher(stores.orders, sink, clock, logger);
    expect(await p.onOrderError({ code: 201, reqId: 1001, message: 'Order rejected - reason: test' })).toBe(true);
    expect(await stores.orders.get('CO-1' as never)).toMatchObject({ status: 'REJECTED', reasonCode: 'IB.201' });
    expect(publisher.ofType('OrderRejected')[0]?.detail).toMatchObject({ clientOrderId: 'CO-1', brokerOrderId: '1001', code: 201 });
    expect(await p.onOrderError({ code: 201, reqId: 5, message: 'not ours' })).toBe(false);
  });
});

describe('PortfolioPublisher', () => {
  it('writes a full snapshot at END and later changes on flush', async () => {
    const { stores, publisher, clock, logger, sink } = setup();
    const p = new PortfolioPublisher(stores.positions, stores.accounts, sink, clock, logger);
    p.beginPositions();
    p.onPosition({ account: 'DU1', contract: { symbol: 'AAPL', currency: 'USD' }, position: 100, avgCost: 187.25 });
    p.onPosition({ account: 'DU1', contract: { symbol: 'MSFT', currency: 'USD' }, position: 5, avgCost: 400 });
    expect(await stores.positions.list()).toHaveLength(0);
    await p.onPositionEnd();
    expect((await stores.positions.list()).map((x) => x.symbol)).toEqual(['AAPL', 'MSFT']);
    p.onPosition({ account: 'DU1', contract: { symbol: 'MSFT', currency: 'USD' }, position: 0, avgCost: 0 });
    await p.flushPositions();
    expect((await stores.positions.list()).map((x) => x.symbol)).toEqual(['AAPL']);
    expect(publisher.ofType('PositionReport')).toHaveLength(2);
  });

  it('writes the first account summary at once and coalesces the ones within the interval', async () => {
    const { stores, publisher, clock, logger, sink } = setup();
    const p = new PortfolioPublisher(stores.positions, stores.accounts, sink, clock, logger, 1_000);
    const summary = (netLiq: string) => {
      for (const [tag, value] of [['NetLiquidation', netLiq], ['TotalCashValue', '1000'], ['BuyingPower', '4000'], ['GrossPositionValue', '0']] as const) {
        p.onAccountSummary({ reqId: 7, account: 'DU1', tag, value, currency: 'USD' });
      }
      return p.onAccountSummaryEnd({ reqId: 7 });
    };
    p.beginAccountSummary(7);
    await summary('1000');
    const reports = () => publisher.ofType('AccountSummaryReport').map((e) => (e.detail as { summary: { netLiquidation: string } }).summary.netLiquidation);
    expect(reports()).toEqual(['1000']);
    // A burst of fills: each re-sends the summary; only the latest is written, on the next flush.
    clock.advance(100);
    await summary('1001');
    await summary('1002');
    expect(reports()).toEqual(['1000']);
    await p.flush();
    expect(reports()).toEqual(['1000', '1002']);
    expect((await stores.accounts.list()).map((a) => a.netLiquidation)).toEqual(['1002']);
    await p.flush();
    expect(reports()).toHaveLength(2);
    clock.advance(1_000);
    await summary('1003');
    expect(reports()).toEqual(['1000', '1002', '1003']);
  });
});

describe('MarketDataPublisher', () => {
  it('re-requests a dead subscription at most once per interval per symbol', () => {
    const { stores, clock, sink } = setup();
    const p = new MarketDataPublisher(stores.quotes, sink, clock);
    p.assign(900_000_001, InstrumentSchema.parse({ symbol: 'AAPL' }));
    expect(p.onSubscriptionDead(900_000_001, 30_000)?.symbol).toBe('AAPL');
    expect(p.isMarketDataRequest(900_000_001)).toBe(false);
    p.assign(900_000_002, InstrumentSchema.parse({ symbol: 'AAPL' }));
    clock.advance(10_000);
    expect(p.onSubscriptionDead(900_000_002, 30_000)).toBeUndefined();
    p.assign(900_000_003, InstrumentSchema.parse({ symbol: 'AAPL' }));
    clock.advance(25_000);
    expect(p.onSubscriptionDead(900_000_003, 30_000)?.symbol).toBe('AAPL');
    expect(p.onSubscriptionDead(42, 30_000)).toBeUndefined();
  });

  it('writes one batch per flush however many ticks arrived', async () => {
    const { stores, publisher, clock, sink } = setup();
    const p = new MarketDataPublisher(stores.quotes, sink, clock);
    p.assign(900_000_001, InstrumentSchema.parse({ symbol: 'AAPL' }));
    p.assign(900_000_002, InstrumentSchema.parse({ symbol: 'MSFT' }));
    for (let i = 0; i < 100; i++) {
      p.onTickPrice({ reqId: 900_000_001, tickType: 1, price: 187 + i / 100 });
      p.onTickPrice({ reqId: 900_000_002, tickType: 2, price: 400 + i / 100 });
    }
    p.onTickPrice({ reqId: 42, tickType: 1, price: 1 });
    await p.flush();
    await p.flush();
    expect(stores.quotes.writes).toBe(1);
    expect(publisher.ofType('MarketSnapshotReport')).toHaveLength(1);
    expect((await stores.quotes.list()).map((q) => [q.symbol, q.bid ?? q.ask])).toEqual([
      ['AAPL', '187.99'],
      ['MSFT', '400.99'],
    ]);
  });
});
