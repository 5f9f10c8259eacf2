import { EventEnvelopeSchema, type EventEnvelope } from '../../core/events/envelope.js';
import { matchesPattern, validatePattern, type EventPattern } from '../../core/events/pattern.js';
import type { Clock } from '../../core/shared/clock.js';
import { TradeOpsError, ValidationError } from '../../core/shared/errors.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import { toEventBridgeShape } from '../../core/events/catalog.js';

/** A rule: the same name and pattern as the EventBridge rule in AWS, with the local handler as target. */
export interface BusRule {
  name: string;
  pattern: EventPattern;
  target: EventHandler;
  /** Attempts including the first, and the first backoff (doubled each retry). Default 3 × 200 ms. */
  retry?: { maxAttempts: number; backoffMs: number };
  /** Called with every event that exhausted its retries (the bus also keeps them: `deadLetters`). */
  dlq?: (letter: DeadLetter) => void | Promise<void>;
  /** Deliveries in flight at once for this rule; default 4 (Lambda targets run concurrently too). */
  concurrency?: number;
}

export interface DeadLetter {
  rule: string;
  event: EventEnvelope;
  attempts: number;
  error: { name: string; message: string; code?: string };
  at: string;
}

/** Per-consumer figures for `/api/eventbus/stats`. Latency is publish → successful handler return. */
export interface ConsumerStats {
  rule: string;
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  /** Matched events not yet delivered: queued, waiting for a retry, or in flight. */
  backlog: number;
  oldestAgeMs: number;
  latencyMs: { p50: number; p99: number; samples: number };
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

const LATENCY_SAMPLES = 1000;
const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** @internal One rule's queue, retry timers and statistics. */
class Consumer {
  readonly queue: Pending[] = [];
  readonly waiting = new Set<Pending>();
  readonly inFlight = new Set<Pending>();
  readonly timers = new Set<ReturnType<typeof setTimeout>>();
  readonly deadLetters: DeadLetter[] = [];
  delivered = 0;
  failedAttempts = 0;
  private readonly latencies: number[] = [];
  constructor(readonly rule: Required<Pick<BusRule, 'retry' | 'concurrency'>> & BusRule) {}

  recordLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_SAMPLES) this.latencies.shift();
  }

  stats(nowMs: number): ConsumerStats {
    const undelivered = [...this.queue, ...this.waiting, ...this.inFlight];
    const oldest = undelivered.reduce((m, p) => Math.min(m, p.publishedAt), Infinity);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    return {
      rule: this.rule.name,
      delivered: this.delivered,
      failedAttempts: this.failedAttempts,
      deadLettered: this.deadLetters.length,
      backlog: undelivered.length,
      oldestAgeMs: oldest === Infinity ? 0 : Math.max(0, nowMs - oldest),
      latencyMs: { p50: pct(0.5), p99: pct(0.99), samples: sorted.length },
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

  get ruleNames(): string[] {
    return [...this.consumers.keys()];
  }

  /** Validates, matches and enqueues; resolves once accepted (like PutEvents), before delivery. */
  async publish(events: ReadonlyArray<EventEnvelope>): Promise<void> {
    if (this.closed) throw new TradeOpsError('BUS.CLOSED', 'the event bus is shut down');
    const parsed = events.map((e) => {
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

  /** Refuses new events, then waits for the backlog (in-flight and retries) to finish. */
  async close(): Promise<void> {
    this.closed = true;
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

  private outstanding(): number {
    let n = 0;
    for (const c of this.consumers.values()) n += c.outstanding;
    return n;
  }

  private pump(c: Consumer): void {
    while (c.inFlight.size < c.rule.concurrency && c.queue.length > 0) {
      const p = c.queue.shift()!;
      c.inFlight.add(p);
      // Deliver on a later tick: publish never runs a handler in the publisher's stack.
      setImmediate(() => void this.deliver(c, p));
    }
  }

  private async deliver(c: Consumer, p: Pending): Promise<void> {
    p.attempts += 1;
    try {
      await c.rule.target(p.event);
      c.delivered += 1;
      c.recordLatency(this.clock.now().getTime() - p.publishedAt);
      c.inFlight.delete(p);
    } catch (e) {
      c.failedAttempts += 1;
      c.inFlight.delete(p);
      const error = e instanceof Error ? { name: e.name, message: e.message, ...(e instanceof TradeOpsError ? { code: e.code } : {}) } : { name: 'Error', message: String(e) };
      if (p.attempts < c.rule.retry.maxAttempts) {
        this.options.logger?.warn('event delivery failed, will retry', { rule: c.rule.name, eventId: p.event.eventId, correlationId: p.event.correlationId, attempt: p.attempts, error });
        c.waiting.add(p);
        const timer = setTimeout(() => {
          c.timers.delete(timer);
          c.waiting.delete(p);
          c.queue.push(p);
          this.pump(c);
        }, c.rule.retry.backoffMs * 2 ** (p.attempts - 1));
        c.timers.add(timer);
      } else {
        const letter: DeadLetter = { rule: c.rule.name, event: p.event, attempts: p.attempts, error, at: this.clock.now().toISOString() };
        c.deadLetters.push(letter);
        this.options.logger?.error('event dead-lettered', { rule: c.rule.name, eventId: p.event.eventId, correlationId: p.event.correlationId, attempts: p.attempts, error });
        try {
          await c.rule.dlq?.(letter);
        } catch (dlqError) {
          this.options.logger?.error('dead-letter sink failed', { rule: c.rule.name, eventId: p.event.eventId, error: String(dlqError) });
        }
      }
    }
    this.pump(c);
    if (this.outstanding() === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }
}
