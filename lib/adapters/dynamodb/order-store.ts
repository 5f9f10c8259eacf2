import { ConcurrencyError } from '../../core/shared/errors.js';
import { OrderSchema, WORKING_STATUSES, type Order } from '../../core/orders/order.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import type { OrderDayFilter, OrderStore } from '../../ports/stores.js';
import { orderActivityOf, type OrderActivity } from '../../core/orders/activity.js';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { parseRecord } from './errors.js';
import { Keys, WORKING_ORDERS_GSI_PK, ordersOfDayGsiPk, ordersUpdatedOfDayGsiPk, stripKeys, tradingDayOf } from './keys.js';
import { Table } from './table.js';

/**
 * Orders keyed by clientOrderId. Working orders carry `gsi1pk = ORDERS#WORKING`; the write that
 * makes an order terminal moves it to `ORDERS#DAY#<day>` (the item is rewritten whole, so the
 * working entry cannot linger). A broker-id lookup item serves `findByBrokerOrderId`.
 * @example
 * const orders = new DynamoDbOrderStore({ doc, tableName });
 * const o = await orders.create(order); await orders.update({ ...o, status: 'SUBMITTED' });
 */
export class DynamoDbOrderStore implements OrderStore {
  private readonly table: Table;
  /**
   * clientOrderId → the broker id whose lookup this instance has written: an order's later updates
   * (fills, status) keep its broker id and need no lookup write. Only in memory, so a process that
   * crashed between an order and its lookup is succeeded by one that writes the lookup again.
   */
  private readonly lookupsWritten = new Map<string, string>();
  constructor(
    ref: DynamoTableRef,
    private readonly options: { rememberLookups?: number } = {},
  ) {
    this.table = new Table(ref);
  }

  async get(id: ClientOrderId): Promise<Order | undefined> {
    const item = await this.table.get(Keys.order(id));
    return item === undefined ? undefined : this.parse(item);
  }

  async create(order: Order): Promise<Order> {
    const record = OrderSchema.parse(order);
    const ok = await this.withLookup(record, this.table.put(this.item(record), { ConditionExpression: 'attribute_not_exists(pk)' }));
    if (!ok) throw new ConcurrencyError('ORDER.DUPLICATE', `order ${record.clientOrderId} already exists`, { details: { clientOrderId: record.clientOrderId } });
    return record;
  }

