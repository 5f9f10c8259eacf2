import type { Logger } from '../../lib/ports/logger.js';
import { describe } from './publishers/context.js';

/**
 * Runs broker-event handlers with the ordering IB's callbacks need, and no more:
 *
 * - Tasks that share a key (`order:<brokerOrderId>`, `exec:<execId>`, `portfolio`, `connection`)
 *   run one at a time in arrival order, so one order's status reports and fills are applied in
 *   the order IB sent them.
 * - Tasks with different keys run concurrently (up to `maxConcurrent`), so one order's state-store
 *   round trips do not delay another order's fill.
 * - A task with several keys waits for the tail of each and becomes the tail of each (an execution
 *   is ordered both with its order's status reports and with its own commission report).
 * - A barrier (`runBarrier`) starts only after everything queued before it has finished, and
 *   everything queued after it waits for it (END markers: "every execution before execDetailsEnd
 *   is applied" holds exactly as with one global queue).
 *
 * A failing handler is logged and does not block its lane. Lanes are forgotten when they drain.
 * @example
 * lanes.run(`order:${e.orderId}`, 'orderStatus', () => updates.onOrderStatus(e));
 * lanes.runBarrier('execDetailsEnd', async () => finishReconcile());
 */
export class InboundLanes {
  /** Completion of the last task queued per key (removed once it is the last and has finished). */
  private readonly tails = new Map<string, Promise<void>>();
  /** Completion of the last barrier; every task queued after it starts after it. */
  private gate: Promise<void> = Promise.resolve();
  private depth = 0;
  private running = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly maxConcurrent: number;

  constructor(
    private readonly logger: Logger,
    options: { readonly maxConcurrent?: number } = {},
  ) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 16);
  }

  /** Queues `task` behind the earlier tasks of each of `keys` (and the last barrier). */
  run(keys: string | ReadonlyArray<string>, name: string, task: () => Promise<void>): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : [...new Set(keys)];
    const before: Array<Promise<void>> = [this.gate];
    for (const k of list) {
      const t = this.tails.get(k);
      if (t !== undefined) before.push(t);
    }
    const done = this.schedule(before, name, task);
    for (const k of list) {
      this.tails.set(k, done);
      void done.then(() => {
        if (this.tails.get(k) === done) this.tails.delete(k);
      });
    }
    return done;
  }

  /** Queues `task` after every task queued so far; every task queued later waits for it. */
  runBarrier(name: string, task: () => Promise<void>): Promise<void> {
    const before = [this.gate, ...this.tails.values()];
    const done = this.schedule(before, name, task);
    this.gate = done;
    // Every current lane ends before the barrier; later tasks only need to wait for the gate.
    this.tails.clear();
    return done;
  }

  /** Resolves when everything queued so far has run. */
  async idle(): Promise<void> {
    await Promise.all([this.gate, ...this.tails.values()]);
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.depth;
  }

  /** Lanes with work queued or running (metrics and tests). */
  get activeLanes(): number {
    return this.tails.size;
  }

  private schedule(before: ReadonlyArray<Promise<void>>, name: string, task: () => Promise<void>): Promise<void> {
    this.depth += 1;
    // `before` promises never reject (each is a `done` of this class, or the resolved initial gate).
    return Promise.all(before)
      .then(() => this.acquire())
      .then(async () => {
        try {
          await task();
        } catch (error) {
          this.logger.error('broker event handler failed', { handler: name, error: describe(error) });
        } finally {
          this.release();
          this.depth -= 1;
        }
      });
  }

  private acquire(): Promise<void> | undefined {
    if (this.running < this.maxConcurrent) {
      this.running += 1;
      return undefined;
    }
    return new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    // The slot passes straight to the next waiter; `running` stays the same.
    if (next !== undefined) next();
    else this.running -= 1;
  }
}
