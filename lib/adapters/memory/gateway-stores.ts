/**
 * The gateway's state stores in process memory (trading state, orders, fills, broker snapshots),
 * held to the same port contracts as the DynamoDB adapters: the same schema validation on write,
 * conditional writes failing with the same error codes, `recordIfNew` deduplicating by execId, list
 * results in the DynamoDB adapters' order, and copies in and out. Lookups the DynamoDB adapter
 * serves from a key or an index item are served from a Map here, never by a scan.
 */
import { AccountSummarySchema, type AccountSummary } from '../../core/account/account-summary.js';
import { FillSchema, type Fill } from '../../core/fills/fill.js';
import { ComponentHealthSchema, type ComponentHealth } from '../../core/health/health.js';
import { QuoteSchema, type Quote } from '../../core/market/quote.js';
import { OrderSchema, WORKING_STATUSES, type Order } from '../../core/orders/order.js';
import { activityContributionOf, activityKeyOf, type OrderActivity } from '../../core/orders/activity.js';
import { PositionSchema, type Position } from '../../core/positions/position.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { ClientOrderId, ExecId } from '../../core/shared/ids.js';
import { TradingStateSchema, type TradingState } from '../../core/trading-state/trading-state.js';
import type { AccountStore, FillStore, HealthStore, OrderDayFilter, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../../ports/stores.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { bySortKey, copy } from './copy.js';
import { dayOf } from './trading-day.js';
import { addToIndex, removeFromIndex } from './index-map.js';

export class InMemoryTradingStateStore implements TradingStateStore {
  private state: TradingState | undefined;
  constructor(initial?: TradingState) {
    this.state = initial === undefined ? undefined : TradingStateSchema.parse(initial);
  }
  async get(): Promise<TradingState | undefined> {
    return copy(this.state);
  }
  async compareAndSet(expectedVersion: number, next: Omit<TradingState, 'version'>): Promise<TradingState> {
    const record = TradingStateSchema.parse({ ...next, version: expectedVersion + 1 });
    if ((this.state?.version ?? -1) !== expectedVersion) throw new ConcurrencyError('STATE.VERSION_CONFLICT', `trading state is not at version ${expectedVersion}`, { details: { expectedVersion } });
    this.state = record;
    return copy(record);
  }
}

/**
 * Orders by clientOrderId, with the DynamoDB adapter's indexes as Maps: the working set, the ids of
 * each trading day, and broker id → clientOrderId.
 */
export class InMemoryOrderStore implements OrderStore {
  private readonly items = new Map<string, Order>();
  private readonly working = new Set<string>();
  private readonly byDay = new Map<string, Set<string>>();
  private readonly byDaySymbol = new Map<string, Set<string>>();
  private readonly byDayStatus = new Map<string, Set<string>>();
  /** Per day, every write as [updatedAt, clientOrderId] in write order (updatedAt follows the clock), for `updatedSince`. */
  private readonly writesByDay = new Map<string, Array<readonly [string, string]>>();
  private readonly byBrokerId = new Map<string, string>();
  /** Per day and symbol, per strategy: the activity counts, kept as orders are written (`activityByDay` reads them, not the day). */
  private readonly activity = new Map<string, Map<string, { orders: number; cancels: number; fills: number }>>();

  /** The stored orders (read-only view, for diagnostics and tests). */
  get orders(): ReadonlyMap<string, Order> {
    return this.items;
  }

  async get(id: ClientOrderId): Promise<Order | undefined> {
    return copy(this.orders.get(id));
  }

  async create(order: Order): Promise<Order> {
    const record = OrderSchema.parse(order);
    if (this.orders.has(record.clientOrderId)) throw new ConcurrencyError('ORDER.DUPLICATE', `order ${record.clientOrderId} already exists`, { details: { clientOrderId: record.clientOrderId } });
    this.store(record);
    return copy(record);
  }

  async update(order: Order): Promise<Order> {
    const record = OrderSchema.parse({ ...order, version: order.version + 1 });
    const current = this.orders.get(order.clientOrderId);
    if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `order ${order.clientOrderId} does not exist`, { details: { clientOrderId: order.clientOrderId } });
    if (current.version !== order.version) {
      throw new ConcurrencyError('ORDER.VERSION_CONFLICT', `order ${order.clientOrderId} is not at version ${order.version}`, {
        details: { clientOrderId: order.clientOrderId, expectedVersion: order.version, actualVersion: current.version },
      });
    }
    this.store(record);
    return copy(record);
  }

  /** Ordered as the working-orders GSI partition: trading day, createdAt, clientOrderId. */
  async listWorking(): Promise<Order[]> {
    return bySortKey(this.idsToOrders(this.working), workingSortKey).map(copy);
  }

  /** Ordered as the DynamoDB adapter returns them: by createdAt, the finished before the working, then by id. */
  async listByDay(day: string, filter: OrderDayFilter = {}): Promise<Order[]> {
    let ids: Iterable<string> =
      filter.statuses !== undefined
        ? filter.statuses.flatMap((st) => [...(this.byDayStatus.get(`${day}|${st}`) ?? [])])
        : filter.symbol === undefined
          ? (this.byDay.get(day) ?? [])
          : (this.byDaySymbol.get(`${day}|${filter.symbol}`) ?? []);
    if (filter.updatedSince !== undefined) {
      // Only the writes since then, found by binary search on the day's sorted write log: a busy
      // day's "last second" costs what is in it, not the day. A candidate's older writes are in the
      // log too, so its current updatedAt is checked again below.
      const log = this.writesByDay.get(day) ?? [];
      const since = filter.updatedSince;
      let lo = 0;
      let hi = log.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (log[mid]![0] < since) lo = mid + 1;
        else hi = mid;
      }
      const recent = new Set<string>();
      for (let i = lo; i < log.length; i++) recent.add(log[i]![1]);
      const pool = ids instanceof Set ? ids : new Set(ids);
      ids = [...recent].filter((id) => pool.has(id));
    }
    const orders = this.idsToOrders(ids).filter((o) => (filter.updatedSince === undefined || o.updatedAt >= filter.updatedSince) && (filter.symbol === undefined || o.symbol === filter.symbol));
    return bySortKey(orders, (o) => `${o.createdAt}#${WORKING_STATUSES.has(o.status) ? 1 : 0}#${o.clientOrderId}`).map(copy);
  }

  async activityByDay(day: string, symbol: string): Promise<OrderActivity[]> {
    const byStrategy = this.activity.get(`${day}|${symbol}`);
    if (byStrategy === undefined) return [];
    return [...byStrategy].filter(([, c]) => c.orders > 0).map(([strategyId, c]) => ({ strategyId, symbol, ...c }));
  }

  async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    const id = this.byBrokerId.get(brokerOrderId);
    const order = id === undefined ? undefined : this.orders.get(id);
    return order?.brokerOrderId === brokerOrderId ? copy(order) : undefined;
  }

  /** Adds (sign 1) or takes back (−1) what an order contributes to its day, symbol and strategy's activity. */
  private count(o: Order, sign: 1 | -1): void {
    const { strategyId, symbol } = activityKeyOf(o);
    const key = `${dayOf(o.createdAt)}|${symbol}`;
    let byStrategy = this.activity.get(key);
    if (byStrategy === undefined) this.activity.set(key, (byStrategy = new Map()));
    const c = byStrategy.get(strategyId) ?? { orders: 0, cancels: 0, fills: 0 };
    const d = activityContributionOf(o);
    byStrategy.set(strategyId, { orders: c.orders + sign * d.orders, cancels: c.cancels + sign * d.cancels, fills: c.fills + sign * d.fills });
  }

  protected store(record: Order): void {
    const previous = this.orders.get(record.clientOrderId);
    this.items.set(record.clientOrderId, record);
    if (WORKING_STATUSES.has(record.status)) this.working.add(record.clientOrderId);
    else this.working.delete(record.clientOrderId);
    const day = dayOf(record.createdAt);
    if (previous === undefined) {
      addToIndex(this.byDay, day, record.clientOrderId);
      addToIndex(this.byDaySymbol, `${day}|${record.symbol}`, record.clientOrderId);
    } else if (previous.createdAt !== record.createdAt || previous.symbol !== record.symbol) {
      removeFromIndex(this.byDay, dayOf(previous.createdAt), record.clientOrderId);
      removeFromIndex(this.byDaySymbol, `${dayOf(previous.createdAt)}|${previous.symbol}`, record.clientOrderId);
      addToIndex(this.byDay, day, record.clientOrderId);
      addToIndex(this.byDaySymbol, `${day}|${record.symbol}`, record.clientOrderId);
    }
    if (previous !== undefined) this.count(previous, -1);
    this.count(record, 1);
    if (previous !== undefined) removeFromIndex(this.byDayStatus, `${dayOf(previous.createdAt)}|${previous.status}`, record.clientOrderId);
    addToIndex(this.byDayStatus, `${day}|${record.status}`, record.clientOrderId);
    let log = this.writesByDay.get(day);
    if (log === undefined) this.writesByDay.set(day, (log = []));
    // Kept sorted by updatedAt (an append but for a clock step back), so `updatedSince` can binary-search it.
    let at = log.length;
    while (at > 0 && log[at - 1]![0] > record.updatedAt) at--;
    log.splice(at, 0, [record.updatedAt, record.clientOrderId]);
    if (previous?.brokerOrderId !== undefined && previous.brokerOrderId !== record.brokerOrderId && this.byBrokerId.get(previous.brokerOrderId) === record.clientOrderId) {
      this.byBrokerId.delete(previous.brokerOrderId);
    }
    if (record.brokerOrderId !== undefined) this.byBrokerId.set(record.brokerOrderId, record.clientOrderId);
  }

  private idsToOrders(ids: Iterable<string>): Order[] {
    const out: Order[] = [];
    for (const id of ids) {
      const o = this.orders.get(id);
      if (o !== undefined) out.push(o);
    }
    return out;
  }
}

