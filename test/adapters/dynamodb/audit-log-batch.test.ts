import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAuditLog } from '../../../lib/adapters/dynamodb/audit-log.js';
import { Keys } from '../../../lib/adapters/dynamodb/keys.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { nextEntry, verifyChain } from '../../../lib/core/audit/chain.js';
import type { AuditEntry, AuditRecord } from '../../../lib/core/audit/audit-entry.js';
import { startLocalTable, type LocalTable } from './local-table.js';

const record = (i: number): AuditRecord => ({ actor: `user-${i}`, action: 'ORDER_SUBMITTED', subject: `order:${i}`, data: { i } });
const records = (from: number, n: number) => Array.from({ length: n }, (_, k) => record(from + k));

describe('DynamoDbAuditLog.appendMany', () => {
  /** A table of its own per test: the audit partition is one chain per table. */
  const fresh = async (run: (other: LocalTable) => Promise<void>) => {
    const other = await startLocalTable();
    try {
      await run(other);
    } finally {
      await other.close();
    }
  };

  it('appends records as consecutive entries in the order given', async () => {
    await fresh(async (other) => {
      const log = new DynamoDbAuditLog(other, { clock: new ManualClock() });
      const single = await log.append(record(0));

      const batch = await log.appendMany(records(1, 5));

      expect(batch.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
      expect(batch.map((e) => e.data['i'])).toEqual([1, 2, 3, 4, 5]);
      expect(batch[0]!.prevHash).toBe(single.hash);
      const read = await log.read();
      expect(read).toEqual([single, ...batch]);
      expect(await log.head()).toEqual(batch[4]);
      expect(await new DynamoDbAuditLog(other, { clock: new ManualClock() }).head()).toEqual(batch[4]);
      expect(verifyChain(read)).toMatchObject({ ok: true, count: 6 });
    });
  });

  it('returns nothing and writes nothing for no records', async () => {
    await fresh(async (other) => {
      const log = new DynamoDbAuditLog(other, { clock: new ManualClock() });

      expect(await log.appendMany([])).toEqual([]);
      expect(await log.head()).toBeUndefined();
    });
  });

  it('splits more records than one step holds into several steps, still one chain', async () => {
    await fresh(async (other) => {
      const log = new DynamoDbAuditLog(other, { clock: new ManualClock() });

      const entries = await log.appendMany(records(1, 60));

      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, k) => k + 1));
      const read = await log.read(1, 100);
      expect(read).toEqual(entries);
      expect(verifyChain(read)).toMatchObject({ ok: true, count: 60 });
    });
  });

  it('keeps one unbroken chain when batches and single appends race from several writers', async () => {
    await fresh(async (other) => {
      // Several log instances, as several Lambdas would be; each also gets concurrent calls.
      const writers = Array.from({ length: 4 }, () => new DynamoDbAuditLog(other, { clock: new ManualClock() }));

      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => {
          const w = writers[i % 4]!;
          return i % 3 === 0 ? w.append(record(i * 100)).then((e) => [e]) : w.appendMany(records(i * 100, 1 + (i % 7)));
        }),
      );

      const appended = results.flat();
      const entries = await new DynamoDbAuditLog(other, { clock: new ManualClock() }).read(1, 1000);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: appended.length }, (_, k) => k + 1));
      expect(verifyChain(entries)).toMatchObject({ ok: true, count: appended.length });
      // Each batch's entries are consecutive and in the order given.
      for (const batch of results) {
        expect(batch.map((e) => e.seq)).toEqual(batch.map((_, k) => batch[0]!.seq + k));
        expect(entries.slice(batch[0]!.seq - 1, batch[0]!.seq - 1 + batch.length)).toEqual(batch);
      }
    });
  });

  it('completes a batch whose writer crashed after its first entry, and chains after it', async () => {
    await fresh(async (other) => {
      const log = new DynamoDbAuditLog(other, { clock: new ManualClock() });
      const first = await log.append(record(0));
      // The crash: entry 2 written carrying entries 3 and 4, which never got written; HEAD still at 1.
      const batch: AuditEntry[] = [];
      for (const r of records(1, 3)) batch.push(nextEntry(batch.at(-1) ?? first, r, '2026-11-26T14:31:00.000Z'));
      await other.doc.send(new PutCommand({ TableName: other.tableName, Item: { ...Keys.auditEntry(2), ...batch[0], batchRest: batch.slice(1) } }));

      // A reader sees the whole batch already; another writer finds the batch's end and completes it.
      expect(await log.read()).toEqual([first, ...batch]);
      const next = await new DynamoDbAuditLog(other, { clock: new ManualClock() }).append(record(9));

      expect(next.seq).toBe(5);
      expect(next.prevHash).toBe(batch[2]!.hash);
      const stored = await other.doc.send(new GetCommand({ TableName: other.tableName, Key: Keys.auditEntry(4) }));
      expect(stored.Item).toMatchObject({ seq: 4, hash: batch[2]!.hash });
      expect(verifyChain(await log.read())).toMatchObject({ ok: true, count: 5 });
    });
  });

  it('reports a batch whose carried entries do not continue its first entry as corrupt', async () => {
    await fresh(async (other) => {
      const log = new DynamoDbAuditLog(other, { clock: new ManualClock() });
      const e1 = nextEntry(undefined, record(1), '2026-11-26T14:31:00.000Z');
      const e2 = nextEntry(e1, record(2), '2026-11-26T14:31:00.000Z');
      await other.doc.send(new PutCommand({ TableName: other.tableName, Item: { ...Keys.auditEntry(1), ...e1, batchRest: [{ ...e2, seq: 7 }] } }));

      await expect(log.head()).rejects.toMatchObject({ code: 'STORE.CORRUPT_RECORD' });
    });
  });
});
