/**
 * Acceptance: the whole local system as `npm start` wires it — dynalite, fauxqs, ib-sim over TCP,
 * the bridge with the real @stoqey/ib, the in-process bus and agents, the API over HTTP — on free
 * ports in a temporary data folder. Nothing here is mocked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ConnectionState, IBApiNext, OrderAction, OrderType, SecType, type IBApiNextError } from '@stoqey/ib';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { verifyChain } from '../../lib/core/audit/chain.js';
import { runCli } from '../../lib/cli/main.js';
import { createApiClient } from '../../lib/cli/api-client.js';
import { AGENTS } from '../../lib/catalog/agents.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-local-'));
const start = (fresh: boolean) =>
  startLocalSystem({ dataDir, fresh, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });


const getJson = async (s: LocalSystem, path: string) => {
  const res = await fetch(`${s.apiUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

let system: LocalSystem;

beforeAll(async () => {
  system = await start(true);
});

afterAll(async () => {
  await system?.stop();
});

describe('the local system (npm start)', () => {
  it('becomes ready and reports every component ok', async () => {
    await poll('ready', async () => ((await getJson(system, '/ready')).status === 200 ? true : undefined));
    const health = await poll('all components ok', async () => {
      const h = await getJson(system, '/health');
      return h.body['status'] === 'ok' ? h.body : undefined;
    });
    expect(Object.keys(health['components'] as object)).toEqual(expect.arrayContaining(['broker', 'event_bus', 'state_store', 'blob_store', ...AGENTS.map((a) => `agent:${a.name}`)]));
    expect(await getJson(system, '/api/system/status')).toMatchObject({ status: 200, body: { kill_switch: false, trading_enabled: true, trading_state: 'ACTIVE' } });
    expect(await getJson(system, '/api/orders/pending')).toMatchObject({ status: 200, body: { count: 0, orders: [] } });
    const agents = (await getJson(system, '/api/agents/status')).body['agents'] as Array<{ name: string; status: string }>;
    expect(agents.map((a) => a.name)).toEqual(AGENTS.map((a) => a.name));
    expect(agents.every((a) => a.status === 'ok')).toBe(true);
    expect((await getJson(system, '/api/nothing-here')).status).toBe(404);
    expect((await getJson(system, '/api/positions?symbol=%%')).status).toBe(400);
  });

  it('lets an unmodified @stoqey/ib client trade on the simulator, and the bridge reports the position', async () => {
    const errors: IBApiNextError[] = [];
    const ib = new IBApiNext({ host: '127.0.0.1', port: system.broker.port, reconnectInterval: 0 });
    ib.error.subscribe((e) => errors.push(e));
    ib.connect(77);
    try {
      await firstValueFrom(ib.connectionState.pipe(filter((s) => s === ConnectionState.Connected), take(1), timeout(5000)));
      const account = (await ib.getManagedAccounts())[0] ?? '';
      const summary = await firstValueFrom(ib.getAccountSummary('All', 'NetLiquidation,TotalCashValue').pipe(take(1), timeout(5000)));
      expect(summary.all.get(account)?.get('NetLiquidation')).toBeDefined();
      await firstValueFrom(ib.getPositions().pipe(take(1), timeout(5000)));

      const orderId = await ib.placeNewOrder({ symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 10, transmit: true });
      const execs = await poll('the execution', async () => {
        const e = await ib.getExecutionDetails({ symbol: 'AAPL' });
        return e.some((x) => x.execution.orderId === orderId) ? e : undefined;
      });
      expect(execs.find((x) => x.execution.orderId === orderId)?.execution.shares).toBe(10);
      const open = await ib.getAllOpenOrders();
      expect(open.some((o) => o.orderId === orderId)).toBe(false); // filled, not working
    } finally {
      ib.disconnect();
    }
    expect(errors.filter((e) => e.code === 505)).toEqual([]);

    // The bridge holds its own session (another client id) and sees the same broker state.
    const pos = await poll('AAPL in /api/positions', async () => {
      const p = await getJson(system, '/api/positions?symbol=AAPL');
      const rows = p.body['positions'] as Array<{ symbol: string; quantity: number; marketValue?: string }>;
      return rows.find((r) => r.quantity === 10 && r.marketValue !== undefined);
    });
    expect(Number(pos.marketValue)).toBeGreaterThan(0);
  });

  it('answers the ops CLI the way the runbook expects', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), api: (u: string) => createApiClient(u) };
    expect(await runCli(['check-ib-connection', '--api', system.apiUrl], io)).toBe(0);
    expect(out[0]).toMatch(/^Connection: OK/);
    expect(await runCli(['show-positions', '--api', system.apiUrl], io)).toBe(0);
    expect(out.join('\n')).toMatch(/AAPL\s+10\s/);
  });

  it('keeps a verifiable audit chain of what happened', async () => {
    const entries = await poll('audit entries', async () => {
      const e = await system.api.stores.audit.read(1, 10_000);
      return e.some((x) => x.action === 'BROKER_CONNECTION_CHANGED') ? e : undefined;
    });
    expect(entries[0]?.action).toBe('TRADING_STATE_INITIALISED');
    expect(verifyChain(entries)).toMatchObject({ ok: true, count: entries.length });
  });

  it('keeps orders, positions, trading state and the audit chain across a restart', async () => {
    await system.bus.drain();
    const before = await system.api.stores.audit.read(1, 10_000);
    const stateBefore = await system.api.stores.tradingState.get();
    // The simulator is its own process, and stop() ends it: a restart finds its port free and its state on disk.
    const simPid = system.ibSim?.pid;
    expect(simPid).toBeGreaterThan(0);
    expect(simPid).not.toBe(process.pid);
    expect(isRunning(simPid!)).toBe(true);
    await system.stop();
    expect(isRunning(simPid!)).toBe(false);

    system = await start(false);
    await poll('ready after restart', async () => ((await getJson(system, '/ready')).status === 200 ? true : undefined));
    expect(await system.api.stores.tradingState.get()).toEqual(stateBefore);
    expect((await system.ibSim?.admin.snapshot())?.positions.find((p) => p.symbol === 'AAPL')?.quantity).toBe(10);
    const after = await poll('new audit entries after restart', async () => {
      const e = await system.api.stores.audit.read(1, 10_000);
      return e.length > before.length ? e : undefined;
    });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(verifyChain(after)).toMatchObject({ ok: true });
    expect(after.filter((e) => e.action === 'TRADING_STATE_INITIALISED')).toHaveLength(1);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