const workingSortKey = (o: Order) => `${dayOf(o.createdAt)}#${o.createdAt}#${o.clientOrderId}`;

/** Fills by execId (the dedup key), indexed by trading day and by order. */
export class InMemoryFillStore implements FillStore {
  private readonly items = new Map<string, Fill>();
  private readonly byDay = new Map<string, Set<string>>();
  private readonly byOrder = new Map<string, Set<string>>();

  /** The stored fills (read-only view, for diagnostics and tests). */
  get fills(): ReadonlyMap<string, Fill> {
    return this.items;
  }

  async recordIfNew(fill: Fill): Promise<boolean> {
    const record = FillSchema.parse(fill);
    if (this.fills.has(record.execId)) return false;
    this.items.set(record.execId, record);
    addToIndex(this.byDay, dayOf(record.executedAt), record.execId);
    if (record.clientOrderId !== undefined) addToIndex(this.byOrder, record.clientOrderId, record.execId);
    return true;
  }

  async setCommission(execId: ExecId, commission: string): Promise<void> {
    const f = this.fills.get(execId);
    if (f === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `fill ${execId} does not exist`, { details: { execId } });
    this.items.set(execId, FillSchema.parse({ ...f, commission }));
  }

  async get(execId: ExecId): Promise<Fill | undefined> {
    return copy(this.fills.get(execId));
  }

