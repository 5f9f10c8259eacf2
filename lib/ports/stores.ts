import type { AccountSummary } from '../core/account/account-summary.js';
import type { AuditEntry, AuditRecord } from '../core/audit/audit-entry.js';
import type { Fill } from '../core/fills/fill.js';
import type { ComponentHealth } from '../core/health/health.js';
import type { Quote } from '../core/market/quote.js';
import type { OrderActivity } from '../core/orders/activity.js';
import type { Order, OrderStatus } from '../core/orders/order.js';
import type { Position } from '../core/positions/position.js';
import type { ClientOrderId, ExecId } from '../core/shared/ids.js';
import type { TradingState } from '../core/trading-state/trading-state.js';

/**
 * State-store ports, one per record kind. Implemented by the DynamoDB adapters in both runtimes
 * (local: against a local DynamoDB-API server). Conditional writes that lose throw
 * `ConcurrencyError` with a code such as `STATE.VERSION_CONFLICT` or `ORDER.DUPLICATE`.
 */

/**
 * The single trading-state record (ACTIVE / REDUCING / HALTED).
 * @example
 * const s = await store.get(); await store.compareAndSet(s.version, { ...s, mode: 'HALTED', changedBy: 'john', reason: 'x', changedAt: now });
 */
export interface TradingStateStore {
  /** The current state; `undefined` before the first start has initialised it. */
  get(): Promise<TradingState | undefined>;
  /** Writes `next` with version `expectedVersion + 1` iff the stored version is `expectedVersion` (-1: absent). */
  compareAndSet(expectedVersion: number, next: Omit<TradingState, 'version'>): Promise<TradingState>;
}

export interface OrderStore {
  get(id: ClientOrderId): Promise<Order | undefined>;
  /** Creates the order; throws ConcurrencyError `ORDER.DUPLICATE` if the clientOrderId exists. */
  create(order: Order): Promise<Order>;
  /** Writes `order` (with version+1) iff the stored version equals `order.version`. */
  update(order: Order): Promise<Order>;
  /** Orders in a WORKING status (see `WORKING_STATUSES`). */
  listWorking(): Promise<Order[]>;
  /**
   * Orders created on a trading day, `YYYY-MM-DD` in America/New_York; with a filter, only those of
   * one symbol, last written at or after `updatedSince` (ISO), and/or in one of `statuses`. Callers that need a slice of a
   * busy day ask for the slice, so an in-process store answers from its indexes.
   */
  listByDay(day: string, filter?: OrderDayFilter): Promise<Order[]>;
  /**
   * The day's activity in one symbol per strategy (orders, cancelled, with a fill): what the
   * pre-trade order-to-trade and cancel-ratio rules count, on every order. Equal to
   * `orderActivityOf(listByDay(day, { symbol }))`; a store may keep it as counters so the read
   * does not grow with the day.
   */
  activityByDay(day: string, symbol: string): Promise<OrderActivity[]>;
  findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined>;
}

/** A slice of a day's orders (`OrderStore.listByDay`). */
export interface OrderDayFilter {
  readonly symbol?: string | undefined;
  /** ISO timestamp: orders whose `updatedAt` is at or after it. */
  readonly updatedSince?: string | undefined;
  /** Orders in one of these statuses (e.g. PROPOSED: pending pre-trade, not yet in the working set). */
  readonly statuses?: readonly OrderStatus[] | undefined;
}

export interface FillStore {
  /** Stores the fill unless its execId is known; returns false for a duplicate. */
  recordIfNew(fill: Fill): Promise<boolean>;
  /** Sets the commission of a known execId (commission reports arrive after the fill). */
  setCommission(execId: ExecId, commission: string): Promise<void>;
  get(execId: ExecId): Promise<Fill | undefined>;
  listByDay(day: string): Promise<Fill[]>;
  listByOrder(id: ClientOrderId): Promise<Fill[]>;
}

export interface PositionStore {
  /** Replaces the broker-reported positions of one account (a snapshot, not a delta). */
  replaceAccount(account: string, positions: Position[]): Promise<void>;
  list(): Promise<Position[]>;
}

export interface AccountStore {
  put(summary: AccountSummary): Promise<void>;
  list(): Promise<AccountSummary[]>;
}

export interface QuoteStore {
  putMany(quotes: Quote[]): Promise<void>;
  list(): Promise<Quote[]>;
  /** The latest quote of one symbol (a key read, for a caller that needs one name, not the board). */
  get(symbol: string): Promise<Quote | undefined>;
}

/** Component heartbeats (broker bridge, agents); `/health` reads them and judges staleness. */
export interface HealthStore {
  report(health: ComponentHealth): Promise<void>;
  list(): Promise<ComponentHealth[]>;
}

/**
 * The append-only, hash-chained audit log. `append` assigns seq, prevHash and hash with a
 * conditional write on the chain head, so concurrent writers never fork the chain.
 */
export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  /**
   * Appends the records as consecutive entries in the order given (nothing of another writer in
   * between within one chain step) and returns them; one step costs about what one `append` does.
   */
  appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]>;
  /** Entries with seq ≥ fromSeq in order, at most `limit`. */
  read(fromSeq?: number, limit?: number): Promise<AuditEntry[]>;
  head(): Promise<AuditEntry | undefined>;
}
