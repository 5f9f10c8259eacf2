import type { Scheduler, TimerHandle } from './scheduler.js';
import { GatewayError } from './errors.js';

/**
 * A FIFO token bucket for every message the bridge sends to IB (orders, cancels, market-data and
 * account requests, watchdog probes). IB allows 50 messages/s and may disconnect a client that
 * exceeds it (error 100); we stay under it with `ratePerSecond` (default 40) and a small burst.
 * In any one-second window at most `burst + ratePerSecond` messages leave, so burst ≤ 50 − rate.
 *
 * Three lanes: an `urgent` take (cancels, the kill switch's global cancel and its read-back) goes
 * ahead of every ordinary one, so a kill switch never queues behind a backlog of orders; a
 * `background` take (daily-bar requests for a whole universe) goes after every ordinary one, so a
 * history fetch never delays an order; and
 * ordinary takes carry a tag, so the ones not yet released can be withdrawn (`withdraw`) — a
 * placeOrder still waiting for a token when trading halts is never sent.
 *
 * @example
 * const pacer = new MessagePacer({ ratePerSecond: 40, burst: 8 }, systemScheduler);
 * await pacer.take(); raw.placeOrder(...);
 */
export class MessagePacer {
  private tokens: number;
  private lastRefill: number;
  private readonly waiters: Array<{ resolve: () => void; reject: (e: unknown) => void; urgent: boolean; lane: number; tag: string | undefined }> = [];
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

  /**
   * Resolves when one message may be sent: urgent callers first, background ones last, each lane in call order.
   * @throws GatewayError `GATEWAY.WITHDRAWN` if withdrawn before release; `GATEWAY.PACER_CLOSED` at close
   */
  take(options: { urgent?: boolean; background?: boolean; tag?: string } = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const lane = options.urgent === true ? 0 : options.background === true ? 2 : 1;
      const waiter = { resolve, reject, urgent: lane === 0, lane, tag: options.tag };
      // Each lane in call order, lanes by rank: a waiter goes before the first one of a lower rank.
      const firstLower = this.waiters.findIndex((w) => w.lane > lane);
      this.waiters.splice(firstLower === -1 ? this.waiters.length : firstLower, 0, waiter);
      this.drain();
    });
  }

  /** Rejects every ordinary waiter with `tag` that is not released yet; returns how many. */
  withdraw(tag: string, reason: string): number {
    let n = 0;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.urgent || w.tag !== tag) continue;
      this.waiters.splice(i, 1);
      w.reject(new GatewayError('GATEWAY.WITHDRAWN', `${tag} withdrawn before it was sent: ${reason}`));
      n += 1;
    }
    return n;
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
