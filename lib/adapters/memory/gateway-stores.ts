/**
 * Small hand-written in-memory implementations of the `lib/ports` interfaces, for unit tests
 * (STYLE.md §17: prefer these to mocks). They keep the ports' contracts: conditional writes throw
 * `ConcurrencyError`, `recordIfNew` deduplicates by execId, stores return copies.
 */
import type { AccountSummary } from '../../core/account/account-summary.js';
import type { EventEnvelope } from '../../core/events/envelope.js';
import type { Fill } from '../../core/fills/fill.js';
import type { ComponentHealth } from '../../core/health/health.js';
import type { Quote } from '../../core/market/quote.js';
import type { OrderCommand } from '../../core/orders/commands.js';
import { commandRouting } from '../../core/orders/commands.js';
import type { Order } from '../../core/orders/order.js';
import { WORKING_STATUSES } from '../../core/orders/order.js';
import type { Position } from '../../core/positions/position.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { ClientOrderId, ExecId } from '../../core/shared/ids.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import type { AccountStore, CommandConsumer, CommandQueue, EventPublisher, FillStore, HealthStore, Logger, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../../ports/index.js';

const copy = <T>(v: T): T => structuredClone(v);

/** Trading day (America/New_York) of an ISO timestamp, as the DynamoDB adapters key it. */
export { tradingDayOf } from '../dynamodb/keys.js';
import { tradingDayOf } from '../dynamodb/keys.js';

export class InMemoryTradingStateStore implements TradingStateStore {
  private state: TradingState | undefined;
  constructor(initial?: TradingState) {
    this.state = initial === undefined ? undefined : copy(initial);
  }
  async get(): Promise<TradingState | undefined> {
    return this.state === undefined ? undefined : copy(this.state);
  }
  async compareAndSet(expectedVersion: number, next: Omit<TradingState, 'version'>): Promise<TradingState> {
    const current = this.state?.version ?? -1;
    if (current !== expectedVersion) throw new ConcurrencyError('STATE.VERSION_CONFLICT', `expected version ${expectedVersion}, found ${current}`);
    this.state = { ...copy(next), version: expectedVersion + 1 };
    return copy(this.state);
  }
}

export class InMemoryOrderStore implements OrderStore {
  readonly orders = new Map<string, Order>();
  /** Every successful write, in order (for assertions on what was persisted when). */
  readonly writes: Order[] = [];
  async get(id: ClientOrderId): Promise<Order | undefined> {
    const o = this.orders.get(id);
    return o === undefined ? undefined : copy(o);
  }
  async create(order: Order): Promise<Order> {
    if (this.orders.has(order.clientOrderId)) throw new ConcurrencyError('ORDER.DUPLICATE', `order ${order.clientOrderId} exists`);
    const stored = { ...copy(order), version: 0 };
    this.orders.set(order.clientOrderId, stored);
    this.writes.push(copy(stored));
    return copy(stored);
  }
  async update(order: Order): Promise<Order> {
    const current = this.orders.get(order.clientOrderId);
    if (current === undefined) throw new ConcurrencyError('ORDER.NOT_FOUND', `order ${order.clientOrderId} does not exist`);
    if (current.version !== order.version) throw new ConcurrencyError('ORDER.VERSION_CONFLICT', `order ${order.clientOrderId}: expected version ${order.version}, found ${current.version}`);
    const stored = { ...copy(order), version: order.version + 1 };
    this.orders.set(order.clientOrderId, stored);
    this.writes.push(copy(stored));
    return copy(stored);
  }
  async listWorking(): Promise<Order[]> {
    return [...this.orders.values()].filter((o) => WORKING_STATUSES.has(o.status)).map(copy);
  }
  async listByDay(day: string): Promise<Order[]> {
    return [...this.orders.values()].filter((o) => tradingDayOf(o.createdAt) === day).map(copy);
  }
  async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    const o = [...this.orders.values()].find((x) => x.brokerOrderId === brokerOrderId);
    return o === undefined ? undefined : copy(o);
  }
}

export class InMemoryFillStore implements FillStore {
  readonly fills = new Map<string, Fill>();
  async recordIfNew(fill: Fill): Promise<boolean> {
    if (this.fills.has(fill.execId)) return false;
    this.fills.set(fill.execId, copy(fill));
    return true;
  }
  async setCommission(execId: ExecId, commission: string): Promise<void> {
    const f = this.fills.get(execId);
    if (f !== undefined) this.fills.set(execId, { ...f, commission });
  }
  async get(execId: ExecId): Promise<Fill | undefined> {
    const f = this.fills.get(execId);
    return f === undefined ? undefined : copy(f);
  }
  async listByDay(day: string): Promise<Fill[]> {
    return [...this.fills.values()].filter((f) => tradingDayOf(f.executedAt) === day).map(copy);
  }
  async listByOrder(id: ClientOrderId): Promise<Fill[]> {
    return [...this.fills.values()].filter((f) => f.clientOrderId === id).map(copy);
  }
}

