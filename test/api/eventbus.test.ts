import { describe, expect, it } from 'vitest';
import { apiHarness, ANONYMOUS, as } from './api-harness.js';
import { InProcessEventBus } from '../../lib/adapters/bus/in-process-bus.js';
import { LocalBusOperations } from '../../lib/adapters/bus/local-bus-operations.js';
import type { EventEnvelope } from '../../lib/core/events/envelope.js';
import { InMemoryBlobStore } from '../support/memory-blob-store.js';
import { anEvent } from '../adapters/bus/envelopes.js';

/** The harness with real bus operations over an in-process bus whose one consumer is held by a gate. */
function harness(options: { openReads?: boolean } = {}) {
  const h = apiHarness(undefined, options);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const got: EventEnvelope[] = [];
  const bus = new InProcessEventBus({
    clock: h.clock,
    rules: [
      { name: 'agent-audit-recorder', pattern: { source: ['tradeops.gateway'] }, concurrency: 1, target: async (e) => void (await gate, got.push(e)) },
      { name: 'agent-idle', pattern: { source: ['tradeops.nobody'] }, target: async () => undefined },
    ],
  });
  const blobs = new InMemoryBlobStore();
  h.deps.busOperations = new LocalBusOperations({
    bus,
    consumers: [
      { name: 'idle', rule: 'agent-idle', detailTypes: ['OrderApproved'] },
      { name: 'audit-recorder', rule: 'agent-audit-recorder', detailTypes: ['FillReport', 'MarketSnapshotReport'] },
    ],
    restart: (c) => bus.restartRule(`agent-${c}`),
    archive: blobs,
    archiveLocation: 's3://test-backups',
    clock: h.clock,
    newId: () => 'a1',
  });
  h.deps.agents = [{ name: 'audit-recorder', description: 'audit' }, { name: 'idle', description: 'idle' }];
  return { ...h, bus, blobs, got, release };
}

const body = (r: { body: unknown }) => r.body as Record<string, unknown>;

describe('GET /api/eventbus/stats', () => {
  it('answers per consumer with backlog, oldest age, in flight, latency and DLQ depth, and backlog_total', async () => {
    const h = harness();
    await h.bus.publish([anEvent('FillReport'), anEvent('FillReport'), anEvent('FillReport')]);
    h.clock.advance(1_500);

    const r = await h.call('GET', '/api/eventbus/stats', undefined, as('val', 'viewer'));

    expect(r.status).toBe(200);
    expect(body(r)).toMatchObject({ runtime: 'local', backlog_total: 2, backlog_threshold: 1000, consider_clear_stale: false, totals: { backlog: 2, in_flight: 1, delivered: 0, failed: 0, dlq_depth: 0 }, unavailable: {} });
    expect(body(r).consumers).toContainEqual(expect.objectContaining({ consumer: 'audit-recorder', backlog: 2, oldest_age_ms: 1_500, in_flight: 1, delivered: 0, failed: 0, latency_ms: { p50: 0, p99: 0, samples: 0 }, dlq_depth: 0 }));
    h.release();
  });

  it('is open anonymously where reads are open (local loopback) and needs a token elsewhere', async () => {
    expect((await harness({ openReads: true }).call('GET', '/api/eventbus/stats', undefined, ANONYMOUS)).status).toBe(200);
    expect((await harness().call('GET', '/api/eventbus/stats', undefined, ANONYMOUS)).status).toBe(401);
  });

  it('answers 503 where bus operations are not wired', async () => {
    const h = apiHarness();

    const r = await h.call('GET', '/api/eventbus/stats');

    expect(r.status).toBe(503);
    expect(body(r).error).toBe('BUS.OPERATIONS_UNAVAILABLE');
  });
});

describe('GET /api/eventbus/consumers', () => {
  it('lists each consumer with its detail types, concurrency and status, slowest first', async () => {
    const h = harness();
    await h.bus.publish([anEvent('FillReport'), anEvent('FillReport')]);
    h.clock.advance(20_000);

    const r = await h.call('GET', '/api/eventbus/consumers', undefined, as('val', 'viewer'));

    expect(r.status).toBe(200);
    expect(body(r)).toMatchObject({ count: 2 });
    expect(body(r).consumers).toMatchObject([
      { consumer: 'audit-recorder', detail_types: ['FillReport', 'MarketSnapshotReport'], droppable_detail_types: ['MarketSnapshotReport'], concurrency: 1, status: 'slow', oldest_age_ms: 20_000 },
      { consumer: 'idle', detail_types: ['OrderApproved'], concurrency: 4, status: 'ok' },
    ]);
    h.release();
  });
});

