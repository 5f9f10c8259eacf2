import type { Scheduler, TimerHandle } from './scheduler.js';
import { GatewayError } from './errors.js';

/**
 * A FIFO token bucket for every message the bridge sends to IB (orders, cancels, market-data and
 * account requests, watchdog probes). IB allows 50 messages/s and may disconnect a client that
 * exceeds it (error 100); we stay under it with `ratePerSecond` (default 40) and a small burst.
 * In any one-second window at most `burst + ratePerSecond` messages leave, so burst ≤ 50 − rate.
 *
 * @example
 * const pacer = new MessagePacer({ ratePerSecond: 40, burst: 8 }, systemScheduler);
 * await pacer.take(); raw.placeOrder(...);
 */
export class MessagePacer {
  private tokens: number;
  private lastRefill: number;
  private readonly waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private timer: TimerHandle | undefined;
  private sent = 0;

  constructor(
    private readonly options: { readonly ratePerSecond: number; readonly burst?: number },
    private readonly scheduler: Scheduler,
  ) {
    if (!(options.ratePerSecond > 0 && options.ratePerSecond <= 50)) throw new GatewayError('GATEWAY.CONFIG_INVALID', `ratePerSecond must be in (0, 50], got ${options.ratePerSecond}`);
    this.tokens = this.capacity;
    this.lastRefill = scheduler.now();
  }

  get capacity(): number {
    return Math.max(1, this.options.burst ?? Math.ceil(this.options.ratePerSecond / 5));
  }

  /** Messages released so far (for metrics and tests). */
  get released(): number {
    return this.sent;
  }

  /** Waiters not yet released. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves when one message may be sent; callers are released in call order. */
  take(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.drain();
    });
  }

  /** Rejects every waiter (e.g. at shutdown) with `GATEWAY.PACER_CLOSED`. */
  close(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w.reject(new GatewayError('GATEWAY.PACER_CLOSED', 'message pacer closed'));
  }

  private refill(): void {
    const now = this.scheduler.now();
    const elapsed = now - this.lastRefill;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.options.ratePerSecond) / 1000);
      this.lastRefill = now;
    }
  }

  private drain(): void {
    this.refill();
    while (this.waiters.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.sent += 1;
      this.waiters.shift()?.resolve();
    }
    if (this.waiters.length > 0 && this.timer === undefined) {
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond);
      this.timer = this.scheduler.setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, Math.max(1, waitMs));
    }
  }
}
