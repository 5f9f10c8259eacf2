/**
 * Acceptance for the memory state backend: the whole local system (fauxqs, ib-sim over TCP, bridge,
 * bus, agents, HTTP API) with its state stores in process memory and no dynalite. A signal still
 * becomes a checked, filled order through the real path, and /ready and /health say that the state
 * is in memory and not persistent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { localApi } from '../support/local-api.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { verifyChain } from '../../lib/core/audit/chain.js';

let system: LocalSystem;
const logs: string[] = [];
let token = '';
const { get, post } = localApi(() => system.apiUrl, () => token);

beforeAll(async () => {
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  system = await startLocalSystem({ state: 'memory', dataDir: mkdtempSync(join(tmpdir(), 'tradeops-mem-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream, ibSim: { tickIntervalMs: 50 } });
  token = await system.tokens.mint('risk.manager', ['operator', 'risk_manager']);
  await poll('ready', async () => ((await get('/ready')).status === 200 ? true : undefined), 30_000);
  await poll('AAPL quote', async () => ((await system.api.stores.quotes.list()).some((q) => q.symbol === 'AAPL') ? true : undefined));
});

afterAll(async () => {
  await system?.stop();
});

describe('the local system with state in memory', () => {
  it('runs no dynalite, and says in /ready, /health and its logs that state is in memory and not persistent', async () => {
    expect(system.state).toEqual({ kind: 'memory', persistent: false });
    expect(system.endpoints.dynamodb).toBeUndefined();
    expect(await get('/ready')).toMatchObject({ status: 200, body: { status: 'ready', state_store: { kind: 'memory', persistent: false } } });
    const health = await get('/health');
    expect((health.body['components'] as Record<string, { status: string; detail: Record<string, unknown> }>)['state_store']).toMatchObject({ status: 'ok', detail: { kind: 'memory', persistent: false } });
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['msg'] === 'local system started')).toMatchObject({ state: 'memory', persistent: false });
    expect(lines.filter((l) => l['level'] === 'WARN' && (l['state'] as { kind?: string } | undefined)?.kind === 'memory')).toHaveLength(1);
  });

  it('turns a signal into a checked, filled order through the bridge and the simulator', async () => {
    const accepted = await post('/api/signals', {
      signalId: `SIG-MEM-${Date.now()}`, strategyId: 'manual', agentId: 'desk-trader', agentVersion: '1', symbol: 'AAPL',
      direction: 'LONG', targetWeight: '0.01', strength: 1, horizon: 'intraday', rationale: 'memory backend acceptance', createdAt: new Date().toISOString(),
    });
    expect(accepted.status).toBe(202);

    const trade = await poll('an AAPL trade today', async () => {
      const t = await get('/api/trades?date=today&symbol=AAPL');
      return (t.body['trades'] as Array<Record<string, unknown>>).find((x) => x['strategyId'] === 'manual');
    });
    expect(trade).toMatchObject({ symbol: 'AAPL', side: 'BUY' });
    const working = await system.api.stores.orders.listWorking();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    const order = (await system.api.stores.orders.listByDay(day)).find((o) => o.symbol === 'AAPL');
    expect(order).toMatchObject({ status: 'FILLED', origin: { signalIds: [accepted.body['signalId']] } });
    expect(working.map((o) => o.clientOrderId)).not.toContain(order?.clientOrderId);
    expect(await system.api.stores.orders.findByBrokerOrderId(order!.brokerOrderId!)).toMatchObject({ clientOrderId: order!.clientOrderId });
    expect((await system.ibSim?.admin.orderLog())?.some((l) => l.symbol === 'AAPL')).toBe(true);
    expect(verifyChain(await system.api.stores.audit.read()).ok).toBe(true);
  });
});
