import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAuditLog } from '../../../lib/adapters/dynamodb/audit-log.js';
import { Keys } from '../../../lib/adapters/dynamodb/keys.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { nextEntry, verifyChain } from '../../../lib/core/audit/chain.js';
import { startLocalTable, type LocalTable } from './local-table.js';
import { auditLogContract } from '../contracts/audit-log.contract.js';
import { dynaliteBackend } from '../contracts/backends.js';

const record = (i: number) => ({ actor: `user-${i}`, action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { i } });

// The port's contract against dynalite (the same cases run against memory in test/adapters/memory).
auditLogContract(dynaliteBackend);

describe('DynamoDbAuditLog: several writers, crashes', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

  const freshLog = async () => {
    const other = await startLocalTable();
    return { other, log: new DynamoDbAuditLog(other, { clock: new ManualClock() }) };
  };

  it('keeps one unbroken chain under concurrent appends from several instances', async () => {
    const { other, log } = await freshLog();
    try {
      // Several log instances, as several Lambdas would be; each also gets concurrent calls.
      const writers = Array.from({ length: 4 }, () => new DynamoDbAuditLog(other, { clock: new ManualClock() }));

      const appended = await Promise.all(Array.from({ length: 24 }, (_, i) => writers[i % 4]!.append(record(i))));

      const entries = await log.read();
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(new Set(appended.map((e) => e.seq)).size).toBe(24);
      expect(verifyChain(entries)).toMatchObject({ ok: true, count: 24 });
    } finally {
      await other.close();
    }
  });

  it('finds the real head after a writer crashed between the entry and the head pointer', async () => {
    const { other, log } = await freshLog();
    try {
      const first = await log.append(record(1));
      const orphan = nextEntry(first, record(2), '2026-11-26T14:31:00.000Z');
      // The crash: entry 2 written, HEAD still at 1.
      await other.doc.send(new PutCommand({ TableName: other.tableName, Item: { ...Keys.auditEntry(2), ...orphan } }));

      const head = await log.head();
      const third = await log.append(record(3));

      expect(head).toEqual(orphan);
      expect(third.seq).toBe(3);
      expect(third.prevHash).toBe(orphan.hash);
      expect(verifyChain(await log.read())).toMatchObject({ ok: true, count: 3 });
    } finally {
      await other.close();
    }
  });

  it('reports a HEAD pointing at a missing entry as corrupt', async () => {
    const { other, log } = await freshLog();
    try {
      await log.append(record(1));
      await other.doc.send(new DeleteCommand({ TableName: other.tableName, Key: Keys.auditEntry(1) }));

      await expect(log.head()).rejects.toMatchObject({ code: 'STORE.CORRUPT_RECORD' });
    } finally {
      await other.close();
    }
  });

  it('advances HEAD every few single entries, and a new writer still finds the real head', async () => {
    const { other, log } = await freshLog();
    try {
      // Prepare: 20 single entries with HEAD written every 8
      const writer = new DynamoDbAuditLog(other, { clock: new ManualClock(), headEvery: 8 });
      for (let i = 1; i <= 20; i++) await writer.append(record(i));

      // Act: a fresh instance (another Lambda, a restart) finds the head and appends after it
      const head = await log.head();
      const next = await log.append(record(21));

      // Assess
      const pointer = await other.doc.send(new GetCommand({ TableName: other.tableName, Key: Keys.auditHead() }));
      expect(pointer.Item?.['seq']).toBe(17);
      expect(head?.seq).toBe(20);
      expect(next.seq).toBe(21);
      expect(verifyChain(await log.read())).toMatchObject({ ok: true, count: 21 });
    } finally {
      await other.close();
    }
  });
});
