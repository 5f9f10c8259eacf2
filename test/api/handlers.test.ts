import { describe, expect, it } from 'vitest';
import { apiHarness } from './api-harness.js';
import { anOrder } from '../core/builders.js';
import { PositionSchema } from '../../lib/core/positions/position.js';
import { QuoteSchema } from '../../lib/core/market/quote.js';

describe('GET /health', () => {
  it('reports ok with every component when all are healthy', async () => {
    const h = apiHarness();
    await h.allHealthy();
    const res = await h.call('GET', '/health');
    expect(res.status).toBe(200);
    const body = res.body as { status: string; components: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.components).sort()).toEqual(['agent:audit-recorder', 'blob_store', 'broker', 'event_bus', 'state_store']);
  });

  it('is down (503) when the broker bridge never reported, and names why', async () => {
    const h = apiHarness();
    const res = await h.call('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'down', components: { broker: { status: 'down' } } });
  });

  it('treats a stale broker heartbeat as down', async () => {
    const h = apiHarness();
    await h.allHealthy();
    h.clock.advance(60_000);
    await h.stores.health.report({ component: 'agent:audit-recorder', status: 'ok', detail: {}, observedAt: h.clock.now().toISOString() });
    const body = (await h.call('GET', '/health')).body as { components: Record<string, { status: string; detail: Record<string, unknown> }> };
    expect(body.components['broker']).toMatchObject({ status: 'down', detail: { stale: true } });
  });

  it('reports a failing probe as down with its error instead of failing the request', async () => {
    const h = apiHarness();
    await h.allHealthy();
    h.probes['blob_store'] = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
    };
    const res = await h.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', components: { blob_store: { status: 'down', detail: { error: 'connect ECONNREFUSED 127.0.0.1:9000' } } } });
  });
});

describe('GET /ready', () => {
  it('says ready once broker, bus and state store are ok and trading is not halted', async () => {
    const h = apiHarness();
    await h.allHealthy();
    const res = await h.call('GET', '/ready');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('ready');
  });

  it('answers 503 without the word "ready" anywhere while waiting (the runbook greps for it)', async () => {
    const h = apiHarness();
    const res = await h.call('GET', '/ready');
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toMatch(/ready/i);
    expect(res.body).toMatchObject({ waiting_for: expect.arrayContaining(['broker (down)']) });
  });

  it('is not ready while trading is HALTED', async () => {
    const h = apiHarness();
    await h.allHealthy();
    const s = await h.stores.tradingState.get();
    await h.stores.tradingState.compareAndSet(s!.version, { mode: 'HALTED', changedAt: h.clock.now().toISOString(), changedBy: 'john.doe', reason: 'test' });
    expect((await h.call('GET', '/ready')).status).toBe(503);
  });
});

describe('GET /api/system/status', () => {
  it('shows the kill switch off and trading enabled when ACTIVE', async () => {
    const h = apiHarness();
    await h.allHealthy();
    expect((await h.call('GET', '/api/system/status')).body).toMatchObject({ kill_switch: false, trading_enabled: true, trading_state: 'ACTIVE' });
  });

  it('shows the kill switch on, with who, when and why, when HALTED', async () => {
    const h = apiHarness();
    await h.allHealthy();
    await h.stores.tradingState.compareAndSet(0, { mode: 'HALTED', changedAt: '2026-11-27T15:01:00.000Z', changedBy: 'john.doe', reason: 'Manual activation' });
    expect((await h.call('GET', '/api/system/status')).body).toMatchObject({ kill_switch: true, trading_enabled: false, trading_state: 'HALTED', changed_by: 'john.doe', reason: 'Manual activation', changed_at: '2026-11-27T15:01:00.000Z' });
  });
});

describe('GET /api/orders/pending', () => {
  it('counts working orders only, and filters by symbol', async () => {
    const h = apiHarness();
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-1', status: 'ACCEPTED' }));
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-2', status: 'PARTIALLY_FILLED', symbol: 'MSFT', filledQuantity: 10 }));
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-3', status: 'FILLED', filledQuantity: 100 }));
    expect((await h.call('GET', '/api/orders/pending')).body).toMatchObject({ count: 2 });
    expect((await h.call('GET', '/api/orders/pending?symbol=MSFT')).body).toMatchObject({ count: 1, orders: [{ clientOrderId: 'CO-2' }] });
  });
});

