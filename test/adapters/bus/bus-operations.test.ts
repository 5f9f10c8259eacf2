import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessEventBus, type BusRule } from '../../../lib/adapters/bus/in-process-bus.js';
import { LocalBusOperations, type LocalConsumer } from '../../../lib/adapters/bus/local-bus-operations.js';
import { DeadLetterFile } from '../../../lib/adapters/bus/dead-letter-file.js';
import { CONSUMER_DELIVERY_POLICY } from '../../../lib/core/bus/delivery-policy.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { InMemoryBlobStore } from '../../support/memory-blob-store.js';
import { anEvent } from './envelopes.js';

/** A target that holds every delivery until `open()`, recording what it received. */
function gatedTarget(onDeliver: () => void = () => undefined) {
  let isOpen = false;
  const waiters: Array<() => void> = [];
  const got: EventEnvelope[] = [];
  return {
    got,
    target: async (e: EventEnvelope) => {
      if (!isOpen) await new Promise<void>((r) => waiters.push(r));
      onDeliver();
      got.push(e);
    },
    open: () => {
      isOpen = true;
      waiters.splice(0).forEach((w) => w());
    },
  };
}

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i += 1) await new Promise((r) => setImmediate(r));
};

function setup(rules: BusRule[], consumers: LocalConsumer[]) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const bus = new InProcessEventBus({ clock, rules });
  const blobs = new InMemoryBlobStore();
  let n = 0;
  const ops = new LocalBusOperations({ bus, consumers, restart: (c) => bus.restartRule(`agent-${c}`), archive: blobs, archiveLocation: 's3://test-backups', clock, newId: () => `id-${++n}` });
  return { clock, bus, blobs, ops };
}

const MARKET = { source: ['tradeops.gateway'], 'detail-type': ['MarketSnapshotReport', 'GatewayHeartbeat', 'FillReport'] };

describe('local bus instrumentation', () => {
  it('shows a slow consumer: backlog and oldest age grow, and p99 latency reflects the wait', async () => {
    const clock = new ManualClock('2026-11-27T15:00:00.000Z');
    // Each delivery takes 40 ms of (manual) time once the gate opens.
    const slow = gatedTarget(() => clock.advance(40));
    const bus = new InProcessEventBus({ clock, rules: [{ name: 'agent-slow', pattern: { source: ['tradeops.gateway'] }, concurrency: 1, target: slow.target }] });
    const ops = new LocalBusOperations({ bus, consumers: [{ name: 'slow', rule: 'agent-slow', detailTypes: ['FillReport'] }], restart: async () => ({ keptBacklog: 0, restarts: 0 }), archive: new InMemoryBlobStore(), archiveLocation: 'x', clock, newId: () => 'x' });

    await bus.publish(Array.from({ length: 10 }, () => anEvent('FillReport')));
    await ticks();
    const early = (await ops.stats()).consumers[0]!;
    clock.advance(2_000);
    await bus.publish(Array.from({ length: 5 }, () => anEvent('FillReport')));
    const later = (await ops.stats()).consumers[0]!;
    slow.open();
    await bus.drain();
    const done = (await ops.stats()).consumers[0]!;

    expect(early).toMatchObject({ backlog: 9, inFlight: 1, oldestAgeMs: 0, delivered: 0 });
    expect(later).toMatchObject({ backlog: 14, inFlight: 1, oldestAgeMs: 2_000, status: 'ok' });
    // Delivery i completes at +2000 + 40·i: the first ten waited 2 s, the last five only their turn.
    expect(done).toMatchObject({ backlog: 0, inFlight: 0, oldestAgeMs: 0, delivered: 15, failed: 0, latencyMs: { p50: 2_120, p99: 2_400, samples: 15 }, status: 'slow', lastDeliveryAt: '2026-11-27T15:00:02.600Z' });
  });

  it('dead-letters after the consumer delivery policy, keeping the letter in memory and in the DLQ file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tradeops-dlq-')), 'bus', 'dead-letters.jsonl');
    const dlq = new DeadLetterFile(file);
    let calls = 0;
    const { bus, ops } = setup(
      [
        {
          name: 'agent-broken',
          pattern: { source: ['tradeops.gateway'] },
          // The policy's attempt count, with the backoff shrunk so the test is fast.
          retry: { maxAttempts: CONSUMER_DELIVERY_POLICY.retryAttempts + 1, backoffMs: 1, maxBackoffMs: 2 },
          target: async () => {
            calls += 1;
            throw new Error('table unavailable');
          },
          dlq: (l) => dlq.append(l),
        },
      ],
      [{ name: 'broken', rule: 'agent-broken', detailTypes: ['FillReport'] }],
    );
    const e = anEvent('FillReport');

    await bus.publish([e]);
    await bus.drain();
    const s = (await ops.stats()).consumers[0]!;
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rule: string; attempts: number; event: { eventId: string } });

    expect(calls).toBe(CONSUMER_DELIVERY_POLICY.retryAttempts + 1);
    expect(s).toMatchObject({ delivered: 0, failed: 9, retries: 8, dlqDepth: 1, backlog: 0 });
    expect(lines).toMatchObject([{ rule: 'agent-broken', attempts: 9, event: { eventId: e.eventId } }]);
  });

  it('dead-letters without retrying an event older than the maximum event age', async () => {
    const clock = new ManualClock('2026-11-27T15:00:00.000Z');
    let calls = 0;
    const gate = gatedTarget(() => {
      calls += 1;
      throw new Error('still broken');
    });
    const bus = new InProcessEventBus({ clock, rules: [{ name: 'r', pattern: { source: ['tradeops.gateway'] }, retry: { maxAttempts: 9, backoffMs: 1, maxEventAgeMs: CONSUMER_DELIVERY_POLICY.maxEventAgeMs }, target: gate.target }] });

    await bus.publish([anEvent('FillReport')]);
    clock.advance(CONSUMER_DELIVERY_POLICY.maxEventAgeMs);
    gate.open();
    await bus.drain();

    expect(calls).toBe(1);
    expect(bus.stats()[0]).toMatchObject({ deadLettered: 1, retries: 0 });
  });
});

