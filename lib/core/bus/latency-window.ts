import { percentile } from '../shared/percentile.js';

/** Delivery latency of one consumer over its last deliveries. */
export interface LatencySummary {
  p50: number;
  p99: number;
  /** How many deliveries the figures are over (at most the window's capacity). */
  samples: number;
}

/**
 * The last `capacity` latency samples in a fixed ring: memory stays bounded however long the
 * system runs, and recording is O(1) (no shifting an array on the delivery path).
 * @example
 * const w = new LatencyWindow(1000); w.record(3); w.record(40); w.summary() // { p50: 3, p99: 40, samples: 2 }
 */
export class LatencyWindow {
  private readonly ring: number[] = [];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LatencyWindow capacity must be a positive integer, got ${capacity}`);
  }

  record(ms: number): void {
    if (this.ring.length < this.capacity) this.ring.push(ms);
    else this.ring[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.ring.length;
  }

  /** Nearest-rank p50/p99 of the window; zeros (with `samples: 0`) before the first delivery. */
  summary(): LatencySummary {
    return { p50: percentile(this.ring, 0.5) ?? 0, p99: percentile(this.ring, 0.99) ?? 0, samples: this.ring.length };
  }
}

/**
 * Age of the oldest of the given publish times (ms since epoch) at `nowMs`; 0 when there is none,
 * never negative (a clock that steps back does not report a negative age).
 * @example oldestAgeMs([1_000, 400, 900], 1_500) // 1100
 */
export function oldestAgeMs(publishedAtMs: Iterable<number>, nowMs: number): number {
  let oldest = Infinity;
  for (const t of publishedAtMs) if (t < oldest) oldest = t;
  return oldest === Infinity ? 0 : Math.max(0, nowMs - oldest);
}
