/**
 * Test doubles for the non-state ports (STYLE.md §17: prefer these to mocks): publishers,
 * queues, loggers and notifiers that record what they were given.
 */
import type { EventEnvelope } from '../../lib/core/events/envelope.js';
import type { OrderCommand } from '../../lib/core/orders/commands.js';
import { commandRouting } from '../../lib/core/orders/commands.js';
import type { PlannedOrder } from '../../lib/core/risk/reduce.js';
import type { KeyMetricSample } from '../../lib/core/metrics/key-metrics.js';
import type { ProposedOrderOutcome, ProposeOrdersReason } from '../../lib/app/risk/propose.js';
import type { CommandConsumer, CommandQueue, EventPublisher, Logger } from '../../lib/ports/index.js';
import type { MetricsSink } from '../../lib/ports/metrics.js';
import type { Notification, Notifier } from '../../lib/ports/notifier.js';
import type { WorkflowStarter } from '../../lib/ports/workflow-starter.js';

const copy = <T>(v: T): T => structuredClone(v);

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

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification): Promise<void> {
    this.sent.push(structuredClone(n));
  }
}

/** Records each proposal and answers with `decide` (default: every order approved). */
export class RecordingProposer {
  readonly calls: Array<{ orders: PlannedOrder[]; reason: ProposeOrdersReason }> = [];
  constructor(private readonly decide: (o: PlannedOrder, i: number) => ProposedOrderOutcome['status'] = () => 'approved') {}
  readonly propose = async (orders: readonly PlannedOrder[], reason: ProposeOrdersReason): Promise<ProposedOrderOutcome[]> => {
    this.calls.push({ orders: structuredClone([...orders]), reason });
    return orders.map((o, i) => {
      const status = this.decide(o, i);
      return { symbol: o.symbol, side: o.side, quantity: o.quantity, status, clientOrderId: `R-${this.calls.length}-${i}`, ...(status === 'denied' ? { reasonCode: 'RISK.MAX_ORDER_QUANTITY', message: 'too big' } : {}) };
    });
  };
}

export class RecordingMetricsSink implements MetricsSink {
  readonly samples: KeyMetricSample[] = [];
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    this.samples.push(...samples);
  }
}

/** Records the workflows started; `fail` makes the next start throw. */
export class RecordingWorkflowStarter implements WorkflowStarter {
  readonly started: Array<{ workflow: string; input: Record<string, unknown>; executionName: string }> = [];
  fail = false;
  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    if (this.fail) throw new Error('StartExecution refused (test)');
    this.started.push({ workflow, input, executionName: options.executionName });
    return { executionId: `arn:test:execution:${workflow}:${options.executionName}` };
  }
}