describe('clear_stale on the local bus', () => {
  it('drops only stale droppable events, archives them first, and delivers everything else', async () => {
    const md = gatedTarget();
    const { clock, bus, blobs, ops } = setup([{ name: 'agent-md', pattern: MARKET, concurrency: 1, target: md.target }], [{ name: 'md', rule: 'agent-md', detailTypes: MARKET['detail-type'] }]);
    const inFlight = anEvent('MarketSnapshotReport');
    const stale = [anEvent('MarketSnapshotReport'), anEvent('MarketSnapshotReport'), anEvent('GatewayHeartbeat')];
    const fills = [anEvent('FillReport'), anEvent('FillReport')];
    await bus.publish([inFlight, stale[0]!, fills[0]!, stale[1]!, fills[1]!, stale[2]!]);
    await ticks();
    clock.advance(120_000);
    const fresh = anEvent('MarketSnapshotReport');
    await bus.publish([fresh]);

    const r = await ops.clearStale({ olderThanMs: 60_000, correlationId: 'c-clear' });
    const after = (await ops.stats()).consumers[0]!;
    const archived = blobs.json(r.archiveKey!) as { count: number; olderThanMs: number; deliveries: Array<{ consumer: string; event: { eventId: string; detailType: string } }> };
    md.open();
    await bus.drain();

    expect(r).toMatchObject({ cleared: 3, byConsumer: { md: 3 }, byDetailType: { MarketSnapshotReport: 2, GatewayHeartbeat: 1 }, archiveLocation: 's3://test-backups' });
    expect(r.archiveKey).toMatch(/^eventbus\/cleared\/2026-11-27\//);
    expect(archived).toMatchObject({ count: 3, olderThanMs: 60_000 });
    expect(archived.deliveries.map((d) => d.event.eventId).sort()).toEqual(stale.map((e) => e.eventId).sort());
    expect(archived.deliveries.every((d) => d.consumer === 'md')).toBe(true);
    expect(after).toMatchObject({ backlog: 3, inFlight: 1 });
    // The one in flight, both fills and the fresh snapshot arrive; the cleared ones never do.
    expect(md.got.map((e) => e.eventId).sort()).toEqual([inFlight, ...fills, fresh].map((e) => e.eventId).sort());
  });

  it('never drops orders or fills, however old', async () => {
    const md = gatedTarget();
    const { clock, bus, ops, blobs } = setup([{ name: 'agent-md', pattern: { source: ['tradeops.gateway'] }, concurrency: 1, target: md.target }], [{ name: 'md', rule: 'agent-md', detailTypes: ['FillReport'] }]);
    await bus.publish(['FillReport', 'OrderSubmitted', 'OrderStatusReport', 'CommissionReport', 'PositionReport', 'BrokerConnectionChanged'].map((t) => anEvent(t)));
    clock.advance(86_400_000);

    const r = await ops.clearStale({ olderThanMs: 0, correlationId: 'c' });
    md.open();
    await bus.drain();

    expect(r).toMatchObject({ cleared: 0, byConsumer: { md: 0 } });
    expect(r.archiveKey).toBeUndefined();
    expect(blobs.objects.size).toBe(0);
    expect(md.got).toHaveLength(6);
  });

  it('clears nothing when the archive cannot be written: the events stay queued', async () => {
    const md = gatedTarget();
    const { clock, bus, ops, blobs } = setup([{ name: 'agent-md', pattern: MARKET, concurrency: 1, target: md.target }], [{ name: 'md', rule: 'agent-md', detailTypes: MARKET['detail-type'] }]);
    await bus.publish([anEvent('FillReport'), anEvent('MarketSnapshotReport'), anEvent('MarketSnapshotReport')]);
    await ticks();
    clock.advance(120_000);
    blobs.failNextPut = new Error('bucket unreachable');

    await expect(ops.clearStale({ olderThanMs: 60_000, correlationId: 'c' })).rejects.toMatchObject({ code: 'BUS.ARCHIVE_FAILED' });
    const after = (await ops.stats()).consumers[0]!;
    md.open();
    await bus.drain();

    expect(after.backlog).toBe(2);
    expect(md.got).toHaveLength(3);
  });
});

describe('restart on the local bus', () => {
  it('finishes in-flight deliveries, keeps the backlog and resumes delivery to a fresh handler', async () => {
    const old = gatedTarget();
    const fresh: EventEnvelope[] = [];
    const { bus, ops } = setup([{ name: 'agent-risk', pattern: { source: ['tradeops.gateway'] }, concurrency: 1, target: old.target }], [{ name: 'risk', rule: 'agent-risk', detailTypes: ['FillReport'] }]);
    const events = Array.from({ length: 6 }, () => anEvent('FillReport'));
    await bus.publish(events);
    await ticks();

    let restarted = false;
    const restarting = bus.restartRule('agent-risk', () => async (e) => void fresh.push(e)).then((r) => ((restarted = true), r));
    await ticks();
    const during = (await ops.stats()).consumers[0]!;
    const doneBeforeRelease = restarted;
    old.open();
    const r = await restarting;
    await bus.drain();
    const after = (await ops.stats()).consumers[0]!;

    expect(doneBeforeRelease).toBe(false);
    expect(during).toMatchObject({ status: 'restarting', backlog: 5, inFlight: 1 });
    expect(r).toEqual({ rule: 'agent-risk', keptBacklog: 5, restarts: 1 });
    expect(old.got.map((e) => e.eventId)).toEqual([events[0]!.eventId]);
    expect(fresh.map((e) => e.eventId)).toEqual(events.slice(1).map((e) => e.eventId));
    expect(after).toMatchObject({ restarts: 1, delivered: 6, backlog: 0, status: 'ok' });
  });

  it('restarts through the port by agent name and refuses an unknown one, naming the known agents', async () => {
    const { ops } = setup([{ name: 'agent-risk', pattern: { source: ['tradeops.gateway'] }, target: async () => undefined }], [{ name: 'risk', rule: 'agent-risk', detailTypes: ['FillReport'] }]);

    await expect(ops.restartConsumer('risk')).resolves.toMatchObject({ consumer: 'risk', restarted: true, keptBacklog: 0, restarts: 1 });
    await expect(ops.restartConsumer('slow_agent')).rejects.toMatchObject({ code: 'BUS.UNKNOWN_CONSUMER', details: { known: ['risk'] } });
  });
});
