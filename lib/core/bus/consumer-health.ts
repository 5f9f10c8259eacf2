/**
 * Judging a bus consumer from its figures, with the runbook's thresholds: "if backlog > 1000,
 * consider clearing" and the Key Metrics row "Event Bus Latency: < 10 ms normal, 10–50 ms warning,
 * > 50 ms critical". Latency here is publish → handler done, so it includes the handler's own work
 * (a DynamoDB write); it is a consumer's latency, not the bus's.
 */
export const BUS_THRESHOLDS = Object.freeze({
  /** Runbook: backlog above this → consider clear_stale. */
  backlogCritical: 1000,
  latencyWarningMs: 10,
  latencyCriticalMs: 50,
  /** An event waiting longer than this means the consumer is not keeping up, whatever its p99. */
  oldestAgeCriticalMs: 10_000,
});

export interface ConsumerSignals {
  backlog: number | null;
  oldestAgeMs: number | null;
  retrying?: number | null;
  latencyP99Ms: number | null;
  paused?: boolean;
}

export type ConsumerVerdict = 'ok' | 'slow' | 'backlogged' | 'failing' | 'restarting' | 'unknown';

/**
 * The worst thing true of a consumer, in this precedence: restarting, backlogged, failing
 * (deliveries waiting out a retry), slow (p99 over the runbook's critical latency or an event
 * older than `oldestAgeCriticalMs`), ok; `unknown` when no figure is available (AWS).
 * @example judgeConsumer({ backlog: 1500, oldestAgeMs: 200, latencyP99Ms: 3 }) // 'backlogged'
 */
export function judgeConsumer(s: ConsumerSignals, t: typeof BUS_THRESHOLDS = BUS_THRESHOLDS): ConsumerVerdict {
  if (s.paused) return 'restarting';
  if (s.backlog === null && s.oldestAgeMs === null && s.latencyP99Ms === null) return 'unknown';
  if ((s.backlog ?? 0) > t.backlogCritical) return 'backlogged';
  if ((s.retrying ?? 0) > 0) return 'failing';
  if ((s.latencyP99Ms ?? 0) > t.latencyCriticalMs || (s.oldestAgeMs ?? 0) > t.oldestAgeCriticalMs) return 'slow';
  return 'ok';
}

/**
 * Slowest first: by age of the oldest waiting event, then backlog, then p99 latency, then DLQ
 * depth (what AWS can report); `null` sorts as 0. Ties keep the given order.
 */
export function slowestFirst<T extends { oldestAgeMs: number | null; backlog: number | null; latencyMs: { p99: number } | null; dlqDepth: number | null }>(consumers: readonly T[]): T[] {
  const key = (c: T) => [c.oldestAgeMs ?? 0, c.backlog ?? 0, c.latencyMs?.p99 ?? 0, c.dlqDepth ?? 0];
  return consumers
    .map((c, i) => ({ c, i, k: key(c) }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j += 1) if (a.k[j] !== b.k[j]) return b.k[j]! - a.k[j]!;
      return a.i - b.i;
    })
    .map((x) => x.c);
}

/** Sum of the non-null values; `null` if every one is null (the figure does not exist here). */
export function sumOrNull(values: ReadonlyArray<number | null>): number | null {
  let seen = false;
  let total = 0;
  for (const v of values) {
    if (v === null) continue;
    seen = true;
    total += v;
  }
  return seen ? total : null;
}
