import { describe, expect, it } from 'vitest';
import type { Contract, Order as IbOrder, OrderState } from '@stoqey/ib';
import { BrokerReconciler } from '../../../fargate/gateway/reconciler.js';
import { EventSink } from '../../../fargate/gateway/publishers/context.js';
import type { BrokerReconciled } from '../../../lib/core/broker/reconciliation.js';
import type { Fill } from '../../../lib/core/fills/fill.js';
import { OrderSchema, type Order } from '../../../lib/core/orders/order.js';
import { InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';

const NOW = new Date('2026-11-27T15:00:00.000Z');
const clock = { now: () => NOW };
const CLIENT = 7;

function setup() {
  const orders = new InMemoryOrderStore();
  const publisher = new RecordingPublisher();
  let n = 0;
  const sink = new EventSink(publisher, clock, () => `e-${++n}`, new MemoryLogger(), 'gw-session');
  const rec = new BrokerReconciler({ orders, sink, clock, logger: new MemoryLogger(), clientId: CLIENT });
  return { orders, publisher, rec };
}
const order = (o: Partial<Order>): Order => OrderSchema.parse({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'MKT', status: 'SUBMITTED', correlationId: 'c-1', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), version: 0, ...o });
const openOrder = (clientId: number, orderId: number, permId: number, over: Partial<IbOrder> = {}) => ({
  orderId,
  contract: { symbol: 'MSFT', secType: 'STK' } as Contract,
  order: { clientId, orderId, permId, action: 'SELL', totalQuantity: 4, orderType: 'LMT', lmtPrice: 420.5, tif: 'DAY', account: 'DU1', ...over } as IbOrder,
  orderState: { status: 'Submitted' } as OrderState,
});
const fill = (side: 'BUY' | 'SELL', quantity: number, symbol = 'AAPL'): Fill => ({ execId: `x-${Math.random()}` as never, brokerOrderId: '1' as never, account: 'DU1' as never, symbol: symbol as never, side, quantity, price: '100', currency: 'USD', executedAt: NOW.toISOString() });

describe('BrokerReconciler', () => {
  it('takes the first run as the positions baseline, then compares the broker with baseline + fills', async () => {
    const { rec, publisher } = setup();
    rec.begin(1, 'login', undefined, 100, new Set());
    expect((await rec.finish([{ account: 'DU1', symbol: 'AAPL', quantity: 10 }], true))?.positionsBaseline).toBe('first-session');
    rec.onFillRecorded(fill('SELL', 4));
    rec.begin(2, 'restored', undefined, 100, new Set());
    rec.onFillRecorded(fill('SELL', 1)); // recovered during the run
    const ok = await rec.finish([{ account: 'DU1', symbol: 'AAPL', quantity: 5 }], true);
    expect(ok).toMatchObject({ aligned: true, positionsBaseline: 'ledger', fillsRecovered: 1, differences: [] });
    expect(publisher.ofType('BrokerReconciled')).toHaveLength(2);
  });

  it('asks for one settle-and-recheck on a position difference, then reports it NOT aligned', async () => {
    const { rec } = setup();
    rec.begin(1, 'login', undefined, 100, new Set());
    await rec.finish([], true);
    rec.begin(2, 'restored', undefined, 100, new Set());
    expect(await rec.finish([{ account: 'DU1', symbol: 'AAPL', quantity: 3 }], true)).toBeUndefined();
    const r = (await rec.finish([{ account: 'DU1', symbol: 'AAPL', quantity: 3 }], false)) as BrokerReconciled;
    expect(r.aligned).toBe(false);
    expect(r.differences).toEqual([expect.objectContaining({ kind: 'position', symbol: 'AAPL', ours: '0', broker: '3' })]);
    // The baseline is not moved by a mismatch: the next run still sees it, unless an operator accepts.
    rec.begin(3, 'request', { correlationId: 'c-2', issuedBy: 'jane', acceptBrokerPositions: true }, 100, new Set());
    expect(await rec.finish([{ account: 'DU1', symbol: 'AAPL', quantity: 3 }], true)).toMatchObject({ aligned: true, positionsBaseline: 'accepted', requestedBy: 'jane' });
    expect(rec.last?.correlationId).toBe('c-2');
  });

  it('resolves an order the broker does not have to CANCELLED, never resending it; leaves open, in-flight and newer ones alone', async () => {
    const { rec, orders } = setup();
    await orders.create(order({ clientOrderId: 'CO-GONE' as never, brokerOrderId: '5' as never, status: 'UNRESOLVED' }));
    await orders.create(order({ clientOrderId: 'CO-OPEN' as never, brokerOrderId: '6' as never, status: 'ACCEPTED' }));
    await orders.create(order({ clientOrderId: 'CO-FLIGHT' as never, brokerOrderId: '7' as never }));
    await orders.create(order({ clientOrderId: 'CO-NEW' as never, brokerOrderId: '9' as never }));
    rec.begin(1, 'login', undefined, 8, new Set([7]));
    rec.noteOpenOrder(openOrder(CLIENT, 6, 1006, { totalQuantity: 10 }));
    const r = await rec.finish([], true);
    expect(r?.resolvedOrders).toEqual([{ clientOrderId: 'CO-GONE', from: 'UNRESOLVED', to: 'CANCELLED', reason: expect.stringContaining('not open at the broker') }]);
    expect((await orders.get('CO-GONE' as never))?.reasonCode).toBe('RECONCILE.NOT_OPEN_AT_BROKER');
    expect((await orders.get('CO-OPEN' as never))?.status).toBe('ACCEPTED');
    expect((await orders.get('CO-FLIGHT' as never))?.status).toBe('SUBMITTED');
    expect((await orders.get('CO-NEW' as never))?.status).toBe('SUBMITTED');
    expect(r?.aligned).toBe(true);
  });

  it("adopts another client's working order as EXTERNAL once, and marks its orderStatus foreign", async () => {
    const { rec, orders } = setup();
    rec.begin(1, 'login', undefined, 100, new Set());
    rec.noteOpenOrder(openOrder(0, 6, 2001));
    rec.noteForeignStatus({ permId: 2001, status: 'Submitted', filled: 1 });
    expect(rec.isForeign(2001)).toBe(true);
    expect((await rec.finish([], true))?.adoptedExternal).toEqual(['EXT-2001']);
    expect(await orders.get('EXT-2001' as never)).toMatchObject({ external: true, symbol: 'MSFT', side: 'SELL', quantity: 4, type: 'LMT', limitPrice: '420.5', status: 'PARTIALLY_FILLED', filledQuantity: 1 });
    rec.begin(2, 'request', undefined, 100, new Set());
    rec.noteOpenOrder(openOrder(0, 6, 2001));
    expect((await rec.finish([], true))?.adoptedExternal).toEqual([]);
    // Gone from the broker: no longer counted as working.
    rec.begin(3, 'request', undefined, 100, new Set());
    expect((await rec.finish([], true))?.resolvedOrders.map((o) => o.clientOrderId)).toEqual(['EXT-2001']);
    expect((await orders.get('EXT-2001' as never))?.status).toBe('CANCELLED');
  });
});
