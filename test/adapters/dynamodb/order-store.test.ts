import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../../lib/adapters/dynamodb/keys.js';
import { DynamoDbOrderStore } from '../../../lib/adapters/dynamodb/order-store.js';
import { dynaliteBackend } from '../contracts/backends.js';
import { orderStoreContract } from '../contracts/order-store.contract.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { anOrder } from './fixtures.js';
import { startLocalTable, type LocalTable } from './local-table.js';

// The port's contract against dynalite (the same cases run against memory in test/adapters/memory).
orderStoreContract(dynaliteBackend);

describe('DynamoDbOrderStore: the broker-id lookup item', () => {
  let t: LocalTable;
  let orders: DynamoDbOrderStore;
  beforeAll(async () => {
    t = await startLocalTable();
    orders = new DynamoDbOrderStore(t);
  });
  afterAll(() => t.close());

  it('writes the lookup beside the order: one refused by its version names no order, and the next accepted write still writes it', async () => {
    // Prepare: one process submitted the order with broker id 6001
    const created = await orders.create(anOrder({ clientOrderId: 'CO-W' }));
    await orders.update({ ...created, status: 'SUBMITTED', brokerOrderId: '6001' as never });
    const late = new DynamoDbOrderStore(t);

    // Act: another, on the stale version, tries broker id 6002 (refused) and then writes fresh
    await expect(late.update({ ...created, status: 'SUBMITTED', brokerOrderId: '6002' as never })).rejects.toMatchObject({ code: 'ORDER.VERSION_CONFLICT' });
    const refusedLookup = await orders.findByBrokerOrderId('6002');
    const current = (await late.get('CO-W' as ClientOrderId))!;
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: Keys.brokerOrderLookup('6001') }));
    await late.update({ ...current, status: 'ACCEPTED' });

    // Assess
    expect(refusedLookup).toBeUndefined();
    expect(await orders.findByBrokerOrderId('6001')).toMatchObject({ clientOrderId: 'CO-W', status: 'ACCEPTED' });
  });

  it('writes the broker-id lookup when the broker id is set or changes, not on every update', async () => {
    const lookupPuts: unknown[] = [];
    const counting = new DynamoDbOrderStore({
      tableName: t.tableName,
      doc: {
        send: (cmd: unknown) => {
          if (cmd instanceof PutCommand && String(cmd.input.Item?.['pk']).startsWith('BROKER_ORDER#')) lookupPuts.push(cmd.input.Item?.['pk']);
          return t.doc.send(cmd as never);
        },
      } as never,
    });
    const created = await counting.create(anOrder({ clientOrderId: 'CO-L' }));

    const submitted = await counting.update({ ...created, status: 'SUBMITTED', brokerOrderId: '8001' as never });
    const partly = await counting.update({ ...submitted, status: 'PARTIALLY_FILLED', filledQuantity: 4 });
    const moved = await counting.update({ ...partly, brokerOrderId: '8002' as never });
    await counting.update({ ...moved, status: 'FILLED', filledQuantity: 10 });

    expect(lookupPuts).toEqual([Keys.brokerOrderLookup('8001').pk, Keys.brokerOrderLookup('8002').pk]);
    expect(await orders.findByBrokerOrderId('8002')).toMatchObject({ clientOrderId: 'CO-L', status: 'FILLED' });
    expect(await orders.findByBrokerOrderId('8001')).toBeUndefined();
  });

  it('repairs a lookup lost to a crash on the next update in another process', async () => {
    const created = await orders.create(anOrder({ clientOrderId: 'CO-R', status: 'SUBMITTED', brokerOrderId: '9001' }));
    // The crash: the order was written, its lookup never was.
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: Keys.brokerOrderLookup('9001') }));
    expect(await orders.findByBrokerOrderId('9001')).toBeUndefined();

    await new DynamoDbOrderStore(t).update({ ...created, status: 'FILLED', filledQuantity: 10 });

    expect(await orders.findByBrokerOrderId('9001')).toMatchObject({ clientOrderId: 'CO-R', status: 'FILLED' });
  });
});

describe('DynamoDbOrderStore: the pre-trade reads cost what they return, not the day', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

  /** A store whose every command is recorded with what DynamoDB answered. */
  function recording(): { store: DynamoDbOrderStore; sent: Array<{ cmd: unknown; out: Record<string, unknown> }> } {
    const sent: Array<{ cmd: unknown; out: Record<string, unknown> }> = [];
    const store = new DynamoDbOrderStore({
      tableName: t.tableName,
      doc: { send: async (cmd: unknown) => { const out = (await t.doc.send(cmd as never)) as Record<string, unknown>; sent.push({ cmd, out }); return out; } } as never,
    });
    return { store, sent };
  }

  it("reads only the orders written since `updatedSince` (a key range), however many orders the day has", async () => {
    // Prepare: 40 orders of the 25th written at 15:00, then two of them written again at 15:10
    const { store, sent } = recording();
    const at = (m: number, s: number) => `2026-11-25T15:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.000Z`;
    const created = [];
    for (let i = 0; i < 40; i++) created.push(await store.create(anOrder({ clientOrderId: `D-${String(i).padStart(2, '0')}`, status: 'SUBMITTED', createdAt: at(0, i), updatedAt: at(0, i) })));
    await store.update({ ...created[7]!, status: 'CANCELLED', updatedAt: at(10, 1) });
    await store.update({ ...created[3]!, status: 'ACCEPTED', updatedAt: at(10, 2) });
    sent.length = 0;

    // Act
    const recent = await store.listByDay('2026-11-25', { updatedSince: at(10, 0) });

    // Assess: in createdAt order, and DynamoDB evaluated two items, not forty
    expect(recent.map((o) => [o.clientOrderId, o.status])).toEqual([['D-03', 'ACCEPTED'], ['D-07', 'CANCELLED']]);
    const queries = sent.filter((s) => s.cmd instanceof QueryCommand);
    expect(queries.map((q) => (q.cmd as QueryCommand).input.IndexName)).toEqual(['gsi2']);
    expect(queries.reduce((n, q) => n + Number(q.out['ScannedCount']), 0)).toBe(2);
  });
});