export class InMemoryPositionStore implements PositionStore {
  private readonly byAccount = new Map<string, Position[]>();
  async replaceAccount(account: string, positions: Position[]): Promise<void> {
    this.byAccount.set(account, positions.map(copy));
  }
  async list(): Promise<Position[]> {
    return [...this.byAccount.values()].flat().map(copy);
  }
}

export class InMemoryAccountStore implements AccountStore {
  private readonly byAccount = new Map<string, AccountSummary>();
  async put(summary: AccountSummary): Promise<void> {
    this.byAccount.set(summary.account, copy(summary));
  }
  async list(): Promise<AccountSummary[]> {
    return [...this.byAccount.values()].map(copy);
  }
}

export class InMemoryQuoteStore implements QuoteStore {
  private readonly bySymbol = new Map<string, Quote>();
  /** Number of putMany calls (to check the write rate). */
  writes = 0;
  async putMany(quotes: Quote[]): Promise<void> {
    this.writes += 1;
    for (const q of quotes) this.bySymbol.set(q.symbol, copy(q));
  }
  async list(): Promise<Quote[]> {
    return [...this.bySymbol.values()].map(copy);
  }
}

export class InMemoryHealthStore implements HealthStore {
  private readonly byComponent = new Map<string, ComponentHealth>();
  readonly history: ComponentHealth[] = [];
  async report(health: ComponentHealth): Promise<void> {
    this.byComponent.set(health.component, copy(health));
    this.history.push(copy(health));
  }
  async list(): Promise<ComponentHealth[]> {
    return [...this.byComponent.values()].map(copy);
  }
}

/** Records every published event; `ofType` filters by detail-type. */
export class RecordingPublisher implements EventPublisher {
  readonly events: EventEnvelope[] = [];
  async publish(events: ReadonlyArray<EventEnvelope>): Promise<void> {
    for (const e of events) this.events.push(copy(e));
  }
  ofType<D = Record<string, unknown>>(detailType: string): Array<EventEnvelope<D>> {
    return this.events.filter((e) => e.detailType === detailType) as Array<EventEnvelope<D>>;
  }
}

/**
 * A FIFO command queue with SQS-like semantics that matter to the bridge: deduplication by
 * `commandRouting(cmd).dedupId`, one command in flight, a handler that throws NACKs the command
 * (redelivered after `redeliveryDelayMs`), `stop` waits for the in-flight command.
 */
export class InMemoryCommandQueue implements CommandQueue, CommandConsumer {
  private readonly queue: OrderCommand[] = [];
  private readonly seen = new Set<string>();
  private handler: ((c: OrderCommand) => Promise<void>) | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  readonly acked: OrderCommand[] = [];
  readonly nacked: Array<{ command: OrderCommand; error: unknown }> = [];
  constructor(private readonly redeliveryDelayMs = 50) {}
  async send(command: OrderCommand): Promise<void> {
    const { dedupId } = commandRouting(command);
    if (this.seen.has(dedupId)) return;
    this.seen.add(dedupId);
    this.queue.push(copy(command));
    this.pump();
  }
  /** Puts a command back regardless of deduplication (a redelivery after a crash). */
  redeliver(command: OrderCommand): void {
    this.queue.push(copy(command));
    this.pump();
  }
  start(handler: (command: OrderCommand) => Promise<void>): void {
    this.handler = handler;
    this.stopped = false;
    this.pump();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.inFlight;
  }
  get depth(): number {
    return this.queue.length;
  }
  private pump(): void {
    if (this.handler === undefined || this.stopped || this.inFlight !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    const handler = this.handler;
    this.inFlight = (async () => {
      try {
        await handler(next);
        this.acked.push(next);
      } catch (error) {
        this.nacked.push({ command: next, error });
        setTimeout(() => {
          this.queue.unshift(next);
          this.pump();
        }, this.redeliveryDelayMs).unref();
      } finally {
        this.inFlight = undefined;
        this.pump();
      }
    })();
  }
}

/** A logger that keeps lines in memory (never assert on their text; count levels or fields if anything). */
export class MemoryLogger implements Logger {
  constructor(
    readonly lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [],
    private readonly bound: Record<string, unknown> = {},
  ) {}
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', msg, fields: { ...this.bound, ...fields } });
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', msg, fields: { ...this.bound, ...fields } });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', msg, fields: { ...this.bound, ...fields } });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', msg, fields: { ...this.bound, ...fields } });
  }
  child(fields: Record<string, unknown>): Logger {
    return new MemoryLogger(this.lines, { ...this.bound, ...fields });
  }
}

/** All the stores the gateway needs, fresh. */
export function inMemoryStores(initial?: { tradingState?: TradingState }) {
  return {
    tradingState: new InMemoryTradingStateStore(initial?.tradingState),
    orders: new InMemoryOrderStore(),
    fills: new InMemoryFillStore(),
    positions: new InMemoryPositionStore(),
    accounts: new InMemoryAccountStore(),
    quotes: new InMemoryQuoteStore(),
    health: new InMemoryHealthStore(),
  };
}
