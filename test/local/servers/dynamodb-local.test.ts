import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClients } from '../../../lib/adapters/dynamodb/client.js';
import { ensureTables } from '../../../lib/adapters/dynamodb/ensure-tables.js';
import { DynamoDbAuditLog } from '../../../lib/adapters/dynamodb/audit-log.js';
import { verifyChain } from '../../../lib/core/audit/chain.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { DynamoDbOrderStore } from '../../../lib/adapters/dynamodb/order-store.js';
import { DynamoDbTradingStateStore } from '../../../lib/adapters/dynamodb/trading-state-store.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { startLocalDynamo } from '../../../lib/local/servers/dynamodb-local.js';
import { anOrder } from '../../adapters/dynamodb/fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function withServer<T>(dataDir: string | undefined, fn: (ref: { doc: ReturnType<typeof createDynamoDbClients>['doc']; tableName: string; endpoint: string }) => Promise<T>): Promise<T> {
  const server = await startLocalDynamo(dataDir === undefined ? {} : { dataDir });
  const { client, doc } = createDynamoDbClients({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
  try {
    const tableName = await ensureTables(client, 'local');
    return await fn({ doc, tableName, endpoint: server.endpoint });
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('startLocalDynamo', () => {
  it('listens on a free loopback port and answers the DynamoDB API', async () => {
    const a = await startLocalDynamo();
    const b = await startLocalDynamo();
    const { client } = createDynamoDbClients({ region: 'us-east-1', endpoint: a.endpoint, localCredentials: true });
    try {
      const tables = await client.send(new ListTablesCommand({}));

      expect(a.port).not.toBe(b.port);
      expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(tables.TableNames).toEqual([]);
    } finally {
      client.destroy();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps orders, trading state and the audit chain across a restart with a data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-ddb-'));
    dirs.push(dataDir);

    await withServer(dataDir, async (ref) => {
      await new DynamoDbOrderStore(ref).create(anOrder({ clientOrderId: 'CO-PERSIST' }));
      await new DynamoDbTradingStateStore(ref).compareAndSet(-1, { mode: 'HALTED', changedAt: '2026-11-26T14:30:00.000Z', changedBy: 'john', reason: 'drill' });
      await new DynamoDbAuditLog(ref, { clock: new ManualClock() }).append({ actor: 'john', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { to: 'HALTED' } });
    });
    const after = await withServer(dataDir, async (ref) => ({
      order: await new DynamoDbOrderStore(ref).get('CO-PERSIST' as ClientOrderId),
      state: await new DynamoDbTradingStateStore(ref).get(),
      working: await new DynamoDbOrderStore(ref).listWorking(),
      appended: await new DynamoDbAuditLog(ref, { clock: new ManualClock() }).append({ actor: 'jane', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { to: 'ACTIVE' } }),
      audit: await new DynamoDbAuditLog(ref, { clock: new ManualClock() }).read(),
    }));

    expect(after.order?.clientOrderId).toBe('CO-PERSIST');
    expect(after.state).toMatchObject({ mode: 'HALTED', version: 0 });
    expect(after.working.map((o) => o.clientOrderId)).toEqual(['CO-PERSIST']);
    expect(after.appended.seq).toBe(2);
    expect(verifyChain(after.audit)).toMatchObject({ ok: true, count: 2 });
  });

  it('starts empty without a data directory', async () => {
    const got = await withServer(undefined, (ref) => new DynamoDbTradingStateStore(ref).get());
    expect(got).toBeUndefined();
  });
});
