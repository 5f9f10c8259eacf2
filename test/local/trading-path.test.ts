/**
 * Acceptance for the trading path on the whole local system (real dynalite, fauxqs, ib-sim over
 * TCP, bridge, bus, agents, ASL in the local interpreter, HTTP API): a signal becomes an order that
 * is checked, filled and visible in positions, trades, P&L and execution stats; a signal that
 * breaks a rule is denied with its reason code and audited; a wash-trade pattern raises an alert.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { localApi } from '../support/local-api.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { verifyChain } from '../../lib/core/audit/chain.js';
import { runCli } from '../../lib/cli/main.js';
import { createApiClient } from '../../lib/cli/api-client.js';

const REPO = new URL('../../', import.meta.url).pathname;
let system: LocalSystem;

let token = '';
const { get, post } = localApi(() => system.apiUrl, () => token);
let seq = 0;
const signal = (symbol: string, over: Record<string, unknown>) => ({
  signalId: `SIG-TEST-${Date.now()}-${++seq}`,
  strategyId: 'manual',
  agentId: 'desk-trader',
  agentVersion: '1',
  symbol,
  strength: 1,
  horizon: 'intraday',
  rationale: 'acceptance test',
  createdAt: new Date().toISOString(),
  ...over,
});

beforeAll(async () => {
  // The shipped local config, with IBM restricted and a wide wash-trade price tolerance (the
  // simulator's spread alone can exceed the 10 bps default between a buy and the sell after it).
  const configDir = mkdtempSync(join(tmpdir(), 'tradeops-tp-config-'));
  const yaml = readFileSync(join(REPO, 'config/local.yaml'), 'utf8');
  writeFileSync(join(configDir, 'local.yaml'), `${yaml}\ncompliance:\n  restrictedSymbols: [IBM]\n  surveillance: { washPriceToleranceBps: 500, washWindowMs: 300000 }\n`);
  system = await startLocalSystem({ configDir, dataDir: mkdtempSync(join(tmpdir(), 'tradeops-tp-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });
  token = await system.tokens.mint('risk.manager', ['operator', 'risk_manager', 'compliance']);
  await poll('ready', async () => ((await get('/ready')).status === 200 ? true : undefined), 30_000);
  await poll('account summary', async () => ((await system.api.stores.accounts.list()).length > 0 ? true : undefined));
  await poll('AAPL quote', async () => ((await system.api.stores.quotes.list()).some((q) => q.symbol === 'AAPL') ? true : undefined));
});

afterAll(async () => {
  await system?.stop();
});

describe('the trading path on the local system', () => {
  it('turns a signal into a checked, filled order visible in positions, trades, P&L and execution stats', async () => {
    const accepted = await post('/api/signals', signal('AAPL', { direction: 'LONG', targetWeight: '0.01' }));
    expect(accepted.status).toBe(202);

    const trade = await poll('an AAPL trade today', async () => {
      const t = await get('/api/trades?date=today&symbol=AAPL');
      return (t.body['trades'] as Array<Record<string, unknown>>).find((x) => x['strategyId'] === 'manual');
    });
    expect(trade).toMatchObject({ symbol: 'AAPL', side: 'BUY' });
    const pos = await poll('AAPL position', async () => ((await get('/api/positions?symbol=AAPL')).body['positions'] as Array<Record<string, unknown>>)[0]);
    expect(pos['quantity']).toBeGreaterThan(0);
    expect(pos['unrealizedPnl']).toBeDefined();
    const stats = await poll('execution stats with a filled order', async () => {
      const s = (await get('/api/execution/stats?by=strategy')).body as { overall?: { fullyFilledOrders?: number; fillRate?: string } };
      return (s.overall?.fullyFilledOrders ?? 0) >= 1 ? s : undefined;
    });
    expect(stats.overall?.fillRate).toBe('1');
    expect(JSON.stringify(stats)).toContain('manual');
    // Traceable: the order names the signal and the agent behind it.
    const orders = await system.api.stores.orders.listByDay(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date()));
    const order = orders.find((o) => o.symbol === 'AAPL');
    expect(order?.origin).toMatchObject({ strategyId: 'manual', agentId: 'cio-agent', signalIds: [accepted.body['signalId']] });
  });

  it('computes VaR with components for the book, and reduces a position through the same checks', async () => {
    const v = await poll('a VaR report', async () => {
      const r = await get('/api/risk/var');
      return r.status === 200 && (r.body['components'] as unknown[]).length > 0 ? r.body : undefined;
    });
    expect(Number(v['var'])).toBeGreaterThan(0);
    expect(v).toMatchObject({ limit: expect.any(String), utilization: expect.any(Number) });
    // On the broker's daily bars as the bridge stored them (ib-sim's history), over the configured window.
    expect(v['history']).toMatchObject({ source: 'ib:TRADES', window: 250, symbols: expect.arrayContaining(['AAPL']), gaps: [] });
    expect(String((v['history'] as { asOf: string }).asOf) <= new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date())).toBe(true);
    const before = ((await get('/api/positions?symbol=AAPL')).body['positions'] as Array<{ quantity: number }>)[0]!.quantity;
    const r = await post('/api/risk/reduce_position', { symbol: 'AAPL', target: 0.5, operator: 'risk.manager', reason: 'acceptance test' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ symbol: 'AAPL', anyDenied: false });
    await poll('AAPL halved', async () => {
      const q = ((await get('/api/positions?symbol=AAPL')).body['positions'] as Array<{ quantity: number }>)[0]?.quantity;
      return q !== undefined && q < before ? q : undefined;
    });
  });

  it('shows the Key Metrics dashboard from what happened: broker connected, fill rate, VaR utilisation, bus latency', async () => {
    const dashboard = await poll('key metrics with readings', async () => {
      const m = (await get('/api/metrics')).body as { metrics: Array<{ metric: string; value: number | null; level: string }> };
      const by = new Map(m.metrics.map((x) => [x.metric, x]));
      return ['broker_connected', 'fill_rate', 'portfolio_var_utilization', 'event_bus_latency_ms'].every((k) => by.get(k)?.value !== null) ? by : undefined;
    });
    expect(dashboard.get('broker_connected')).toMatchObject({ value: 1, level: 'normal' });
    expect(dashboard.get('fill_rate')?.value).toBeGreaterThan(0);
    expect(dashboard.get('event_bus_latency_ms')?.value).toBeGreaterThanOrEqual(0);
  });

  it('denies a signal on a restricted name with its reason code, and audits the denial', async () => {
    expect((await post('/api/signals', signal('IBM', { direction: 'LONG', targetWeight: '0.01' }))).status).toBe(202);
    const denied = await poll('the IBM order denied', async () => (await system.api.stores.orders.listByDay(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date()))).find((o) => o.symbol === 'IBM' && o.status === 'DENIED'));
    expect(denied.reasonCode).toBe('COMPLIANCE.RESTRICTED_INSTRUMENT');
    expect((await system.ibSim?.admin.orderLog())?.some((l) => l.symbol === 'IBM')).toBe(false);
    const entries = await poll('the denial in the audit chain', async () => {
      const e = await system.api.stores.audit.read(1, 100_000);
      return e.some((x) => x.action === 'ORDER_DENIED' && x.subject === `order:${denied.clientOrderId}`) ? e : undefined;
    });
    expect(verifyChain(entries)).toMatchObject({ ok: true });
  });

  it('refuses a bad signal with 400 naming the field', async () => {
    const r = await post('/api/signals', signal('AAPL', { strength: 7 }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('body.strength');
  });

  it('raises a wash-trade alert with evidence when the firm buys and sells the same name within the window', async () => {
    await post('/api/signals', signal('MSFT', { direction: 'LONG', targetWeight: '0.01' }));
    await poll('MSFT long', async () => (((await get('/api/positions?symbol=MSFT')).body['positions'] as Array<{ quantity: number }>)[0]?.quantity ?? 0) > 0 || undefined);
    await post('/api/signals', signal('MSFT', { direction: 'FLAT' }));
    const alert = await poll('a wash-trade alert', async () => {
      const a = (await get('/api/compliance/alerts')).body as { alerts: Array<{ alertId: string; type: string; symbol?: string }> };
      return a.alerts.find((x) => x.type === 'WASH_TRADE' && x.symbol === 'MSFT');
    }, 40_000);
    const full = await get(`/api/compliance/alerts/${alert.alertId}`);
    const evidence = full.body['evidence'] as { fills: Array<{ side: string }>; metrics: Record<string, string> };
    expect(full.body).toMatchObject({ type: 'WASH_TRADE', symbol: 'MSFT', status: 'new' });
    // the sell that completed the pattern, then the buy fill(s) it matched (one alert per completing fill)
    const [completing, ...matched] = evidence.fills.map((f) => f.side);
    expect(completing).toBe('SELL');
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((side) => side === 'BUY')).toBe(true);
    expect(evidence.metrics['matches']).toBe(String(matched.length));

    // The runbook's review step shows it from the running API, every fill of the evidence listed.
    const out: string[] = [];
    const officer = await system.tokens.mint('compliance.officer', ['compliance']);
    expect(await runCli(['review-mar-alert', '--alert-id', alert.alertId, '--api', system.apiUrl], { out: (l) => out.push(l), err: (l) => out.push(l), api: (url) => createApiClient(url, { token: officer }) }), out.join('\n')).toBe(0);
    expect(out.join('\n')).toContain(`Evidence (${evidence.fills.length} fill`);
    expect(out.filter((l) => l.startsWith('  fill '))).toHaveLength(evidence.fills.length);
  });
});
