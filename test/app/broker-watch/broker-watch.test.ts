import { describe, expect, it } from 'vitest';
import { createBrokerWatch, DEFAULT_BROKER_WATCH_ALERT, type BrokerWatchSettings } from '../../../lib/app/broker-watch/broker-watch.js';
import { BROKER_WATCH_ACTOR } from '../../../lib/core/broker/broker-halt.js';
import type { BrokerReconciled } from '../../../lib/core/broker/reconciliation.js';
import { createEvent } from '../../../lib/core/events/catalog.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';
import { InMemoryHealthStore, InMemoryTradingStateStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher, RecordingNotifier } from '../../support/doubles.js';

// Thursday 2026-11-26 14:30 ET: no maintenance window.
const MARKET_HOURS = new Date('2026-11-26T19:30:00.000Z');
// Thursday 23:50 ET: inside the daily restart.
const DAILY_RESTART = new Date('2026-11-27T04:50:00.000Z');
const SETTINGS: BrokerWatchSettings = { alert: DEFAULT_BROKER_WATCH_ALERT, maintenanceWindows: [{ name: 'daily-restart', at: '23:45', timezone: 'America/New_York', durationMinutes: 10 }] };

function setup(initial: Partial<TradingState> = {}, settings: BrokerWatchSettings = SETTINGS) {
  let now = MARKET_HOURS;
  const tradingState = new InMemoryTradingStateStore({ mode: 'ACTIVE', version: 4, changedAt: '2026-11-26T13:00:00.000Z', changedBy: 'system', reason: 'start', ...initial });
  const publisher = new RecordingPublisher();
  const notifier = new RecordingNotifier();
  const health = new InMemoryHealthStore();
  let n = 0;
  const handle = createBrokerWatch({ tradingState, health, publisher, notifier, clock: { now: () => now }, newId: () => `e-${++n}`, logger: new MemoryLogger(), settings: () => settings });
  const at = (d: Date) => {
    now = d;
  };
  const disconnected = (when = now, reason = 'socket closed', code?: number) => handle(createEvent('BrokerConnectionChanged', { state: 'disconnected', reason, ...(code === undefined ? {} : { code }) }, { eventId: `d-${++n}`, now: when, correlationId: 'gw-session' }));
  const reconciled = (detail: Partial<BrokerReconciled> = {}, when = new Date(now.getTime() + 5_000)) =>
    handle(createEvent('BrokerReconciled', { sessionId: 2, trigger: 'login', aligned: true, differences: [], adoptedExternal: [], resolvedOrders: [], fillsRecovered: 1, openOrders: 0, brokerPositions: [], positionsBaseline: 'ledger', reconciledAt: when.toISOString(), ...detail }, { eventId: `r-${++n}`, now: when, correlationId: 'gw-session' }));
  return { tradingState, publisher, notifier, health, at, disconnected, reconciled };
}

