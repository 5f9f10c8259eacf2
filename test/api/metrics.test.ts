import { describe, expect, it } from 'vitest';
import { apiHarness } from './api-harness.js';

describe('GET /api/metrics (Key Metrics dashboard)', () => {
  it('lists every key metric, unknown before any reading', async () => {
    const h = apiHarness();
    const res = await h.call('GET', '/api/metrics');
    expect(res.status).toBe(200);
    const body = res.body as { level: string; metrics: Array<{ metric: string; level: string; value: number | null }> };
    expect(body.metrics.map((m) => m.metric).sort()).toEqual(['broker_connected', 'event_bus_latency_ms', 'fill_rate', 'leverage', 'portfolio_var_utilization', 'slippage_bps']);
    expect(body.metrics.every((m) => m.level === 'unknown' && m.value === null)).toBe(true);
  });

  it('classifies the latest readings against the alerts and reports the worst level', async () => {
    const h = apiHarness();
    h.deps.keyMetricAlerts = [
      { name: 'leverage_warning', metric: 'leverage', threshold: 1.5, comparison: 'above', severity: 'WARNING' },
      { name: 'broker_disconnect', metric: 'broker_connected', threshold: false, comparison: 'equals', severity: 'CRITICAL' },
    ];
    await h.stores.keyMetrics.record([
      { metric: 'leverage', value: 1.2, at: '2026-11-27T14:59:00.000Z' },
      { metric: 'leverage', value: 1.6, at: '2026-11-27T15:00:00.000Z' },
      { metric: 'broker_connected', value: 1, at: '2026-11-27T15:00:00.000Z' },
    ]);
    const body = (await h.call('GET', '/api/metrics')).body as { level: string; metrics: Array<Record<string, unknown>> };
    expect(body.level).toBe('warning');
    expect(body.metrics.find((m) => m['metric'] === 'leverage')).toMatchObject({ value: 1.6, level: 'warning', breached: ['leverage_warning'], thresholds: [{ alert: 'leverage_warning', threshold: 1.5 }], recent: [{ value: 1.2 }, { value: 1.6 }] });
    expect(body.metrics.find((m) => m['metric'] === 'broker_connected')).toMatchObject({ value: 1, level: 'normal' });
  });
});
