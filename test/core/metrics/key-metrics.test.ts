import { describe, expect, it } from 'vitest';
import { createEvent } from '../../../lib/core/events/catalog.js';
import { levelOf, samplesOf, type KeyMetricAlert } from '../../../lib/core/metrics/key-metrics.js';

const at = new Date('2026-11-27T15:00:00.250Z');
const opts = (tsEvent: string) => ({ eventId: 'e-1', now: new Date(tsEvent), correlationId: 'c-1' });

// The runbook's Key Metrics thresholds, as config/*.yaml declares them.
const ALERTS: KeyMetricAlert[] = [
  { name: 'var_warning', metric: 'portfolio_var_utilization', threshold: 0.8, comparison: 'above', severity: 'WARNING' },
  { name: 'var_critical', metric: 'portfolio_var_utilization', threshold: 0.9, comparison: 'above', severity: 'CRITICAL' },
  { name: 'leverage_warning', metric: 'leverage', threshold: 1.5, comparison: 'above', severity: 'WARNING' },
  { name: 'leverage_critical', metric: 'leverage', threshold: 1.8, comparison: 'above', severity: 'CRITICAL' },
  { name: 'fill_rate_warning', metric: 'fill_rate', threshold: 0.95, comparison: 'below', severity: 'WARNING' },
  { name: 'fill_rate_critical', metric: 'fill_rate', threshold: 0.9, comparison: 'below', severity: 'CRITICAL' },
  { name: 'broker_disconnect', metric: 'broker_connected', threshold: false, comparison: 'equals', severity: 'CRITICAL' },
];

describe('key-metric samples of an event', () => {
  it('reads broker_connected from a gateway heartbeat, with the delivery latency', () => {
    const e = createEvent('GatewayHeartbeat', { connected: false }, opts('2026-11-27T15:00:00.200Z'));
    expect(samplesOf(e, at)).toEqual([
      { metric: 'event_bus_latency_ms', value: 50, at: at.toISOString() },
      { metric: 'broker_connected', value: 0, at: at.toISOString() },
    ]);
  });

  it('reads fill rate and slippage from a finished order', () => {
    const e = createEvent('ExecutionQualityUpdated', { clientOrderId: 'CO-20261127-000001' as never, outcome: 'FILLED', filledQuantity: 90, orderedQuantity: 100, fillRatio: '0.9', slippageBps: '-1.5' }, opts('2026-11-27T15:00:00.000Z'));
    expect(samplesOf(e, at).map((s) => [s.metric, s.value])).toEqual([['event_bus_latency_ms', 250], ['fill_rate', 0.9], ['slippage_bps', -1.5]]);
  });

  it('reads VaR utilisation and leverage from a risk cycle, and leaves leverage out when unknown', () => {
    const e = createEvent('RiskMetricsComputed', { computedAt: '2026-11-27T15:00:00.000Z', var: '41250', limit: '50000', varUtilization: 0.825, dailyLossUtilization: 0 }, opts('2026-11-27T15:00:00.000Z'));
    expect(samplesOf(e, at).map((s) => s.metric)).toEqual(['event_bus_latency_ms', 'portfolio_var_utilization']);
  });

  it('never reports a negative latency when the sender clock runs ahead', () => {
    const e = createEvent('GatewayHeartbeat', { connected: true }, opts('2026-11-27T15:00:01.000Z'));
    expect(samplesOf(e, at)[0]?.value).toBe(0);
  });
});

describe('dashboard level of a reading', () => {
  it('follows the runbook table: normal, warning band, critical beyond', () => {
    expect(levelOf('leverage', 1.2, ALERTS).level).toBe('normal');
    expect(levelOf('leverage', 1.6, ALERTS)).toEqual({ level: 'warning', breached: ['leverage_warning'] });
    expect(levelOf('leverage', 1.9, ALERTS)).toEqual({ level: 'critical', breached: ['leverage_warning', 'leverage_critical'] });
    expect(levelOf('portfolio_var_utilization', 0.85, ALERTS).level).toBe('warning');
    expect(levelOf('fill_rate', 0.97, ALERTS).level).toBe('normal');
    expect(levelOf('fill_rate', 0.92, ALERTS).level).toBe('warning');
    expect(levelOf('fill_rate', 0.85, ALERTS).level).toBe('critical');
  });

  it('treats broker_connected as a boolean and a missing reading as unknown', () => {
    expect(levelOf('broker_connected', 0, ALERTS).level).toBe('critical');
    expect(levelOf('broker_connected', 1, ALERTS).level).toBe('normal');
    expect(levelOf('slippage_bps', undefined, ALERTS)).toEqual({ level: 'unknown', breached: [] });
  });
});
