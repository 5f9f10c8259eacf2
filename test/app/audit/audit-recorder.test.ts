import { describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../../lib/app/audit/audit-recorder.js';
import { verifyChain } from '../../../lib/core/audit/chain.js';
import type { AuditEntry, AuditRecord } from '../../../lib/core/audit/audit-entry.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { CorrelationIdSchema, EventIdSchema } from '../../../lib/core/shared/ids.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';

const event = (n: number): EventEnvelope => ({
  eventId: EventIdSchema.parse(`01J000000000000000000000${String(n).padStart(2, '0')}`),
  source: 'tradeops.gateway',
  detailType: 'OrderSubmitted',
  tsEvent: '2026-11-26T15:00:00.000Z',
  tsInit: '2026-11-26T15:00:00.000Z',
  correlationId: CorrelationIdSchema.parse(`corr-${n}`),
  detail: { clientOrderId: `ord-${n}` },
});

/** The in-memory chain, counting batches and able to fail the next one. */
class CountingAuditLog extends InMemoryAuditLog {
  batches: number[] = [];
  failNext = false;
  started = 0;
  override async appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    this.started += 1;
    await new Promise((r) => setTimeout(r, 2)); // a store round trip: later events arrive meanwhile
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store unavailable');
    }
    this.batches.push(records.length);
    return super.appendMany(records);
  }
}

const eventIds = (log: InMemoryAuditLog) => log.entries.map((e) => e.data['eventId']);

describe('createAuditRecorder', () => {
  it('records events delivered together in one batch, in the order they arrived', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit });

    await Promise.all([1, 2, 3, 4].map((n) => record(event(n))));

    expect(audit.batches).toEqual([4]);
    expect(eventIds(audit)).toEqual([1, 2, 3, 4].map((n) => event(n).eventId));
    expect(audit.entries[0]).toMatchObject({ actor: 'tradeops.gateway', action: 'ORDER_SUBMITTED', subject: 'order:ord-1', correlationId: 'corr-1' });
    expect(verifyChain(audit.entries)).toMatchObject({ ok: true, count: 4 });
  });

  it('resolves a delivery only once its entry is in the log', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit });

    const delivered = record(event(1)).then(() => eventIds(audit));

    expect(eventIds(audit)).toEqual([]);
    expect(await delivered).toEqual([event(1).eventId]);
  });

  it('batches events arriving while a write is under way into the next write', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit });

    const first = record(event(1));
    for (const deadline = Date.now() + 2_000; audit.started === 0 && Date.now() < deadline; ) await new Promise((r) => setImmediate(r));
    await Promise.all([first, ...[2, 3, 4].map((n) => record(event(n)))]);

    expect(audit.batches).toEqual([1, 3]);
    expect(eventIds(audit)).toEqual([1, 2, 3, 4].map((n) => event(n).eventId));
  });

  it('writes at most maxEvents per batch', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit }, { maxEvents: 3 });

    await Promise.all(Array.from({ length: 7 }, (_, i) => record(event(i))));

    expect(audit.batches).toEqual([3, 3, 1]);
    expect(eventIds(audit)).toEqual(Array.from({ length: 7 }, (_, i) => event(i).eventId));
  });

  it('skips a redelivered event, recorded or still being recorded', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit });

    await Promise.all([record(event(1)), record(event(1))]);
    await record(event(1));

    expect(eventIds(audit)).toEqual([event(1).eventId]);
  });

  it('rejects every delivery of a failed batch, and records them when redelivered', async () => {
    const audit = new CountingAuditLog();
    audit.failNext = true;
    const record = createAuditRecorder({ audit });

    const results = await Promise.allSettled([record(event(1)), record(event(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(audit.entries).toEqual([]);

    await Promise.all([record(event(1)), record(event(2))]);

    expect(eventIds(audit)).toEqual([event(1).eventId, event(2).eventId]);
  });

  it('writes what is buffered at once on flush, without waiting for the linger window', async () => {
    const audit = new CountingAuditLog();
    const record = createAuditRecorder({ audit }, { lingerMs: 60_000 });

    const delivered = [record(event(1)), record(event(2))];
    await record.flush();

    expect(eventIds(audit)).toEqual([event(1).eventId, event(2).eventId]);
    await Promise.all(delivered);
    await record.flush(); // nothing left: returns at once
  });
});
