/**
 * Acceptance for the lifecycle on the whole local system (dynalite, fauxqs, ib-sim over TCP, the
 * bridge, the agents, the startup and shutdown ASL in the local interpreter, the HTTP API, the CLI),
 * with a token: startup → READY; a shutdown with an order resting at the broker → DRAINING and a
 * new signal denied with SYSTEM.DRAINING; the order fills → STOPPED; the session archive is
 * written to the local S3 and read back against its manifest.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { BUCKETS, startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { runCli } from '../../lib/cli/main.js';
import { createApiClient } from '../../lib/cli/api-client.js';
import { createS3Client } from '../../lib/adapters/aws/clients.js';
import { S3BlobStore } from '../../lib/adapters/s3/s3-blob-store.js';

let system: LocalSystem;
let token = '';
const get = async (path: string) => {
  const r = await fetch(`${system.apiUrl}${path}`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const post = async (path: string, body: unknown) => {
  const r = await fetch(`${system.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const out: string[] = [];
const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), api: (u: string) => createApiClient(u, { token }) };
let seq = 0;
const signal = (symbol: string) => ({
  signalId: `SIG-LC-${Date.now()}-${++seq}`,
  strategyId: 'manual',
  agentId: 'desk-trader',
  agentVersion: '1',
  symbol,
  direction: 'LONG',
  targetWeight: '0.01',
  strength: 1,
  horizon: 'intraday',
  rationale: 'lifecycle acceptance',
  createdAt: new Date().toISOString(),
});

beforeAll(async () => {
  system = await startLocalSystem({ dataDir: mkdtempSync(join(tmpdir(), 'tradeops-lc-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });
  token = await system.tokens.mint('ops.jane', ['operator']);
  await poll('ready', async () => ((await get('/ready')).status === 200 ? true : undefined), 30_000);
  await poll('account and quotes', async () => ((await system.api.stores.accounts.list()).length > 0 && (await system.api.stores.quotes.list()).some((q) => q.symbol === 'MSFT') ? true : undefined));
});

afterAll(async () => {
  await system?.stop();
});

describe('the lifecycle on the local system', () => {
  it('starts to READY, drains with a resting order while denying new ones, stops once it fills, and archives the session', async () => {
    // Startup: the runbook's startup.sh as `tradeops startup`.
    const startCode = await runCli(['startup', '--api', system.apiUrl, '--env', 'local', '--interval', '0.2', '--timeout', '60'], io);
    expect(startCode, out.join('\n')).toBe(0);
    const ready = await get('/api/system/state');
    expect(ready.body).toMatchObject({ phase: 'READY', by: 'ops.jane', accepting_new_orders: true, trading_state: 'ACTIVE', startup: { status: 'SUCCEEDED' } });
    expect((ready.body['startup'] as { steps: Array<{ step: string }> }).steps.map((s) => s.step)).toEqual(['CheckBrokerConnection', 'ValidateConfig', 'ClearStaleLocks', 'ReconcileOrders', 'VerifyPositions', 'ReviewPendingAlerts']);

    // A resting order: the simulator holds its fills.
    await system.ibSim!.admin.faults.delayFills(600_000);
    expect((await post('/api/signals', signal('AAPL'))).status).toBe(202);
    await poll('a working AAPL order', async () => (((await get('/api/orders/pending')).body['count'] as number) >= 1 ? true : undefined));

    // Shutdown (the CLI, as shutdown.sh): DRAINING while the order works.
    const shutdown = runCli(['shutdown', '--api', system.apiUrl, '--interval', '0.2', '--timeout', '120', '--reason', 'end of day'], io);
    const draining = await poll('DRAINING', async () => {
      const s = await get('/api/system/state');
      return s.body['phase'] === 'DRAINING' ? s.body : undefined;
    });
    expect(draining).toMatchObject({ by: 'ops.jane', reason: 'end of day', accepting_new_orders: false, pending_orders: 1 });

    // A new signal now becomes an order DENIED by the lifecycle, with its reason code.
    const msft = await post('/api/signals', signal('MSFT'));
    expect(msft.status).toBe(202);
    const denied = await poll('the MSFT order denied', async () => {
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
      return (await system.api.stores.orders.listByDay(day)).find((o) => o.symbol === 'MSFT' && o.status === 'DENIED');
    });
    expect(denied.reasonCode).toBe('SYSTEM.DRAINING');
    expect((await get('/api/system/state')).body['phase']).toBe('DRAINING');

    // The order fills: the drain ends, STOPPED; the CLI archives and exits 0.
    await system.ibSim!.admin.faults.delayFills(0);
    expect(await shutdown, out.join('\n')).toBe(0);
    const stopped = await get('/api/system/state');
    expect(stopped.body).toMatchObject({ phase: 'STOPPED', pending_orders: 0, drain: { timed_out: false } });

    // The archive the CLI wrote: every file in the local S3, matching the manifest's sha256.
    const manifestLine = out.find((l) => l.includes('manifest.json'));
    const manifestKey = manifestLine?.trim().split(/\s+/)[0] ?? '';
    expect(manifestKey).toMatch(/^sessions\/\d{4}-\d{2}-\d{2}\/.+\/manifest\.json$/);
    const blobs = new S3BlobStore({ client: createS3Client({ region: 'us-east-1', endpoint: system.endpoints.s3, localCredentials: true }), bucket: BUCKETS.backups });
    const manifest = JSON.parse(new TextDecoder().decode(await blobs.get(manifestKey))) as { archivedBy: string; files: Array<{ key: string; sha256: string; records: number }> };
    expect(manifest.archivedBy).toBe('ops.jane');
    for (const f of manifest.files) {
      const body = await blobs.get(f.key);
      expect(body, f.key).toBeDefined();
      expect(createHash('sha256').update(body!).digest('hex')).toBe(f.sha256);
    }
    const orders = JSON.parse(new TextDecoder().decode(await blobs.get(manifest.files.find((f) => f.key.endsWith('orders.json'))!.key))) as Array<{ symbol: string; status: string }>;
    expect(orders.map((o) => `${o.symbol}:${o.status}`).sort()).toEqual(['AAPL:FILLED', 'MSFT:DENIED']);
  });
});
