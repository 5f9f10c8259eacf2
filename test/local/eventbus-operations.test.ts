/**
 * Acceptance for the runbook's "Issue: Event Bus Backlog" on the whole local system (real bus,
 * agents, dynalite, fauxqs, ib-sim, HTTP API with tokens): stats and consumers answer for every
 * catalogued agent, clear_stale drops stale market data held behind a stuck consumer and archives
 * it in the backup bucket, and an agent restarted over HTTP keeps working.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { startLocalSystem, BUCKETS, type LocalSystem } from '../../lib/local/runtime.js';
import { AGENTS } from '../../lib/catalog/agents.js';
import { S3BlobStore } from '../../lib/adapters/s3/s3-blob-store.js';
import { createS3Client } from '../../lib/adapters/aws/clients.js';

let system: LocalSystem;
let token = '';
let releaseStuck: () => void = () => undefined;

type Json = Record<string, unknown>;
const get = async (path: string) => {
  const r = await fetch(`${system.apiUrl}${path}`);
  return { status: r.status, body: (await r.json()) as Json };
};
const post = async (path: string, body?: unknown, bearer = token) => {
  const r = await fetch(`${system.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer === '' ? {} : { authorization: `Bearer ${bearer}` }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: r.status, body: (await r.json()) as Json };
};

beforeAll(async () => {
  system = await startLocalSystem({ dataDir: mkdtempSync(join(tmpdir(), 'tradeops-bus-ops-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });
  token = await system.tokens.mint('olivia.ops', ['operator']);
  await poll('ready', async () => ((await get('/ready')).status === 200 ? true : undefined), 30_000);
});

afterAll(async () => {
  releaseStuck();
  await system?.stop();
});

describe('event bus operations on the local system', () => {
  it('answers stats and consumers for every catalogued agent, without a token on loopback', async () => {
    const stats = await get('/api/eventbus/stats');
    const consumers = await get('/api/eventbus/consumers');

    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ runtime: 'local', backlog_threshold: 1000 });
    expect(typeof stats.body['backlog_total']).toBe('number');
    const statNames = (stats.body['consumers'] as Json[]).map((c) => c['consumer']);
    expect([...statNames].sort()).toEqual(AGENTS.map((a) => a.name).sort());
    for (const c of stats.body['consumers'] as Json[]) expect(c).toEqual(expect.objectContaining({ backlog: expect.any(Number), oldest_age_ms: expect.any(Number), in_flight: expect.any(Number), delivered: expect.any(Number), failed: expect.any(Number), dlq_depth: expect.any(Number), latency_ms: expect.objectContaining({ p50: expect.any(Number), p99: expect.any(Number) }) }));
    expect(consumers.status).toBe(200);
    for (const agent of AGENTS) {
      expect((consumers.body['consumers'] as Json[]).find((c) => c['consumer'] === agent.name)).toMatchObject({ detail_types: [...agent.consumes], concurrency: agent.concurrency ?? 4 });
    }
  });

  it('clears stale market data held behind a stuck consumer, archived in the backup bucket first', async () => {
    // A consumer of the bridge's market data that never finishes: snapshots pile up behind it.
    const stuck = new Promise<void>((r) => (releaseStuck = r));
    system.bus.addRule({ name: 'test-market-data', pattern: { source: ['tradeops.gateway'], 'detail-type': ['MarketSnapshotReport', 'GatewayHeartbeat'] }, concurrency: 1, target: () => stuck });
    await poll('market data queued behind the stuck consumer', async () => ((system.bus.stats().find((s) => s.rule === 'test-market-data')?.queued ?? 0) >= 2 ? true : undefined));

    expect((await post('/api/eventbus/clear_stale', { older_than_ms: 0 }, '')).status).toBe(401);
    const r = await post('/api/eventbus/clear_stale', { older_than_ms: 0 });

    expect(r.status).toBe(200);
    expect(r.body['operator']).toBe('olivia.ops');
    const cleared = r.body['by_consumer'] as Record<string, number>;
    expect(cleared['test-market-data']).toBeGreaterThanOrEqual(2);
    for (const agent of AGENTS) expect(cleared[agent.name]).toBe(0);
    expect(Object.keys(r.body['by_detail_type'] as Json).every((t) => t === 'MarketSnapshotReport' || t === 'GatewayHeartbeat')).toBe(true);
    const blobs = new S3BlobStore({ client: createS3Client({ region: 'us-east-1', endpoint: system.endpoints.s3, localCredentials: true }), bucket: BUCKETS.backups });
    const archived = JSON.parse(new TextDecoder().decode(await blobs.get(r.body['archive_key'] as string))) as { count: number; deliveries: Array<{ event: { detailType: string } }> };
    expect(archived.count).toBe(r.body['cleared']);
    expect(archived.deliveries.every((d) => d.event.detailType === 'MarketSnapshotReport' || d.event.detailType === 'GatewayHeartbeat')).toBe(true);
    const audit = await system.api.stores.audit.read(1, 10_000);
    expect(audit.find((e) => e.action === 'EVENTBUS_STALE_CLEARED')).toMatchObject({ actor: 'olivia.ops', data: { archiveKey: r.body['archive_key'] } });
  });

  it('restarts the audit recorder over HTTP, and it still appends to the audit chain afterwards', async () => {
    expect((await post('/api/agents/restart/slow_agent')).status).toBe(404);
    const r = await post('/api/agents/restart/audit-recorder');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agent: 'audit-recorder', restarted: true, operator: 'olivia.ops', restarts: 1 });

    const signalId = `SIG-BUS-${Date.now()}`;
    const accepted = await post('/api/signals', { signalId, strategyId: 'manual', agentId: 'desk-trader', agentVersion: '1', symbol: 'AAPL', direction: 'LONG', targetWeight: '0.01', strength: 1, horizon: 'intraday', rationale: 'restart acceptance', createdAt: new Date().toISOString() });
    expect(accepted.status).toBe(202);

    await poll('the signal in the audit chain after the restart', async () => {
      const entries = await system.api.stores.audit.read(1, 100_000);
      return entries.find((e) => e.action === 'SIGNAL_RECEIVED' && JSON.stringify(e.data).includes(signalId));
    });
    const audit = await system.api.stores.audit.read(1, 100_000);
    expect(audit.find((e) => e.action === 'AGENT_RESTARTED')).toMatchObject({ actor: 'olivia.ops', subject: 'agent:audit-recorder' });
    await poll('the restart count in /api/agents/status', async () => {
      const s = await get('/api/agents/status');
      const a = (s.body['agents'] as Json[]).find((x) => x['name'] === 'audit-recorder');
      return s.status === 200 && (a?.['detail'] as Json | undefined)?.['restarts'] === 1 ? true : undefined;
    });
  });
});
