import { EventEnvelopeSchema, type EventEnvelope } from '../../core/events/envelope.js';
import { matchesPattern, validatePattern, type EventPattern } from '../../core/events/pattern.js';
import type { Clock } from '../../core/shared/clock.js';
import { TradeOpsError, ValidationError } from '../../core/shared/errors.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import { alreadyValidated, toEventBridgeShape } from '../../core/events/catalog.js';
import { LatencyWindow, oldestAgeMs, type LatencySummary } from '../../core/bus/latency-window.js';
import { Fifo } from './fifo.js';

/** A rule: the same name and pattern as the EventBridge rule in AWS, with the local handler as target. */
export interface BusRule {
  name: string;
  pattern: EventPattern;
  target: EventHandler;
  /**
   * Attempts including the first, and the first backoff (doubled each retry, capped at
   * `maxBackoffMs`); an event older than `maxEventAgeMs` is dead-lettered instead of retried (as
   * EventBridge's `MaximumEventAgeInSeconds`). Default 3 × 200 ms, no cap, no age limit.
   * Agent rules take theirs from CONSUMER_DELIVERY_POLICY (lib/core/bus/delivery-policy.ts).
   */
  retry?: { maxAttempts: number; backoffMs: number; maxBackoffMs?: number; maxEventAgeMs?: number };
  /** Called with every event that exhausted its retries (the bus also keeps the last ones: `deadLetters`). */
  dlq?: (letter: DeadLetter) => void | Promise<void>;
  /** Deliveries in flight at once for this rule; default 4 (Lambda targets run concurrently too). */
  concurrency?: number;
  /**
   * `background`: this rule's deliveries start one per event-loop turn, across every background
   * rule, after the I/O and foreground deliveries ready in that turn. In AWS each target is its own
   * Lambda and an audit write never delays an order; in one process this keeps the work off an
   * order's path (record keeping, surveillance, metrics) from queueing ahead of it. Same delivery
   * contract; only the order of work in the process changes. @default 'foreground'
   */
  priority?: 'foreground' | 'background';
}

export interface DeadLetter {
  rule: string;
  event: EventEnvelope;
  attempts: number;
  error: { name: string; message: string; code?: string };
  at: string;
}

/**
 * Per-consumer figures for `/api/eventbus/stats`. Latency is publish → successful handler return,
 * over the last LATENCY_SAMPLES deliveries.
 */
export interface ConsumerStats {
  rule: string;
  concurrency: number;
  delivered: number;
  /** Attempts whose handler threw (each retry that fails counts again). */
  failedAttempts: number;
  /** Attempts after the first (deliveries re-queued after a failure). */
  retries: number;
  /** Every event dead-lettered since start (the in-memory list keeps only the last DEAD_LETTERS_KEPT). */
  deadLettered: number;
  /** Matched events whose next attempt has not started: `queued` + `retrying`. */
  backlog: number;
  queued: number;
  /** Waiting out a retry backoff. */
  retrying: number;
  inFlight: number;
  /** Age of the oldest undelivered event (queued, retrying or in flight), publish time → now. */
  oldestAgeMs: number;
  latencyMs: LatencySummary;
  lastDeliveryAt: string | undefined;
  /** Times the consumer was restarted (`restartRule`). */
  restarts: number;
  /** True while a restart holds new deliveries back. */
  paused: boolean;
}

/** One queued event removed by `clearStale`, with the consumer it was waiting for. */
export interface ClearedDelivery {
  rule: string;
  event: EventEnvelope;
  publishedAt: string;
  ageMs: number;
  attempts: number;
}

export interface InProcessEventBusOptions {
  rules?: ReadonlyArray<BusRule>;
  clock?: Clock;
  logger?: Logger;
  /** Account and region put on the EventBridge-shaped event the patterns see. */
  account?: string;
  region?: string;
}

interface Pending {
  event: EventEnvelope;
  publishedAt: number;
  attempts: number;
}

