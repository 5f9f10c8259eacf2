import { describe, expect, it } from 'vitest';
import { aggregateHealth, isReady } from '../../../lib/core/health/aggregate.js';
import type { ComponentHealth, HealthStatus } from '../../../lib/core/health/health.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';

const NOW = new Date('2026-11-26T14:30:00.000Z');
const OPTS = { now: NOW, staleAfterMs: 30_000 };
const beat = (component: string, status: HealthStatus = 'ok', ageMs = 1_000, detail: Record<string, unknown> = {}): ComponentHealth => ({
  component, status, detail, observedAt: new Date(NOW.getTime() - ageMs).toISOString(),
});
const ALL_OK = [beat('broker', 'ok', 1_000, { connected: true }), beat('event_bus'), beat('state_store'), beat('blob_store'), beat('agent:risk')];
const state = (mode: TradingState['mode']): TradingState => ({ mode, version: 1, changedAt: NOW.toISOString(), changedBy: 'system', reason: 'start' });

describe('aggregateHealth', () => {
  it('is ok when every component is ok, in the /health body shape', () => {
    const report = aggregateHealth(ALL_OK, OPTS);
    expect(report).toEqual({
      status: 'ok',
      checkedAt: NOW.toISOString(),
      components: {
        'agent:risk': { status: 'ok', detail: {} },
        blob_store: { status: 'ok', detail: {} },
        broker: { status: 'ok', detail: { connected: true } },
        event_bus: { status: 'ok', detail: {} },
        state_store: { status: 'ok', detail: {} },
      },
    });
  });

  it('marks a stale heartbeat down and keeps what it last said', () => {
    const report = aggregateHealth([...ALL_OK.filter((c) => c.component !== 'agent:risk'), beat('agent:risk', 'ok', 30_001, { lastRun: 'x' })], OPTS);
    expect(report.components['agent:risk']).toEqual({ status: 'down', detail: { lastRun: 'x', stale: true, lastSeenAt: '2026-11-26T14:29:29.999Z', staleAfterMs: 30_000 } });
    expect(report.status).toBe('degraded');
  });

  it('accepts a heartbeat exactly at the staleness limit', () => {
    expect(aggregateHealth([beat('broker', 'ok', 30_000), beat('event_bus'), beat('state_store')], OPTS).status).toBe('ok');
  });

  it.each(['broker', 'event_bus', 'state_store'])('is down when critical %s is down', (name) => {
    const comps = ALL_OK.map((c) => (c.component === name ? beat(name, 'down') : c));
    expect(aggregateHealth(comps, OPTS).status).toBe('down');
  });

  it.each([
    ['a critical component is degraded', ALL_OK.map((c) => (c.component === 'broker' ? beat('broker', 'degraded') : c))],
    ['an agent is down', ALL_OK.map((c) => (c.component === 'agent:risk' ? beat('agent:risk', 'down') : c))],
    ['the blob store is down', ALL_OK.map((c) => (c.component === 'blob_store' ? beat('blob_store', 'down') : c))],
  ])('is degraded when %s', (_why, comps) => {
    expect(aggregateHealth(comps, OPTS).status).toBe('degraded');
  });

  it('reports a missing critical component as down', () => {
    const report = aggregateHealth([beat('event_bus'), beat('state_store')], OPTS);
    expect(report.components.broker).toEqual({ status: 'down', detail: { error: 'not reported' } });
    expect(report.status).toBe('down');
  });

  it('uses the newer of two reports from one component', () => {
    const report = aggregateHealth([beat('broker', 'ok', 500), beat('broker', 'down', 5_000), beat('event_bus'), beat('state_store')], OPTS);
    expect(report.components.broker?.status).toBe('ok');
  });
});

describe('isReady', () => {
  it('is ready with the critical components ok and trading ACTIVE or REDUCING, whatever the agents say', () => {
    const report = aggregateHealth([...ALL_OK.filter((c) => c.component !== 'agent:risk'), beat('agent:risk', 'down')], OPTS);
    expect(isReady(report, state('ACTIVE'))).toEqual({ ready: true, waitingFor: [] });
    expect(isReady(report, state('REDUCING')).ready).toBe(true);
  });

  it('waits for every critical component that is not ok and for the trading state', () => {
    const report = aggregateHealth([beat('broker', 'degraded'), beat('state_store')], OPTS);
    const verdict = isReady(report, undefined);
    expect(verdict).toEqual({ ready: false, waitingFor: ['broker (degraded)', 'event_bus (down)', 'trading-state (not initialised)'] });
    expect(verdict.waitingFor.join(' ')).not.toMatch(/ready/i);
  });

  it('is not ready while HALTED', () => {
    expect(isReady(aggregateHealth(ALL_OK, OPTS), state('HALTED'))).toEqual({ ready: false, waitingFor: ['trading-state (HALTED)'] });
  });
});