describe('GET /api/positions', () => {
  it('values positions exactly at the last price, with totals and no float drift', async () => {
    const h = apiHarness();
    const at = h.clock.now().toISOString();
    await h.stores.positions.replaceAccount('DU1', [
      PositionSchema.parse({ account: 'DU1', symbol: 'AAPL', quantity: 3, avgCost: '0.1', currency: 'USD', realizedPnl: '0.2', updatedAt: at }),
      PositionSchema.parse({ account: 'DU1', symbol: 'MSFT', quantity: -10, avgCost: '415.10', currency: 'USD', realizedPnl: '0.1', updatedAt: at }),
      PositionSchema.parse({ account: 'DU1', symbol: 'SPY', quantity: 0, avgCost: '0', currency: 'USD', realizedPnl: '5', updatedAt: at }),
    ]);
    await h.stores.quotes.putMany([QuoteSchema.parse({ symbol: 'AAPL', last: '0.3', at }), QuoteSchema.parse({ symbol: 'MSFT', bid: '415.00', ask: '415.20', at })]);
    const body = (await h.call('GET', '/api/positions')).body as { count: number; positions: Array<Record<string, unknown>>; totals: Record<string, Record<string, unknown>> };
    expect(body.count).toBe(2);
    // 3 × 0.3 = 0.9 exactly; (0.3 − 0.1) × 3 = 0.6 exactly (floats give 0.8999… and 0.6000…1).
    expect(body.positions[0]).toMatchObject({ symbol: 'AAPL', marketPrice: '0.3', marketValue: '0.9', unrealizedPnl: '0.6' });
    // short 10 at 415.10, mid 415.10 → value −4151, unrealised 0
    expect(body.positions[1]).toMatchObject({ symbol: 'MSFT', marketPrice: '415.1', marketValue: '-4151', unrealizedPnl: '0' });
    expect(body.totals['USD']).toMatchObject({ marketValue: '-4150.1', unrealizedPnl: '0.6', realizedPnl: '5.3', unmarked: [] });
  });
});

describe('GET /api/trades', () => {
  it('lists the trading day of now in New York, with the order’s strategy and exact notional', async () => {
    const h = apiHarness(); // clock: 2026-11-27T15:00Z = 10:00 New York
    const { aFill } = await import('../core/builders.js');
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-T1', status: 'FILLED', filledQuantity: 3, origin: { strategyId: 'momentum-1', agentId: 'cio-agent', agentVersion: '0.1.0', signalIds: ['S1'] } }));
    await h.stores.fills.recordIfNew(aFill({ clientOrderId: 'CO-T1', quantity: 3, price: '0.1', side: 'BUY', executedAt: '2026-11-27T14:59:00.000Z' }));
    await h.stores.fills.recordIfNew(aFill({ clientOrderId: 'CO-T1', quantity: 1, price: '2', side: 'SELL', executedAt: '2026-11-26T20:00:00.000Z' })); // previous NY day
    const body = (await h.call('GET', '/api/trades?date=today')).body as { date: string; count: number; trades: Array<Record<string, unknown>>; totals: Record<string, string> };
    expect(body).toMatchObject({ date: '2026-11-27', count: 1, totals: { boughtNotional: '0.3', soldNotional: '0' } });
    expect(body.trades[0]).toMatchObject({ strategyId: 'momentum-1', notional: '0.3' });
    expect((await h.call('GET', '/api/trades?date=2026-11-26')).body).toMatchObject({ count: 1 });
  });

  it('refuses a date that is neither "today" nor a calendar date', async () => {
    const h = apiHarness();
    for (const bad of ['yesterday', '2026-13-45', '2026-02-31', '27/11/2026']) {
      const res = await h.call('GET', `/api/trades?date=${bad}`);
      expect(res.status).toBe(400);
      expect((res.body as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('query.date');
    }
  });
});
