/**
 * The production in-memory stores (lib/adapters/memory) as tests use them: bundles with an initial
 * trading state, and subclasses that count writes (spies the production classes do not carry).
 */
import { InMemoryAccountStore, InMemoryFillStore, InMemoryHealthStore, InMemoryOrderStore, InMemoryPositionStore, InMemoryQuoteStore, InMemoryTradingStateStore } from '../../lib/adapters/memory/gateway-stores.js';
import { InMemoryExecutionRecordStore } from '../../lib/adapters/memory/execution-stores.js';
import type { StateStores } from '../../lib/ports/state-stores.js';
import { createMemoryStores } from '../../lib/adapters/memory/stores.js';
import { InMemoryRiskStore } from '../../lib/adapters/memory/risk-store.js';
import type { ExecutionRecord } from '../../lib/core/execution/record.js';
import type { Quote } from '../../lib/core/market/quote.js';
import type { Order } from '../../lib/core/orders/order.js';
import type { Clock } from '../../lib/core/shared/clock.js';
import type { TradingState } from '../../lib/core/trading-state/trading-state.js';
import type { RiskSnapshot } from '../../lib/ports/risk.js';

/** Records every successful write, in order (for assertions on what was persisted when). */
export class RecordingOrderStore extends InMemoryOrderStore {
  readonly writes: Order[] = [];
  override async create(order: Order): Promise<Order> {
    const stored = await super.create(order);
    this.writes.push(structuredClone(stored));
    return stored;
  }
  override async update(order: Order): Promise<Order> {
    const stored = await super.update(order);
    this.writes.push(structuredClone(stored));
    return stored;
  }
}

/** Counts putMany calls (to check the write rate). */
export class CountingQuoteStore extends InMemoryQuoteStore {
  writes = 0;
  override async putMany(quotes: Quote[]): Promise<void> {
    await super.putMany(quotes);
    this.writes += 1;
  }
}

/** Counts successful writes (to assert that duplicates write nothing). */
export class CountingExecutionRecordStore extends InMemoryExecutionRecordStore {
  writes = 0;
  override async put(record: ExecutionRecord): Promise<ExecutionRecord> {
    const stored = await super.put(record);
    this.writes += 1;
    return stored;
  }
}

/** Counts snapshot writes. */
export class CountingRiskStore extends InMemoryRiskStore {
  snapshotWrites = 0;
  override async putSnapshot(snapshot: RiskSnapshot): Promise<void> {
    await super.putSnapshot(snapshot);
    this.snapshotWrites += 1;
  }
}

/** All the stores the gateway needs, fresh. */
export function inMemoryStores(initial?: { tradingState?: TradingState }) {
  return {
    tradingState: new InMemoryTradingStateStore(initial?.tradingState),
    orders: new RecordingOrderStore(),
    fills: new InMemoryFillStore(),
    positions: new InMemoryPositionStore(),
    accounts: new InMemoryAccountStore(),
    quotes: new CountingQuoteStore(),
    health: new InMemoryHealthStore(),
  };
}

/**
 * Every state store in memory, as one StateStores bundle: the one place a test gets the whole
 * set, so a store added to the port is added here once (not in every test that needs them all).
 */
export function allInMemoryStores(clock: Pick<Clock, 'now'>, initial?: { tradingState?: TradingState }) {
  // The production bundle with the counting subclasses and the initial state tests use on top: a
  // store added to the port is added once, in createMemoryStores.
  return {
    ...createMemoryStores({ clock }),
    ...inMemoryStores(initial),
    risk: new CountingRiskStore(),
    executions: new CountingExecutionRecordStore(),
  } satisfies StateStores;
}
