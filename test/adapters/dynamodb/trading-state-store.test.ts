import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClients } from '../../../lib/adapters/dynamodb/client.js';
import { DynamoDbTradingStateStore } from '../../../lib/adapters/dynamodb/trading-state-store.js';
import { ValidationError } from '../../../lib/core/shared/errors.js';
import { dynaliteBackend } from '../contracts/backends.js';
import { tradingStateStoreContract } from '../contracts/trading-state-store.contract.js';
import { startLocalTable, type LocalTable } from './local-table.js';

const change = (mode: 'ACTIVE' | 'REDUCING' | 'HALTED', by = 'system') => ({ mode, changedAt: '2026-11-26T14:30:00.000Z', changedBy: by, reason: `to ${mode}` });

// The port's contract against dynalite (the same cases run against memory in test/adapters/memory).
tradingStateStoreContract(dynaliteBackend);

describe('DynamoDbTradingStateStore: stored records and errors', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

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
