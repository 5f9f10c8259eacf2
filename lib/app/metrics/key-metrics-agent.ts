import { parseEvent } from '../../core/events/catalog.js';
import { samplesOf } from '../../core/metrics/key-metrics.js';
import type { Clock } from '../../core/shared/clock.js';
import type { EventHandler } from '../../ports/events.js';
import type { KeyMetricsStore, MetricsSink } from '../../ports/metrics.js';

/**
 * The Key Metrics agent: turns the events that carry a key metric (gateway heartbeats, finished
 * orders' execution quality, risk cycles) into samples — to CloudWatch (EMF) or the local log, and
 * to the dashboard store behind `GET /api/metrics`. Every delivery also samples the bus latency.
 * Replays are harmless: a sample is a reading, not a count.
 */
export function createKeyMetricsAgent(deps: { sink: MetricsSink; store: KeyMetricsStore; clock: Clock }): EventHandler {
  return async (envelope) => {
    const samples = samplesOf(parseEvent(envelope), deps.clock.now());
    await Promise.all([deps.sink.record(samples), deps.store.record(samples)]);
  };
}
