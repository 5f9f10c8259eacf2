import { describe, expect, it } from 'vitest';
import { ANONYMOUS, apiHarness, as } from './api-harness.js';
import { RecordingWorkflowStarter } from '../support/doubles.js';
import type { BlobStore } from '../../lib/ports/blob-store.js';
import { anOrder, aFill } from '../core/builders.js';
import { createHash } from 'node:crypto';

class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, Uint8Array>();
  async put(key: string, body: string | Uint8Array): Promise<void> {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }
  async get(key: string) {
    return this.objects.get(key);
  }
  async list(prefix: string) {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
  }
  async ping() {}
}

function harness() {
  const h = apiHarness();
  const starter = new RecordingWorkflowStarter();
  const blobs = new MemoryBlobs();
  h.deps.lifecycle = { starter, archive: blobs, pollSeconds: 5, defaultDrainTimeoutS: 300 };
  return { ...h, starter, blobs };
}
const operator = as('jane.smith', 'operator');

describe('POST /api/system/shutdown', () => {
  it('answers 202 DRAINING without a body, the operator from the token, and starts the shutdown workflow', async () => {
    const h = harness();
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000001', createdAt: '2026-11-27T14:00:00.000Z', updatedAt: '2026-11-27T14:00:00.000Z', version: 0 }));
    const res = await h.call('POST', '/api/system/shutdown', undefined, operator);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ phase: 'DRAINING', by: 'jane.smith', reason: 'graceful shutdown', pending_orders: 1, drain: { timeout_s: 300, timed_out: false } });
    expect(h.starter.started).toEqual([{ workflow: 'shutdown', input: { drainId: expect.stringMatching(/^DRAIN-/), pollSeconds: 5 }, executionName: expect.stringMatching(/^DRAIN-/) }]);
  });

  it('takes a reason and timeout_s, and refuses a second shutdown with 409 while it drains', async () => {
    const h = harness();
    const first = await h.call('POST', '/api/system/shutdown', JSON.stringify({ reason: 'end of day', timeout_s: 60 }), operator);
    const second = await h.call('POST', '/api/system/shutdown', undefined, operator);
    expect(first.body).toMatchObject({ reason: 'end of day', drain: { timeout_s: 60, deadline: '2026-11-27T15:01:00.000Z' } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'LIFECYCLE.ALREADY_DRAINING' });
  });

  it.each([
    { body: { timeout_s: 0 }, path: 'body.timeout_s' },
    { body: { timeout_s: 'soon' }, path: 'body.timeout_s' },
    { body: { reason: '' }, path: 'body.reason' },
    { body: { force: true }, path: 'body' },
  ])('answers 400 naming $path for $body', async ({ body, path }) => {
    const h = harness();
    const res = await h.call('POST', '/api/system/shutdown', JSON.stringify(body), operator);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(path);
  });

  it('answers 401 without a token, 403 for a viewer and for another person named as operator', async () => {
    const h = harness();
    expect((await h.call('POST', '/api/system/shutdown', undefined, ANONYMOUS)).status).toBe(401);
    expect((await h.call('POST', '/api/system/shutdown', undefined, as('v', 'viewer'))).status).toBe(403);
    const mismatch = await h.call('POST', '/api/system/shutdown', JSON.stringify({ operator: 'john.doe' }), operator);
    expect(mismatch.status).toBe(403);
    expect(mismatch.body).toMatchObject({ error: 'AUTH.IDENTITY_MISMATCH' });
    expect(h.starter.started).toHaveLength(0);
  });

  it('answers 503 and leaves a retryable timed-out drain when the workflow cannot start', async () => {
    const h = harness();
    h.starter.fail = true;
    const res = await h.call('POST', '/api/system/shutdown', undefined, operator);
    expect(res.status).toBe(503);
    expect((await h.stores.systemPhase.get())).toMatchObject({ phase: 'DRAINING', drain: { timedOut: true } });
    h.starter.fail = false;
    expect((await h.call('POST', '/api/system/shutdown', undefined, operator)).status).toBe(202);
  });

  it('answers 503 when the runtime has no lifecycle wired', async () => {
    const h = apiHarness();
    expect((await h.call('POST', '/api/system/shutdown', undefined, operator)).status).toBe(503);
  });
});