  async update(order: Order): Promise<Order> {
    const record = OrderSchema.parse({ ...order, version: order.version + 1 });
    const written = await this.withLookup(record, this.table.put(this.item(record), { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': order.version } }));
    if (written === false) {
      const current = await this.table.get(Keys.order(order.clientOrderId));
      if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `order ${order.clientOrderId} does not exist`, { details: { clientOrderId: order.clientOrderId } });
      throw new ConcurrencyError('ORDER.VERSION_CONFLICT', `order ${order.clientOrderId} is not at version ${order.version}`, {
        details: { clientOrderId: order.clientOrderId, expectedVersion: order.version, actualVersion: current['version'] },
      });
    }
    return record;
  }

  async listWorking(): Promise<Order[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': WORKING_ORDERS_GSI_PK } });
    return items.map((i) => this.parse(i));
  }

  /** Folded from the symbol's orders of the day (a filtered read of the day partition; counters would be the next step). */
  async activityByDay(day: string, symbol: string): Promise<OrderActivity[]> {
    return orderActivityOf(await this.listByDay(day, { symbol }));
  }

  /**
   * With `updatedSince`, one query of the key range `gsi2sk >= since` in the day's `gsi2` partition:
   * what is read is the orders last written since then, however big the day. Without it, the day's
   * two `gsi1` queries (finished orders, and the working ones of that day). `symbol` and `statuses`
   * are FilterExpressions on what is read: they save the transfer and the parsing, not the read
   * capacity. An index per symbol would be the next step if a whole-day symbol slice becomes costly
   * on the path (pre-trade reads counters for its per-symbol counts: `activityByDay`).
   */
  async listByDay(day: string, filter: OrderDayFilter = {}): Promise<Order[]> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.symbol !== undefined) {
      conditions.push('#symbol = :symbol');
      names['#symbol'] = 'symbol';
      values[':symbol'] = filter.symbol;
    }
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return [];
      conditions.push(`#status IN (${filter.statuses.map((_, i) => `:status${i}`).join(', ')})`);
      names['#status'] = 'status';
      filter.statuses.forEach((st, i) => (values[`:status${i}`] = st));
    }
    const filtered = conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names };
    const since = filter.updatedSince;
    // `<updatedAt>#<id>` >= `<since>` exactly when updatedAt >= since: '#' sorts below every character of an ISO time.
    const items = since !== undefined
      ? await this.table.query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since', ExpressionAttributeValues: { ':pk': ordersUpdatedOfDayGsiPk(day), ':since': since, ...values }, ...filtered })
      : (await this.ordersOfDay(day, values, filtered)).flat();
    // The GSI is eventually consistent: an order changing state may briefly appear in both gsi1 partitions.
    const byId = new Map<string, Order>();
    for (const o of items.map((i) => this.parse(i))) {
      const seen = byId.get(o.clientOrderId);
      if (seen === undefined || seen.version < o.version) byId.set(o.clientOrderId, o);
    }
    // By createdAt, the finished before the working, then by id: the order of the two gsi1 queries concatenated.
    return [...byId.values()].sort((a, b) => compareKeys(dayListKey(a), dayListKey(b)));
  }

  private ordersOfDay(day: string, values: Record<string, unknown>, filtered: Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames'>): Promise<Array<Record<string, unknown>[]>> {
    return Promise.all([
      this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': ordersOfDayGsiPk(day), ...values }, ...filtered }),
      this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :day)', ExpressionAttributeValues: { ':pk': WORKING_ORDERS_GSI_PK, ':day': `${day}#`, ...values }, ...filtered }),
    ]);
  }

  async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    const lookup = await this.table.get(Keys.brokerOrderLookup(brokerOrderId));
    const id = lookup?.['clientOrderId'];
    if (typeof id !== 'string') return undefined;
    const order = await this.get(id as ClientOrderId);
    // A lookup is written beside its order, whose write may have failed: trust it only while the order agrees.
    return order?.brokerOrderId === brokerOrderId ? order : undefined;
  }

  private item(o: Order): Record<string, unknown> {
    const day = tradingDayOf(o.createdAt);
    return { ...Keys.order(o.clientOrderId), ...Keys.orderGsi(WORKING_STATUSES.has(o.status), day, o.createdAt, o.updatedAt, o.clientOrderId), ...o };
  }

  /**
   * The order write `written` and, beside it (not after it: one round trip, not two), the order's
   * broker-id lookup. Idempotent. A lookup is trusted only while its order agrees
   * (`findByBrokerOrderId`), so one whose order write lost its condition, or one written before a
   * crash took the order write, names an order without that broker id and is ignored; a crash that
   * took the lookup instead leaves a lookup-less order that the next update (in a process that has
   * not written this lookup) repairs. Skipped when this instance already wrote the lookup for the
   * order's current broker id. Resolves with the order write's outcome.
   */
  private async withLookup<T>(o: Order, written: Promise<T | false>): Promise<T | false> {
    if (o.brokerOrderId === undefined || this.lookupsWritten.get(o.clientOrderId) === o.brokerOrderId) return written;
    const [ok] = await Promise.all([written, this.table.put({ ...Keys.brokerOrderLookup(o.brokerOrderId), clientOrderId: o.clientOrderId })]);
    if (ok === false) return false;
    this.lookupsWritten.delete(o.clientOrderId); // re-insert: the map's order is the eviction order
    this.lookupsWritten.set(o.clientOrderId, o.brokerOrderId);
    if (this.lookupsWritten.size > (this.options.rememberLookups ?? 10_000)) {
      const oldest = this.lookupsWritten.keys().next().value;
      if (oldest !== undefined) this.lookupsWritten.delete(oldest);
    }
    return ok;
  }

  private parse(item: Record<string, unknown>): Order {
    return parseRecord(OrderSchema, stripKeys(item), `order ${String(item['pk'])}`);
  }
}

const dayListKey = (o: Order): [string, number, string] => [o.createdAt, WORKING_STATUSES.has(o.status) ? 1 : 0, o.clientOrderId];
function compareKeys(a: readonly [string, number, string], b: readonly [string, number, string]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
