import type { Order } from '../../lib/core/orders/order.js';
import { ConcurrencyError } from '../../lib/core/shared/errors.js';
import type { ClientOrderId } from '../../lib/core/shared/ids.js';
import type { OrderDayFilter, OrderStore } from '../../lib/ports/stores.js';
import type { OrderActivity } from '../../lib/core/orders/activity.js';

/**
 * The order store as the bridge's inbound path sees it: `findByBrokerOrderId` answers from the
 * orders this bridge itself last read or wrote (keyed by broker order id, with their version),
 * instead of two store reads per broker callback (lookup item + order). Everything else goes to
 * the store: `get` always reads fresh (the final gate and conflict retries need the truth), and
 * writes go through.
 *
 * Why this is safe: once an order has a broker id, the bridge is its only writer, and every write
 * is conditional on the version read. If anything else did write it, our next write fails with
 * `ConcurrencyError`, the entry is dropped, and `persistOrder` re-reads the store and decides again
 * — the same path as without the cache. The cache is emptied at every broker login, so the
 * reconciliation after a reconnect reads the store.
 * @example
 * const orders = new BridgeOrderCache(stores.orders);
 * const o = await orders.findByBrokerOrderId('1001'); // store on first use, memory afterwards
 */
export class BridgeOrderCache implements OrderStore {
  /** Insertion order = recency (re-inserted on every use), for LRU eviction. */
  private readonly byBrokerId = new Map<string, Order>();
  private readonly capacity: number;
  /** Lookups answered from memory / from the store (metrics and tests). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: OrderStore,
    options: { readonly capacity?: number } = {},
  ) {
    this.capacity = Math.max(1, options.capacity ?? 10_000);
  }

  async get(id: ClientOrderId): Promise<Order | undefined> {
    const order = await this.store.get(id);
    if (order !== undefined) this.remember(order);
    return order;
  }

  async create(order: Order): Promise<Order> {
    const created = await this.store.create(order);
    this.remember(created);
    return created;
  }

  async update(order: Order): Promise<Order> {
    try {
      const written = await this.store.update(order);
      this.remember(written);
      return written;
    } catch (error) {
      // Someone else wrote it: what we hold is stale.
      if (error instanceof ConcurrencyError && order.brokerOrderId !== undefined) this.byBrokerId.delete(order.brokerOrderId);
      throw error;
    }
  }

  listWorking(): Promise<Order[]> {
    return this.store.listWorking();
  }

  listByDay(day: string, filter?: OrderDayFilter): Promise<Order[]> {
    return this.store.listByDay(day, filter);
  }

  activityByDay(day: string, symbol: string): Promise<OrderActivity[]> {
    return this.store.activityByDay(day, symbol);
  }

  async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    const cached = this.byBrokerId.get(brokerOrderId);
    if (cached !== undefined) {
      this.hits += 1;
      this.byBrokerId.delete(brokerOrderId);
      this.byBrokerId.set(brokerOrderId, cached);
      return cached;
    }
    this.misses += 1;
    const order = await this.store.findByBrokerOrderId(brokerOrderId);
    if (order !== undefined) this.remember(order);
    return order;
  }

  /** Forgets everything (at each broker login: reconciliation reads the store). */
  clear(): void {
    this.byBrokerId.clear();
  }

  get size(): number {
    return this.byBrokerId.size;
  }

  private remember(order: Order): void {
    const id = order.brokerOrderId;
    if (id === undefined) return;
    const held = this.byBrokerId.get(id);
    // Two reads can finish out of order; never replace a newer version with an older one.
    if (held !== undefined && held.clientOrderId === order.clientOrderId && held.version > order.version) return;
    this.byBrokerId.delete(id);
    this.byBrokerId.set(id, order);
    if (this.byBrokerId.size > this.capacity) {
      const oldest = this.byBrokerId.keys().next().value;
      if (oldest !== undefined) this.byBrokerId.delete(oldest);
    }
  }
}
