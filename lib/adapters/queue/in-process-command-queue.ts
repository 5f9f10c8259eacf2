import { OrderCommandSchema, commandRouting, type OrderCommand } from '../../core/orders/commands.js';
import type { Clock } from '../../core/shared/clock.js';
import { TradeOpsError, ValidationError } from '../../core/shared/errors.js';
import type { CommandConsumer, CommandQueue } from '../../ports/command-queue.js';
import type { Logger } from '../../ports/logger.js';

/** SQS FIFO's deduplication interval. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

export interface InProcessCommandQueueOptions {
  clock: Clock;
  logger?: Logger;
  /** How long a failed command stays invisible before redelivery; default 1000 ms (SQS: the queue's visibility timeout). */
  visibilityTimeoutMs?: number;
  /** Receives before a command moves to the dead-letter list; default 5 (the CDK queue's maxReceiveCount). */
  maxReceiveCount?: number;
  /** Groups processed at once; default 4. */
  concurrency?: number;
}

interface Message {
  command: OrderCommand;
  groupId: string;
  dedupId: string;
  receiveCount: number;
  sentAt: number;
}

export interface DeadCommand {
  command: OrderCommand;
  groupId: string;
  receiveCount: number;
  error: string;
}

/**
 * The gateway's command queue in one process, with SQS FIFO semantics: a command whose dedupId
 * (from `commandRouting`) was sent in the last 5 minutes is accepted and dropped; commands of one
 * message group are handled strictly in order, one at a time, and a failing command blocks its
 * group until it succeeds or, after `maxReceiveCount` receives, moves to the dead-letter list.
 * Other groups carry on meanwhile.
 * @example
 * const q = new InProcessCommandQueue({ clock });
 * q.start(async (cmd) => bridge.handle(cmd));
 * await q.send({ kind: 'SubmitOrder', clientOrderId, correlationId, issuedAt, issuedBy: 'execution-agent' });
 */
export class InProcessCommandQueue implements CommandQueue, CommandConsumer {
  private readonly groups = new Map<string, Message[]>();
  /** Groups with a message in flight or waiting out its visibility timeout. */
  private readonly busyGroups = new Set<string>();
  private readonly seen = new Map<string, number>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly dead: DeadCommand[] = [];
  private handler: ((command: OrderCommand) => Promise<void>) | undefined;
  private stopped = false;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;
  private readonly concurrency: number;

  constructor(private readonly options: InProcessCommandQueueOptions) {
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 1000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  async send(command: OrderCommand): Promise<void> {
    const parsed = OrderCommandSchema.safeParse(command);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new ValidationError('QUEUE.INVALID_COMMAND', `invalid order command: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
    }
    const { groupId, dedupId } = commandRouting(parsed.data);
    const now = this.options.clock.now().getTime();
    this.expireDedup(now);
    // Like SQS: a duplicate inside the window is acknowledged and silently discarded.
    if (this.seen.has(dedupId)) return;
    this.seen.set(dedupId, now);
    const group = this.groups.get(groupId) ?? [];
    group.push({ command: parsed.data, groupId, dedupId, receiveCount: 0, sentAt: now });
    this.groups.set(groupId, group);
    this.pump();
  }

  start(handler: (command: OrderCommand) => Promise<void>): void {
    if (this.handler !== undefined) throw new TradeOpsError('QUEUE.ALREADY_STARTED', 'the command consumer is already started');
    this.handler = handler;
    this.stopped = false;
    this.pump();
  }

  /** Stops taking commands and waits for the ones in flight; queued commands stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.busyGroups.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.handler = undefined;
  }

  /** Resolves when nothing is queued, in flight or waiting for redelivery (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.depth() > 0 || this.inFlight.size > 0) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  depth(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.length;
    return n;
  }

  deadLetters(): DeadCommand[] {
    return [...this.dead];
  }

  private expireDedup(now: number): void {
    for (const [id, at] of this.seen) {
      // Insertion order is send order, so the first unexpired entry ends the scan.
      if (now - at < DEDUP_WINDOW_MS) break;
      this.seen.delete(id);
    }
  }

  private pump(): void {
    if (this.handler === undefined || this.stopped) return;
    for (const [groupId, group] of this.groups) {
      if (this.inFlight.size >= this.concurrency) return;
      if (this.busyGroups.has(groupId) || group.length === 0) continue;
      this.busyGroups.add(groupId);
      const run: Promise<void> = this.handle(group[0]!).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async handle(m: Message): Promise<void> {
    m.receiveCount += 1;
    try {
      await this.handler!(m.command);
      this.remove(m);
      this.busyGroups.delete(m.groupId);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (m.receiveCount >= this.maxReceiveCount) {
        this.remove(m);
        this.dead.push({ command: m.command, groupId: m.groupId, receiveCount: m.receiveCount, error });
        this.options.logger?.error('command dead-lettered', { kind: m.command.kind, groupId: m.groupId, correlationId: m.command.correlationId, receiveCount: m.receiveCount, error });
        this.busyGroups.delete(m.groupId);
      } else {
        this.options.logger?.warn('command failed, redelivering after the visibility timeout', { kind: m.command.kind, groupId: m.groupId, correlationId: m.command.correlationId, receiveCount: m.receiveCount, error });
        // The group stays blocked until the failed head is redelivered: FIFO order holds.
        if (!this.stopped) {
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.busyGroups.delete(m.groupId);
            this.pump();
          }, this.visibilityTimeoutMs);
          this.timers.add(t);
        }
      }
    }
  }

  private remove(m: Message): void {
    const group = this.groups.get(m.groupId);
    if (group === undefined) return;
    const i = group.indexOf(m);
    if (i >= 0) group.splice(i, 1);
    if (group.length === 0) this.groups.delete(m.groupId);
  }
}