describe('POST /api/system/startup and GET /api/system/state', () => {
  it('starts the startup workflow with a run id, and the state tells the phase, pending orders and trading state', async () => {
    const h = harness();
    await h.allHealthy();
    const before = await h.call('GET', '/api/system/state', undefined, as('v', 'viewer'));
    const res = await h.call('POST', '/api/system/startup', JSON.stringify({ reason: 'morning' }), operator);
    const state = await h.call('GET', '/api/system/state', undefined, as('v', 'viewer'));
    expect(before.body).toMatchObject({ phase: null, accepting_new_orders: true, trading_state: 'ACTIVE' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ phase: 'STARTING', run_id: expect.stringMatching(/^STARTUP-/) });
    expect(h.starter.started[0]).toMatchObject({ workflow: 'startup', input: { runId: (res.body as { run_id: string }).run_id } });
    expect(state.body).toMatchObject({ phase: 'STARTING', by: 'jane.smith', reason: 'morning', accepting_new_orders: false, pending_orders: 0, trading_state: 'ACTIVE', startup: { status: 'RUNNING', steps: [] } });
  });

  it('refuses a second startup while one runs (409) and a viewer (403)', async () => {
    const h = harness();
    await h.call('POST', '/api/system/startup', undefined, operator);
    expect((await h.call('POST', '/api/system/startup', undefined, operator)).status).toBe(409);
    expect((await h.call('POST', '/api/system/startup', undefined, as('v', 'viewer'))).status).toBe(403);
  });
});

describe('POST /api/system/archive_session', () => {
  it('writes the day as files with a manifest whose sha256 match what was stored', async () => {
    const h = harness();
    await h.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000001', createdAt: '2026-11-27T14:00:00.000Z', updatedAt: '2026-11-27T14:00:00.000Z', version: 0 }));
    await h.stores.fills.recordIfNew(aFill({ clientOrderId: 'CO-20261127-000001', executedAt: '2026-11-27T14:00:01.000Z' }));
    const res = await h.call('POST', '/api/system/archive_session', JSON.stringify({ date: '2026-11-27' }), operator);
    expect(res.status).toBe(201);
    const body = res.body as { manifest_key: string; files: Array<{ key: string; sha256: string; records: number }> };
    expect(body.files.map((f) => f.key.split('/').at(-1))).toEqual(['orders.json', 'fills.json', 'trades.json', 'positions.json', 'audit-head.json']);
    expect(body.files.find((f) => f.key.endsWith('orders.json'))?.records).toBe(1);
    for (const f of body.files) expect(createHash('sha256').update(h.blobs.objects.get(f.key)!).digest('hex')).toBe(f.sha256);
    const manifest = JSON.parse(new TextDecoder().decode(h.blobs.objects.get(body.manifest_key)!)) as { archivedBy: string; files: unknown[] };
    expect(manifest).toMatchObject({ archivedBy: 'jane.smith', files: body.files });
  });

  it('answers 400 for a date that is not one, 403 for a viewer', async () => {
    const h = harness();
    expect((await h.call('POST', '/api/system/archive_session', JSON.stringify({ date: '2026-02-30' }), operator)).status).toBe(400);
    expect((await h.call('POST', '/api/system/archive_session', undefined, as('v', 'viewer'))).status).toBe(403);
  });
});

describe('GET /api/system/pending_alerts', () => {
  it('lists active risk alerts and marks critical ones', async () => {
    const h = harness();
    await h.stores.risk.raiseIfInactive({ name: 'var_critical', metric: 'portfolio_var_utilization', severity: 'CRITICAL', value: 0.95, threshold: 0.9, message: 'VaR at 95 %', raisedAt: '2026-11-27T14:00:00.000Z', holdUntilClear: false });
    const res = await h.call('GET', '/api/system/pending_alerts', undefined, ANONYMOUS);
    expect(res.status).toBe(401);
    const ok = await h.call('GET', '/api/system/pending_alerts', undefined, as('v', 'viewer'));
    expect(ok.body).toMatchObject({ count: 1, critical_count: 1, risk: [{ id: 'var_critical', critical: true }] });
  });
});
