import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LatencyWindow, oldestAgeMs } from '../../../lib/core/bus/latency-window.js';
import { BUS_THRESHOLDS, judgeConsumer, slowestFirst, sumOrNull } from '../../../lib/core/bus/consumer-health.js';
import { backoffMs, CONSUMER_DELIVERY_POLICY } from '../../../lib/core/bus/delivery-policy.js';
import { percentile } from '../../../lib/core/shared/percentile.js';
import { percentile as executionPercentile } from '../../../lib/core/execution/stats.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';

describe('LatencyWindow', () => {
  it('reports nearest-rank p50 and p99 of what it holds', () => {
    const w = new LatencyWindow(1000);
    for (let ms = 1; ms <= 100; ms += 1) w.record(ms);

    expect(w.summary()).toEqual({ p50: 50, p99: 99, samples: 100 });
  });

  it('reports zeros with no samples', () => {
    expect(new LatencyWindow(10).summary()).toEqual({ p50: 0, p99: 0, samples: 0 });
  });

  it('keeps only the last `capacity` samples: old slowness ages out, memory stays bounded', () => {
    const w = new LatencyWindow(100);
    for (let i = 0; i < 100; i += 1) w.record(5_000);
    for (let i = 0; i < 250; i += 1) w.record(2);

    expect(w.size).toBe(100);
    expect(w.summary()).toEqual({ p50: 2, p99: 2, samples: 100 });
  });

  it('agrees with percentile over the last `capacity` samples, whatever was recorded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 300 }), (capacity, xs) => {
        const w = new LatencyWindow(capacity);
        xs.forEach((x) => w.record(x));
        const last = xs.slice(-capacity);
        expect(w.summary()).toEqual({ p50: percentile(last, 0.5), p99: percentile(last, 0.99), samples: last.length });
      }),
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LatencyWindow(0)).toThrow(RangeError);
    expect(() => new LatencyWindow(1.5)).toThrow(RangeError);
  });
});

describe('percentile', () => {
  it('has one home: execution statistics re-export the same function', () => {
    expect(executionPercentile).toBe(percentile);
  });
});

describe('oldestAgeMs', () => {
  it('grows with the clock while the oldest event waits', () => {
    const clock = new ManualClock('2026-11-27T15:00:00.000Z');
    const published = [clock.now().getTime()];
    clock.advance(400);
    published.push(clock.now().getTime());

    const first = oldestAgeMs(published, clock.now().getTime());
    clock.advance(1_000);
    const later = oldestAgeMs(published, clock.now().getTime());

    expect(first).toBe(400);
    expect(later).toBe(1_400);
  });

  it('is 0 with nothing waiting and never negative when the clock steps back', () => {
    expect(oldestAgeMs([], 1_000)).toBe(0);
    expect(oldestAgeMs([2_000], 1_000)).toBe(0);
  });
});

describe('judgeConsumer', () => {
  it.each([
    [{ backlog: 0, oldestAgeMs: 0, latencyP99Ms: 3 }, 'ok'],
    [{ backlog: BUS_THRESHOLDS.backlogCritical + 1, oldestAgeMs: 0, latencyP99Ms: 3 }, 'backlogged'],
    [{ backlog: BUS_THRESHOLDS.backlogCritical, oldestAgeMs: 0, latencyP99Ms: 3 }, 'ok'],
    [{ backlog: 1, oldestAgeMs: 0, latencyP99Ms: 3, retrying: 1 }, 'failing'],
    [{ backlog: 0, oldestAgeMs: 0, latencyP99Ms: 51 }, 'slow'],
    [{ backlog: 3, oldestAgeMs: 10_001, latencyP99Ms: 1 }, 'slow'],
    [{ backlog: 5_000, oldestAgeMs: 0, latencyP99Ms: 1, paused: true }, 'restarting'],
    [{ backlog: null, oldestAgeMs: null, latencyP99Ms: null }, 'unknown'],
  ] as const)('judges %j as %s', (signals, verdict) => {
    expect(judgeConsumer(signals)).toBe(verdict);
  });
});

describe('slowestFirst', () => {
  it('orders by oldest waiting event, then backlog, then p99, then DLQ depth; nulls as 0', () => {
    const c = (name: string, oldestAgeMs: number | null, backlog: number | null, p99: number | null, dlqDepth: number | null) => ({ name, oldestAgeMs, backlog, latencyMs: p99 === null ? null : { p99 }, dlqDepth });
    const sorted = slowestFirst([c('idle', 0, 0, 1, 0), c('old', 9_000, 1, 1, 0), c('deep', 10, 500, 1, 0), c('tail', 10, 500, 80, 0), c('aws', null, null, null, 4)]);

    expect(sorted.map((x) => x.name)).toEqual(['old', 'tail', 'deep', 'idle', 'aws']);
  });
});

describe('sumOrNull', () => {
  it('sums what exists and is null only when nothing does', () => {
    expect(sumOrNull([1, null, 2])).toBe(3);
    expect(sumOrNull([null, null])).toBeNull();
    expect(sumOrNull([])).toBeNull();
  });
});

describe('CONSUMER_DELIVERY_POLICY', () => {
  it('backs off exponentially from the first backoff, capped', () => {
    const waits = Array.from({ length: CONSUMER_DELIVERY_POLICY.retryAttempts }, (_, i) => backoffMs(CONSUMER_DELIVERY_POLICY, i + 1));

    expect(waits).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
  });
});
