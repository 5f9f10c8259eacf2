import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClients } from '../../../lib/adapters/dynamodb/client.js';
import { DynamoDbTradingStateStore } from '../../../lib/adapters/dynamodb/trading-state-store.js';
import { ConcurrencyError, ValidationError } from '../../../lib/core/shared/errors.js';
import { startLocalTable, type LocalTable } from './local-table.js';

const change = (mode: 'ACTIVE' | 'REDUCING' | 'HALTED', by = 'system') => ({ mode, changedAt: '2026-11-26T14:30:00.000Z', changedBy: by, reason: `to ${mode}` });

describe('DynamoDbTradingStateStore', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

  it('initialises once, then moves version by version', async () => {
    const store = new DynamoDbTradingStateStore(t);
    expect(await store.get()).toBeUndefined();

    const first = await store.compareAndSet(-1, change('ACTIVE'));
    const second = await store.compareAndSet(first.version, change('HALTED', 'john'));

    expect(first.version).toBe(0);
    expect(second).toMatchObject({ mode: 'HALTED', version: 1, changedBy: 'john' });
    expect(await store.get()).toEqual(second);
  });

  it('refuses a stale version with STATE.VERSION_CONFLICT', async () => {
    const store = new DynamoDbTradingStateStore(t);
    const current = (await store.get())!;

    const stale = store.compareAndSet(current.version - 1, change('ACTIVE'));
    const reinit = store.compareAndSet(-1, change('ACTIVE'));

    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(stale).rejects.toMatchObject({ code: 'STATE.VERSION_CONFLICT' });
    await expect(reinit).rejects.toMatchObject({ code: 'STATE.VERSION_CONFLICT' });
    expect(await store.get()).toEqual(current);
  });

  it('lets exactly one of two racing writers win', async () => {
    const store = new DynamoDbTradingStateStore(t);
    const current = (await store.get())!;

    const results = await Promise.allSettled([store.compareAndSet(current.version, change('REDUCING', 'a')), store.compareAndSet(current.version, change('HALTED', 'b'))]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.get())!.version).toBe(current.version + 1);
  });

  it('reports a corrupt record as a typed error naming the field', async () => {
    const other = await startLocalTable();
    try {
      await other.doc.send(new PutCommand({ TableName: other.tableName, Item: { pk: 'TRADING_STATE', sk: 'CURRENT', ...change('ACTIVE'), mode: 'PANIC', version: 3 } }));
      const read = new DynamoDbTradingStateStore(other).get();
      await expect(read).rejects.toBeInstanceOf(ValidationError);
      await expect(read).rejects.toMatchObject({ code: 'STORE.CORRUPT_RECORD', message: expect.stringContaining('field mode') });
    } finally {
      await other.close();
    }
  });

  it('turns an unreachable server into STORE.UNAVAILABLE naming the operation', async () => {
    const { client, doc } = createDynamoDbClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', localCredentials: true, maxAttempts: 1 });
    try {
      await expect(new DynamoDbTradingStateStore({ doc, tableName: 't' }).get()).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE', message: expect.stringContaining('GetItem') });
    } finally {
      client.destroy();
    }
  });

  it('turns a missing table into STORE.REQUEST_FAILED', async () => {
    await expect(new DynamoDbTradingStateStore({ doc: t.doc, tableName: 'no-such-table' }).get()).rejects.toMatchObject({ code: 'STORE.REQUEST_FAILED' });
  });
});