type ResolvedRule = BusRule & { retry: NonNullable<BusRule['retry']>; concurrency: number };

const LATENCY_SAMPLES = 1000;
/** Dead letters kept in memory per consumer (the DLQ sink — a file locally — keeps them all). */
export const DEAD_LETTERS_KEPT = 500;
const SYSTEM_CLOCK: Clock = { now: () => new Date() };

function* publishTimes(...groups: Array<Iterable<Pending>>): Generator<number> {
  for (const g of groups) for (const p of g) yield p.publishedAt;
}

/** @internal One rule's queue, retry timers and statistics. */
class Consumer {
  readonly queue = new Fifo<Pending>();
  readonly waiting = new Set<Pending>();
  readonly inFlight = new Set<Pending>();
  readonly timers = new Set<ReturnType<typeof setTimeout>>();
  readonly deadLetters: DeadLetter[] = [];
  readonly latencies = new LatencyWindow(LATENCY_SAMPLES);
  delivered = 0;
  failedAttempts = 0;
  retries = 0;
  deadLettered = 0;
  restarts = 0;
  lastDeliveryAt: number | undefined;
  paused = false;
  /** The restart running now, if any: restarts of one consumer run one after the other. */
  restarting: Promise<unknown> = Promise.resolve();
  /** Resolved when a paused consumer has no delivery in flight any more. */
  quietWaiters: Array<() => void> = [];
  constructor(public rule: ResolvedRule) {}

  keepDeadLetter(letter: DeadLetter): void {
    this.deadLettered += 1;
    this.deadLetters.push(letter);
    if (this.deadLetters.length > DEAD_LETTERS_KEPT) this.deadLetters.shift();
  }

  stats(nowMs: number): ConsumerStats {
    return {
      rule: this.rule.name,
      concurrency: this.rule.concurrency,
      delivered: this.delivered,
      failedAttempts: this.failedAttempts,
      retries: this.retries,
      deadLettered: this.deadLettered,
      backlog: this.queue.length + this.waiting.size,
      queued: this.queue.length,
      retrying: this.waiting.size,
      inFlight: this.inFlight.size,
      oldestAgeMs: oldestAgeMs(publishTimes(this.queue, this.waiting, this.inFlight), nowMs),
      latencyMs: this.latencies.summary(),
      lastDeliveryAt: this.lastDeliveryAt === undefined ? undefined : new Date(this.lastDeliveryAt).toISOString(),
      restarts: this.restarts,
      paused: this.paused,
    };
  }

  get outstanding(): number {
    return this.queue.length + this.waiting.size + this.inFlight.size;
  }
}

/**
 * The local event bus: EventBridge's routing (same rules, same patterns, same event shape) and
 * delivery contract (asynchronous, at least once, unordered; failed targets retried with backoff,
 * then dead-lettered — never dropped), in one process.
 * @example
 * const bus = new InProcessEventBus({ rules: [{ name: 'fills-to-positions', pattern: { source: ['tradeops.gateway'], 'detail-type': ['FillReport'] }, target: onFill }] });
 * await bus.publish([event]); await bus.drain();
 */
export class InProcessEventBus implements EventPublisher {
  private readonly consumers = new Map<string, Consumer>();
  private readonly clock: Clock;
  private readonly where: { account: string; region: string };
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  /** Background consumers with a delivery to start, in turn order (round-robin). */
  private readonly backgroundReady = new Set<Consumer>();
  private backgroundTurnScheduled = false;

