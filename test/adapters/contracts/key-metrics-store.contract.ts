import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_READINGS } from '../../../lib/ports/metrics.js';
import { openOnce, type StoreBackend } from './backends.js';

/** The KeyMetricsStore port's contract, run against each backend. */
export function keyMetricsStoreContract(backend: StoreBackend): void {
  describe(`KeyMetricsStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const store = () => h().stores.keyMetrics;

    it('keeps the latest reading per metric and a bounded window of recent ones', async () => {
      expect(await store().latest()).toEqual([]);
      const at = (i: number) => new Date(Date.UTC(2026, 10, 27, 15, 0, i)).toISOString();
      for (let i = 0; i < RECENT_READINGS + 5; i++) await store().record([{ metric: 'broker_connected', value: i % 2, at: at(i) }, { metric: 'event_bus_latency_ms', value: i, at: at(i) }]);
      const readings = new Map((await store().latest()).map((r) => [r.metric, r]));
      expect(readings.get('event_bus_latency_ms')).toMatchObject({ value: RECENT_READINGS + 4, at: at(RECENT_READINGS + 4) });
      expect(readings.get('event_bus_latency_ms')?.recent).toHaveLength(RECENT_READINGS);
      expect(readings.get('event_bus_latency_ms')?.recent[0]).toEqual({ value: 5, at: at(5) });
      expect(readings.get('broker_connected')?.value).toBe(0);
    });

    it('takes several samples of one metric in one call, the last one as latest', async () => {
      await store().record([{ metric: 'fill_rate', value: 1, at: '2026-11-27T15:01:00.000Z' }, { metric: 'fill_rate', value: 0.5, at: '2026-11-27T15:01:01.000Z' }]);
      const r = (await store().latest()).find((x) => x.metric === 'fill_rate');
      expect(r?.value).toBe(0.5);
      expect(r?.recent.map((x) => x.value)).toEqual([1, 0.5]);
    });
  });
}