describe('POST /api/eventbus/clear_stale', () => {
  it('clears stale market data for an operator, says how much per consumer and where it is archived, and audits it', async () => {
    const h = harness();
    await h.bus.publish([anEvent('FillReport'), anEvent('MarketSnapshotReport'), anEvent('FillReport'), anEvent('MarketSnapshotReport')]);
    h.clock.advance(61_000);

    const r = await h.call('POST', '/api/eventbus/clear_stale', undefined, as('olivia', 'operator'));

    expect(r.status).toBe(200);
    expect(body(r)).toMatchObject({ operator: 'olivia', older_than_ms: 60_000, cleared: 2, by_consumer: { 'audit-recorder': 2, idle: 0 }, by_detail_type: { MarketSnapshotReport: 2 }, archive_location: 's3://test-backups' });
    expect(h.blobs.objects.has(body(r).archive_key as string)).toBe(true);
    expect(h.stores.audit.entries.at(-1)).toMatchObject({ actor: 'olivia', action: 'EVENTBUS_STALE_CLEARED', subject: 'eventbus', data: { cleared: 2, archiveKey: body(r).archive_key }, correlationId: 'test' });
    h.release();
  });

  it('takes older_than_ms and an operator matching the token', async () => {
    const h = harness();

    const r = await h.call('POST', '/api/eventbus/clear_stale', JSON.stringify({ older_than_ms: 5_000, operator: 'olivia' }), as('olivia', 'operator'));

    expect(r.status).toBe(200);
    expect(body(r)).toMatchObject({ older_than_ms: 5_000, cleared: 0, archive_key: null });
  });

  it.each([
    ['no token', undefined, ANONYMOUS, 401, 'AUTH.UNAUTHENTICATED'],
    ['a viewer', undefined, as('val', 'viewer'), 403, undefined],
    ['a negative age', { older_than_ms: -1 }, as('olivia', 'operator'), 400, undefined],
    ['an unknown field', { everything: true }, as('olivia', 'operator'), 400, undefined],
    ['someone else as operator', { operator: 'mallory' }, as('olivia', 'operator'), 403, 'AUTH.IDENTITY_MISMATCH'],
  ] as const)('refuses %s', async (_what, payload, auth, status, code) => {
    const h = harness();

    const r = await h.call('POST', '/api/eventbus/clear_stale', payload === undefined ? undefined : JSON.stringify(payload), auth);

    expect(r.status).toBe(status);
    if (code !== undefined) expect(body(r).error).toBe(code);
    if (status === 400) expect(JSON.stringify(r.body)).toMatch(/body\.(older_than_ms|everything)|everything/);
    expect(h.stores.audit.entries).toHaveLength(0);
  });
});

describe('POST /api/agents/restart/{agent}', () => {
  it('restarts an agent for an operator, keeping its backlog, and audits it', async () => {
    const h = harness();
    await h.bus.publish([anEvent('FillReport'), anEvent('FillReport'), anEvent('FillReport')]);

    const pending = h.call('POST', '/api/agents/restart/audit-recorder', undefined, as('olivia', 'operator'));
    h.release();
    const r = await pending;
    await h.bus.drain();

    expect(r.status).toBe(200);
    expect(body(r)).toMatchObject({ agent: 'audit-recorder', restarted: true, operator: 'olivia', kept_backlog: 2, restarts: 1 });
    expect(h.got).toHaveLength(3);
    expect(h.stores.audit.entries.at(-1)).toMatchObject({ actor: 'olivia', action: 'AGENT_RESTARTED', subject: 'agent:audit-recorder', data: { keptBacklog: 2, restarts: 1 } });
  });

  it('answers 404 for an unknown agent, listing the known ones', async () => {
    const h = harness();

    const r = await h.call('POST', '/api/agents/restart/slow_agent', undefined, as('olivia', 'operator'));

    expect(r.status).toBe(404);
    expect(body(r)).toMatchObject({ error: 'BUS.UNKNOWN_CONSUMER', details: { known: ['audit-recorder', 'idle'] } });
    expect(body(r).message).toContain('audit-recorder');
    expect(h.stores.audit.entries).toHaveLength(0);
  });

  it.each([
    ['no token', ANONYMOUS, 401],
    ['a viewer', as('val', 'viewer'), 403],
    ['a risk manager', as('rita', 'risk_manager'), 403],
  ] as const)('refuses %s', async (_what, auth, status) => {
    expect((await harness().call('POST', '/api/agents/restart/audit-recorder', undefined, auth)).status).toBe(status);
  });

  it('answers 400 naming the parameter for a name that cannot be an agent', async () => {
    const r = await harness().call('POST', '/api/agents/restart/a%20b', undefined, as('olivia', 'operator'));

    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('agent');
  });
});
