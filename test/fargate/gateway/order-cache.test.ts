import { describe, expect, it } from 'vitest';
import { BridgeOrderCache } from '../../../fargate/gateway/order-cache.js';
import { OrderUpdatePublisher } from '../../../fargate/gateway/publishers/order-updates.js';
import { EventSink } from '../../../fargate/gateway/publishers/context.js';
import { OrderSchema, type Order } from '../../../lib/core/orders/order.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import { InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';

const now = '2026-11-26T14:30:00.000Z';
const order = (o: Partial<Order> = {}): Order => OrderSchema.parse({ clientOrderId: 'CO-1', brokerOrderId: '1001', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'MKT', status: 'SUBMITTED', correlationId: 'corr-1', createdAt: now, updatedAt: now, version: 0, ...o });

/** Counts the store's broker-id lookups, to see which ones the cache answered. */
class CountingOrderStore extends InMemoryOrderStore {
  lookups = 0;
  override async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    this.lookups += 1;
    return super.findByBrokerOrderId(brokerOrderId);
  }
  /** Puts a version back as if written, bypassing the version check (a slow read racing a write). */
  overwrite(o: Order): void {
    this.store(o);
  }
}

describe('BridgeOrderCache', () => {
  it('answers a broker-id lookup from the version it wrote last, without a store read', async () => {
    const store = new CountingOrderStore();
    const cache = new BridgeOrderCache(store);
    await store.create(order());
    const first = await cache.findByBrokerOrderId('1001');
    expect(store.lookups).toBe(1);
    const written = await cache.update({ ...first!, status: 'ACCEPTED' });
    const again = await cache.findByBrokerOrderId('1001');
    expect(store.lookups).toBe(1);
    expect(again).toEqual(written);
    expect(again?.version).toBe(1);
    expect(await cache.findByBrokerOrderId('9999')).toBeUndefined();
    expect(store.lookups).toBe(2);
  });

  it('drops a stale entry when another writer moved the order, so the retry reads the store', async () => {
    const store = new CountingOrderStore();
    const cache = new BridgeOrderCache(store);
    await store.create(order());
    const cached = (await cache.findByBrokerOrderId('1001'))!;
    // Someone else (another process) writes the order behind the cache's back.
    await store.update({ ...cached, status: 'ACCEPTED' });
    await expect(cache.update({ ...cached, status: 'CANCELLED' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await cache.findByBrokerOrderId('1001'))?.status).toBe('ACCEPTED');
    expect(store.lookups).toBe(2);
  });

  it('applies a broker report over a stale cached order by re-reading on the version conflict', async () => {
    const store = new InMemoryOrderStore();
    const cache = new BridgeOrderCache(store);
    await store.create(order());
    await cache.findByBrokerOrderId('1001');
    const outside = (await store.get('CO-1' as never))!;
    await store.update({ ...outside, status: 'ACCEPTED' });
    const publisher = new RecordingPublisher();
    const clock = new ManualClock(now);
    const updates = new OrderUpdatePublisher(cache, new EventSink(publisher, clock, () => 'e', new MemoryLogger(), 's'), clock, new MemoryLogger());
    await updates.onOrderStatus({ orderId: 1001, status: 'Cancelled', filled: 0, remaining: 0, avgFillPrice: 0, permId: 1, lastFillPrice: 0, whyHeld: '' });
    expect(await store.get('CO-1' as never)).toMatchObject({ status: 'CANCELLED', version: 2 });
  });

  it('never replaces a newer version with an older read, and forgets everything on clear', async () => {
    const store = new CountingOrderStore();
    const cache = new BridgeOrderCache(store, { capacity: 2 });
    await store.create(order());
    const v0 = (await store.get('CO-1' as never))!;
    const v1 = await cache.update({ ...v0, status: 'ACCEPTED' });
    // A slow read of v0 finishing after the write of v1 must not win.
    store.overwrite(v0);
    await cache.get('CO-1' as never);
    store.overwrite(v1);
    expect((await cache.findByBrokerOrderId('1001'))?.version).toBe(1);
    cache.clear();
    await cache.findByBrokerOrderId('1001');
    expect(store.lookups).toBe(1);
  });

  it('keeps at most `capacity` orders, evicting the least recently used', async () => {
    const store = new CountingOrderStore();
    const cache = new BridgeOrderCache(store, { capacity: 2 });
    for (const [id, b] of [['CO-1', '1'], ['CO-2', '2'], ['CO-3', '3']] as const) await cache.create(order({ clientOrderId: id as never, brokerOrderId: b as never }));
    expect(cache.size).toBe(2);
    await cache.findByBrokerOrderId('1');
    expect(store.lookups).toBe(1);
    await cache.findByBrokerOrderId('3');
    expect(store.lookups).toBe(1);
  });
});