  /** Ordered as the fills-of-day GSI partition: executedAt, then execId. */
  async listByDay(day: string): Promise<Fill[]> {
    return bySortKey(this.idsToFills(this.byDay.get(day)), (f) => `${f.executedAt}#${f.execId}`).map(copy);
  }

  /** Ordered by executedAt, then execId (the DynamoDB adapter's stable sort over its FILL#<execId> items). */
  async listByOrder(id: ClientOrderId): Promise<Fill[]> {
    return this.idsToFills(this.byOrder.get(id))
      .sort((a, b) => (a.executedAt !== b.executedAt ? (a.executedAt < b.executedAt ? -1 : 1) : a.execId < b.execId ? -1 : a.execId > b.execId ? 1 : 0))
      .map(copy);
  }

  private idsToFills(ids: Iterable<string> | undefined): Fill[] {
    const out: Fill[] = [];
    for (const id of ids ?? []) {
      const f = this.fills.get(id);
      if (f !== undefined) out.push(f);
    }
    return out;
  }
}

/** Positions per account; `list` in the DynamoDB partition's order (account, then symbol). */
export class InMemoryPositionStore implements PositionStore {
  private readonly byAccount = new Map<string, Position[]>();
  async replaceAccount(account: string, positions: Position[]): Promise<void> {
    const records = positions.map((p) => PositionSchema.parse(p));
    const foreign = records.find((p) => p.account !== account);
    if (foreign !== undefined) throw new TypeError(`position of account ${foreign.account} passed to replaceAccount(${account})`);
    // One item per symbol, as the DynamoDB keys make it: the last of a repeated symbol wins.
    const bySymbol = new Map(records.map((p) => [p.symbol, p]));
    this.byAccount.set(account, [...bySymbol.values()]);
  }
  async list(): Promise<Position[]> {
    return bySortKey([...this.byAccount.values()].flat(), (p) => `${p.account}#${p.symbol}`).map(copy);
  }
}

export class InMemoryAccountStore implements AccountStore {
  private readonly byAccount = new Map<string, AccountSummary>();
  async put(summary: AccountSummary): Promise<void> {
    const record = AccountSummarySchema.parse(summary);
    this.byAccount.set(record.account, record);
  }
  async list(): Promise<AccountSummary[]> {
    return bySortKey(this.byAccount.values(), (a) => a.account).map(copy);
  }
}

export class InMemoryQuoteStore implements QuoteStore {
  private readonly bySymbol = new Map<string, Quote>();
  async putMany(quotes: Quote[]): Promise<void> {
    // As the DynamoDB adapter: within one call the latest quote of a symbol wins, across calls the last write.
    const latest = new Map<string, Quote>();
    for (const q of quotes.map((x) => QuoteSchema.parse(x))) {
      const seen = latest.get(q.symbol);
      if (seen === undefined || seen.at <= q.at) latest.set(q.symbol, q);
    }
    for (const [symbol, q] of latest) this.bySymbol.set(symbol, q);
  }
  async list(): Promise<Quote[]> {
    return bySortKey(this.bySymbol.values(), (q) => q.symbol).map(copy);
  }
  async get(symbol: string): Promise<Quote | undefined> {
    const q = this.bySymbol.get(symbol);
    return q === undefined ? undefined : copy(q);
  }
}

export class InMemoryHealthStore implements HealthStore {
  private readonly byComponent = new Map<string, ComponentHealth>();
  async report(health: ComponentHealth): Promise<void> {
    const record = ComponentHealthSchema.parse(health);
    this.byComponent.set(record.component, record);
  }
  async list(): Promise<ComponentHealth[]> {
    return bySortKey(this.byComponent.values(), (h) => h.component).map(copy);
  }
}