  constructor(private readonly options: InProcessEventBusOptions = {}) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.where = { account: options.account ?? '000000000000', region: options.region ?? 'us-east-1' };
    for (const r of options.rules ?? []) this.addRule(r);
  }

  /** Adds a rule; its pattern is validated as EventBridge would (`BUS.INVALID_PATTERN`). */
  addRule(rule: BusRule): void {
    if (this.consumers.has(rule.name)) throw new TradeOpsError('BUS.DUPLICATE_RULE', `rule ${rule.name} already exists`);
    const issues = validatePattern(rule.pattern);
    if (issues.length > 0) throw new ValidationError('BUS.INVALID_PATTERN', `rule ${rule.name}: invalid pattern at ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    const retry = rule.retry ?? { maxAttempts: 3, backoffMs: 200 };
    if (!(retry.maxAttempts >= 1) || !(retry.backoffMs >= 0)) throw new TradeOpsError('BUS.INVALID_RULE', `rule ${rule.name}: retry needs maxAttempts ≥ 1 and backoffMs ≥ 0`);
    this.consumers.set(rule.name, new Consumer({ ...rule, retry, concurrency: Math.max(1, rule.concurrency ?? 4) }));
  }

  hasRule(name: string): boolean {
    return this.consumers.has(name);
  }

  get ruleNames(): string[] {
    return [...this.consumers.keys()];
  }

  /** Validates, matches and enqueues; resolves once accepted (like PutEvents), before delivery. */
  async publish(events: ReadonlyArray<EventEnvelope>): Promise<void> {
    if (this.closed) throw new TradeOpsError('BUS.CLOSED', 'the event bus is shut down');
    const parsed = events.map((e) => {
      if (alreadyValidated(e) !== undefined) return e;
      const r = EventEnvelopeSchema.safeParse(e);
      if (!r.success) {
        const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
        throw new ValidationError('BUS.INVALID_EVENT', `invalid event envelope: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
      }
      return e;
    });
    const now = this.clock.now().getTime();
    for (const event of parsed) {
      const shaped = toEventBridgeShape(event, this.where);
      for (const c of this.consumers.values()) {
        if (matchesPattern(c.rule.pattern, shaped)) {
          c.queue.push({ event, publishedAt: now, attempts: 0 });
          this.pump(c);
        }
      }
    }
  }

  /** Resolves when every matched event has been delivered or dead-lettered (retries included). */
  drain(): Promise<void> {
    if (this.outstanding() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** For `/health`: throws `BUS.CLOSED` once shut down. */
  async ping(): Promise<void> {
    if (this.closed) throw new TradeOpsError('BUS.CLOSED', 'the event bus is shut down');
  }

  /**
   * Refuses new events, then waits for the queued and in-flight deliveries to finish. A delivery
   * that fails from now on, and an event waiting out a retry backoff, is dead-lettered (into the
   * rule's DLQ: redrivable after a restart) instead of retried: its handler would publish into a
   * closed bus and fail again, and a backoff of minutes would hold the shutdown.
   */
  async close(): Promise<void> {
    this.closed = true;
    const shutdown = { name: 'TradeOpsError', message: 'the event bus shut down while the event waited for a retry', code: 'BUS.CLOSED' };
    for (const c of this.consumers.values()) {
      for (const t of c.timers) clearTimeout(t);
      c.timers.clear();
      const waiting = [...c.waiting];
      c.waiting.clear();
      for (const p of waiting) await this.deadLetter(c, p, shutdown, 'the bus shut down');
    }
    await this.drain();
  }

  stats(): ConsumerStats[] {
    const now = this.clock.now().getTime();
    return [...this.consumers.values()].map((c) => c.stats(now));
  }

  deadLetters(rule?: string): DeadLetter[] {
    const all = [...this.consumers.values()].flatMap((c) => c.deadLetters);
    return rule === undefined ? all : all.filter((d) => d.rule === rule);
  }

  /**
   * Restarts one consumer: stops starting its deliveries, waits for those in flight to finish,
   * swaps in the target `fresh()` builds (a new handler instance: caches and stuck state gone), and
   * resumes. Its queued and retrying events are kept and delivered to the new target — nothing is
   * lost by a restart. A second restart while one is running waits for the first.
   * @throws TradeOpsError `BUS.UNKNOWN_RULE`
   * @example await bus.restartRule('agent-risk-agent', () => riskHandler(deps))
   */
  async restartRule(name: string, fresh?: () => EventHandler): Promise<{ rule: string; keptBacklog: number; restarts: number }> {
    const c = this.consumer(name);
    const run = async () => {
      c.paused = true;
      try {
        await this.quiet(c);
        if (fresh) c.rule = { ...c.rule, target: fresh() };
        c.restarts += 1;
      } finally {
        c.paused = false;
      }
      const keptBacklog = c.queue.length + c.waiting.size;
      this.pump(c);
      this.options.logger?.info('consumer restarted', { rule: name, keptBacklog, restarts: c.restarts });
      return { rule: name, keptBacklog, restarts: c.restarts };
    };
    const result = c.restarting.then(run, run);
    c.restarting = result.catch(() => undefined);
    return result;
  }

  /**
   * Removes from every consumer's queue (and retry wait) the events `droppable` accepts that were
   * published at least `olderThanMs` ago; events in flight are never touched. `archive` gets them
   * first: they leave the queues before it runs (so none is delivered while being archived) and go
   * back, at the head, if it throws — nothing is dropped that was not archived.
   * @example await bus.clearStale({ olderThanMs: 60_000, droppable: (e) => isDroppableWhenStale(e.detailType), archive: (c) => blobs.put(key, JSON.stringify(c)) })
   */
  async clearStale(options: { olderThanMs: number; droppable: (event: EventEnvelope) => boolean; archive: (cleared: readonly ClearedDelivery[]) => Promise<void> }): Promise<ClearedDelivery[]> {
    const now = this.clock.now().getTime();
    const taken: Array<{ c: Consumer; p: Pending; retrying: boolean }> = [];
    const stale = (p: Pending) => now - p.publishedAt >= options.olderThanMs && options.droppable(p.event);
    for (const c of this.consumers.values()) {
      for (const p of c.queue.removeWhere(stale)) taken.push({ c, p, retrying: false });
      for (const p of c.waiting) {
        if (stale(p)) {
          c.waiting.delete(p);
          taken.push({ c, p, retrying: true });
        }
      }
    }
    const cleared = taken.map(({ c, p }) => ({ rule: c.rule.name, event: p.event, publishedAt: new Date(p.publishedAt).toISOString(), ageMs: now - p.publishedAt, attempts: p.attempts }));
    if (cleared.length === 0) return [];
    try {
      await options.archive(cleared);
    } catch (e) {
      // Back at the head of their queue, in their order; a retrying one goes there too (its timer finds it gone and does nothing).
      for (const c of new Set(taken.map((t) => t.c))) {
        c.queue.unshiftAll(taken.filter((t) => t.c === c).map((t) => t.p));
        this.pump(c);
      }
      throw e;
    }
    this.notifyIfIdle();
    return cleared;
  }

  private consumer(name: string): Consumer {
    const c = this.consumers.get(name);
    if (!c) throw new TradeOpsError('BUS.UNKNOWN_RULE', `no rule named ${name}; rules: ${this.ruleNames.join(', ')}`);
    return c;
  }

  private quiet(c: Consumer): Promise<void> {
    if (c.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => c.quietWaiters.push(resolve));
  }

  private notifyIfIdle(): void {
    if (this.outstanding() === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private outstanding(): number {
    let n = 0;
    for (const c of this.consumers.values()) n += c.outstanding;
    return n;
  }

  private async deadLetter(c: Consumer, p: Pending, error: DeadLetter['error'], reason: string | undefined): Promise<void> {
    const letter: DeadLetter = { rule: c.rule.name, event: p.event, attempts: p.attempts, error, at: this.clock.now().toISOString() };
    c.keepDeadLetter(letter);
    this.options.logger?.error('event dead-lettered', { rule: c.rule.name, eventId: p.event.eventId, correlationId: p.event.correlationId, attempts: p.attempts, ...(reason === undefined ? {} : { reason }), error });
    try {
      await c.rule.dlq?.(letter);
    } catch (dlqError) {
      this.options.logger?.error('dead-letter sink failed', { rule: c.rule.name, eventId: p.event.eventId, error: String(dlqError) });
    }
  }

  private pump(c: Consumer): void {
    if (c.rule.priority === 'background') {
      if (!c.paused && c.queue.length > 0) {
        this.backgroundReady.add(c);
        this.scheduleBackgroundTurn();
      }
      return;
    }
    while (!c.paused && c.inFlight.size < c.rule.concurrency && c.queue.length > 0) {
      const p = c.queue.shift()!;
      c.inFlight.add(p);
      // Deliver on a later tick: publish never runs a handler in the publisher's stack.
      setImmediate(() => void this.deliver(c, p));
    }
  }

  private scheduleBackgroundTurn(): void {
    if (this.backgroundTurnScheduled) return;
    this.backgroundTurnScheduled = true;
    // An immediate queued from an immediate runs on the next loop turn, after its I/O poll.
    setImmediate(() => this.backgroundTurn());
  }

  /** Starts one background delivery: the first ready consumer with room, which then goes to the back of the turn order. */
  private backgroundTurn(): void {
    this.backgroundTurnScheduled = false;
    for (const c of this.backgroundReady) {
      this.backgroundReady.delete(c);
      // A full consumer comes back through pump when one of its deliveries ends; a paused one on resume.
      if (c.paused || c.queue.length === 0 || c.inFlight.size >= c.rule.concurrency) continue;
      const p = c.queue.shift()!;
      c.inFlight.add(p);
      if (c.queue.length > 0) this.backgroundReady.add(c);
      void this.deliver(c, p);
      break;
    }
    if (this.backgroundReady.size > 0) this.scheduleBackgroundTurn();
  }

  private async deliver(c: Consumer, p: Pending): Promise<void> {
    p.attempts += 1;
    const target = c.rule.target;
    try {
      await target(p.event);
      const done = this.clock.now().getTime();
      c.delivered += 1;
      c.lastDeliveryAt = done;
      c.latencies.record(Math.max(0, done - p.publishedAt));
    } catch (e) {
      c.failedAttempts += 1;
      const error = e instanceof Error ? { name: e.name, message: e.message, ...(e instanceof TradeOpsError ? { code: e.code } : {}) } : { name: 'Error', message: String(e) };
      const now = this.clock.now().getTime();
      const { maxAttempts, maxEventAgeMs } = c.rule.retry;
      const tooOld = maxEventAgeMs !== undefined && now - p.publishedAt >= maxEventAgeMs;
      if (p.attempts < maxAttempts && !tooOld && !this.closed) {
        this.options.logger?.warn('event delivery failed, will retry', { rule: c.rule.name, eventId: p.event.eventId, correlationId: p.event.correlationId, attempt: p.attempts, error });
        c.retries += 1;
        c.waiting.add(p);
        const wait = Math.min(c.rule.retry.maxBackoffMs ?? Infinity, c.rule.retry.backoffMs * 2 ** (p.attempts - 1));
        const timer = setTimeout(() => {
          c.timers.delete(timer);
          // clearStale may have taken it meanwhile.
          if (!c.waiting.delete(p)) return;
          c.queue.push(p);
          this.pump(c);
        }, wait);
        c.timers.add(timer);
      } else {
        await this.deadLetter(c, p, error, tooOld ? 'older than maxEventAgeMs' : this.closed ? 'the bus shut down' : undefined);
      }
    } finally {
      c.inFlight.delete(p);
    }
    if (c.inFlight.size === 0 && c.quietWaiters.length > 0) {
      const waiters = c.quietWaiters;
      c.quietWaiters = [];
      waiters.forEach((w) => w());
    }
    this.pump(c);
    this.notifyIfIdle();
  }
}