describe('broker-watch', () => {
  it('halts with one conditional write, publishes TradingStateChanged and pages oncall on a disconnect outside maintenance', async () => {
    const w = setup();
    await w.disconnected(MARKET_HOURS, 'IB 1100: connectivity lost', 1100);
    const state = await w.tradingState.get();
    expect(state).toMatchObject({ mode: 'HALTED', version: 5, changedBy: BROKER_WATCH_ACTOR });
    expect(state?.reason).toMatch(/^broker_disconnect: IB 1100: connectivity lost \(IB 1100\) \[resume: ACTIVE\]$/);
    expect(w.publisher.ofType('TradingStateChanged').map((e) => e.detail)).toEqual([{ from: 'ACTIVE', to: 'HALTED', version: 5, changedBy: BROKER_WATCH_ACTOR, reason: state?.reason }]);
    expect(w.notifier.sent).toHaveLength(1);
    expect(w.notifier.sent[0]).toMatchObject({ audience: ['oncall'], severity: 'CRITICAL', data: { alert: 'broker_disconnect' } });
  });

  it('neither writes nor pages again for a repeated disconnect (at-least-once delivery, reconnect attempts)', async () => {
    const w = setup();
    await w.disconnected();
    await w.disconnected();
    await w.disconnected(MARKET_HOURS, 'connect ECONNREFUSED');
    expect((await w.tradingState.get())?.version).toBe(5);
    expect(w.notifier.sent).toHaveLength(1);
  });

  it('halts without paging inside a maintenance window, and pages once if the outage is still there after it', async () => {
    const w = setup();
    w.at(DAILY_RESTART);
    await w.disconnected();
    expect((await w.tradingState.get())?.reason).toMatch(/^broker_maintenance: .*daily-restart.*\[resume: ACTIVE\]$/);
    expect(w.notifier.sent).toEqual([]);
    const after = new Date(DAILY_RESTART.getTime() + 15 * 60_000);
    w.at(after);
    await w.disconnected(after, 'connect ECONNREFUSED');
    expect((await w.tradingState.get())?.reason).toMatch(/^broker_disconnect: .*\[resume: ACTIVE\]$/);
    expect(w.notifier.sent).toHaveLength(1);
  });

  it('lifts its own halt back to the mode before it once the broker is reconciled and aligned', async () => {
    const w = setup({ mode: 'REDUCING' });
    await w.disconnected();
    await w.reconciled();
    expect(await w.tradingState.get()).toMatchObject({ mode: 'REDUCING', version: 6, changedBy: BROKER_WATCH_ACTOR });
    expect(w.publisher.ofType('TradingStateChanged').map((e) => `${String(e.detail['from'])}→${String(e.detail['to'])}`)).toEqual(['REDUCING→HALTED', 'HALTED→REDUCING']);
  });

  it("never lifts a person's halt, even when aligned", async () => {
    const w = setup();
    await w.disconnected();
    const ours = await w.tradingState.get();
    await w.tradingState.compareAndSet(ours!.version, { mode: 'HALTED', changedAt: MARKET_HOURS.toISOString(), changedBy: 'john.doe', reason: 'Manual activation' });
    await w.reconciled();
    expect(await w.tradingState.get()).toMatchObject({ mode: 'HALTED', changedBy: 'john.doe' });
  });

  it('does not resume on a reconciliation older than its halt', async () => {
    const w = setup();
    await w.disconnected();
    await w.reconciled({}, new Date(MARKET_HOURS.getTime() - 60_000));
    expect((await w.tradingState.get())?.mode).toBe('HALTED');
  });

  it('keeps trading halted on a mismatch, says what differs, and pages', async () => {
    const w = setup();
    await w.disconnected();
    const diff = { kind: 'position' as const, account: 'DU1', symbol: 'AAPL', ours: '10', broker: '20', message: 'broker holds 10 more AAPL in DU1 than our fills explain (ours 10, broker 20)' };
    await w.reconciled({ aligned: false, differences: [diff] });
    const state = await w.tradingState.get();
    expect(state?.mode).toBe('HALTED');
    expect(state?.reason).toMatch(/^broker_mismatch: 1 difference\(s\): broker holds 10 more AAPL.*\[resume: ACTIVE\]$/);
    expect(w.notifier.sent.at(-1)).toMatchObject({ severity: 'CRITICAL', data: { differences: [diff] } });
    expect(w.notifier.sent.at(-1)?.message).toContain('10 more AAPL');
    // Once aligned (after a person fixed it and asked again) trading resumes.
    await w.reconciled({}, new Date(MARKET_HOURS.getTime() + 60_000));
    expect((await w.tradingState.get())?.mode).toBe('ACTIVE');
  });

  it('halts an ACTIVE system whose reconciliation is not aligned', async () => {
    const w = setup();
    await w.reconciled({ aligned: false, differences: [{ kind: 'order', clientOrderId: 'CO-1', ours: 'PENDING_CANCEL', broker: 'not open', message: 'x' }] });
    expect(await w.tradingState.get()).toMatchObject({ mode: 'HALTED', changedBy: BROKER_WATCH_ACTOR });
  });

  it('ignores a late disconnect event when the bridge has since reported connected and reconciled', async () => {
    const w = setup();
    await w.health.report({ component: 'broker', status: 'ok', detail: { connected: true, reconciled: true }, observedAt: new Date(MARKET_HOURS.getTime() + 1_000).toISOString() });
    await w.disconnected(MARKET_HOURS);
    expect((await w.tradingState.get())?.mode).toBe('ACTIVE');
  });

  it("pages but writes nothing when a person's halt is already on, and ignores a bridge stopped on purpose", async () => {
    const w = setup({ mode: 'HALTED', changedBy: 'john.doe', reason: 'Manual activation' });
    await w.disconnected(MARKET_HOURS, 'stopped');
    expect(w.notifier.sent).toEqual([]);
    await w.disconnected();
    expect((await w.tradingState.get())?.version).toBe(4);
    expect(w.notifier.sent).toHaveLength(1);
  });
});
