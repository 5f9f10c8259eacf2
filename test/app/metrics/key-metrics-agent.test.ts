import { describe, expect, it } from 'vitest';
import { createKeyMetricsAgent } from '../../../lib/app/metrics/key-metrics-agent.js';
import { createEvent } from '../../../lib/core/events/catalog.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { InMemoryKeyMetricsStore } from '../../../lib/adapters/memory/key-metrics-store.js';
import { RecordingMetricsSink } from '../../support/doubles.js';

describe('the metrics agent', () => {
  it('sends the samples of each event to the sink and the dashboard store', async () => {
    const clock = new ManualClock('2026-11-27T15:00:00.100Z');
    const sink = new RecordingMetricsSink();
    const store = new InMemoryKeyMetricsStore();
    const agent = createKeyMetricsAgent({ sink, store, clock });
    await agent(createEvent('GatewayHeartbeat', { connected: true }, { eventId: 'e-1', now: new Date('2026-11-27T15:00:00.000Z'), correlationId: 'c' }));
    expect(sink.samples.map((s) => [s.metric, s.value])).toEqual([['event_bus_latency_ms', 100], ['broker_connected', 1]]);
    expect((await store.latest()).map((r) => r.metric).sort()).toEqual(['broker_connected', 'event_bus_latency_ms']);
  });

  it('refuses an event that is not in the catalog shape (the rule retries, then dead-letters it)', async () => {
    const agent = createKeyMetricsAgent({ sink: new RecordingMetricsSink(), store: new InMemoryKeyMetricsStore(), clock: new ManualClock('2026-11-27T15:00:00.000Z') });
    await expect(agent({ eventId: 'e' as never, source: 'tradeops.gateway', detailType: 'GatewayHeartbeat', tsEvent: 'x', tsInit: 'x', correlationId: 'c' as never, detail: { connected: 'yes' } })).rejects.toThrow();
  });
});
