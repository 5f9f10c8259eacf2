import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../../lib/adapters/dynamodb/keys.js';
import { DynamoDbOrderStore } from '../../../lib/adapters/dynamodb/order-store.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { anOrder } from './fixtures.js';
import { startLocalTable, type LocalTable } from './local-table.js';

describe('DynamoDbOrderStore', () => {
  let t: LocalTable;
  let orders: DynamoDbOrderStore;
  beforeAll(async () => {
    t = await startLocalTable();
    orders = new DynamoDbOrderStore(t);
  });
  afterAll(() => t.close());

  it('creates an order and reads it back unchanged', async () => {
    const o = anOrder({ clientOrderId: 'CO-A' });

    await orders.create(o);

    expect(await orders.get('CO-A' as ClientOrderId)).toEqual(o);
    expect(await orders.get('CO-NONE' as ClientOrderId)).toBeUndefined();
  });

  it('refuses a second create of the same clientOrderId with ORDER.DUPLICATE', async () => {
    await orders.create(anOrder({ clientOrderId: 'CO-DUP' }));

    const again = orders.create(anOrder({ clientOrderId: 'CO-DUP', quantity: 99 }));

    await expect(again).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(again).rejects.toMatchObject({ code: 'ORDER.DUPLICATE' });
    expect((await orders.get('CO-DUP' as ClientOrderId))!.quantity).toBe(10);
  });

  it('updates conditionally on version and refuses a stale copy', async () => {
    const created = await orders.create(anOrder({ clientOrderId: 'CO-V' }));

    const submitted = await orders.update({ ...created, status: 'SUBMITTED', brokerOrderId: '42' as never });
    const stale = orders.update({ ...created, status: 'CANCELLED' });

    expect(submitted.version).toBe(1);
    await expect(stale).rejects.toMatchObject({ code: 'ORDER.VERSION_CONFLICT' });
    expect((await orders.get('CO-V' as ClientOrderId))!.status).toBe('SUBMITTED');
  });

  it('refuses to update an order that does not exist', async () => {
    await expect(orders.update(anOrder({ clientOrderId: 'CO-GHOST' }))).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
  });

  it('finds an order by broker order id', async () => {
    const o = await orders.create(anOrder({ clientOrderId: 'CO-B', status: 'SUBMITTED', brokerOrderId: '7001' }));

    expect(await orders.findByBrokerOrderId('7001')).toEqual(o);
    expect(await orders.findByBrokerOrderId('7002')).toBeUndefined();
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

  it('lists working orders and drops them from the working set once terminal', async () => {
    const other = await startLocalTable();
    try {
      const store = new DynamoDbOrderStore(other);
      const a = await store.create(anOrder({ clientOrderId: 'W-1', status: 'ACCEPTED' }));
      await store.create(anOrder({ clientOrderId: 'W-2', status: 'SUBMITTED' }));
      await store.create(anOrder({ clientOrderId: 'D-1', status: 'DENIED' }));

      const before = (await store.listWorking()).map((o) => o.clientOrderId).sort();
      await store.update({ ...a, status: 'FILLED', filledQuantity: 10 });
      const after = (await store.listWorking()).map((o) => o.clientOrderId).sort();

      expect(before).toEqual(['W-1', 'W-2']);
      expect(after).toEqual(['W-2']);
    } finally {
      await other.close();
    }
  });

  it('lists orders by New York trading day, working or not', async () => {
    const other = await startLocalTable();
    try {
      const store = new DynamoDbOrderStore(other);
      // 03:00Z on the 27th is still the 26th in New York.
      await store.create(anOrder({ clientOrderId: 'N-1', status: 'ACCEPTED', createdAt: '2026-11-27T03:00:00.000Z' }));
      await store.create(anOrder({ clientOrderId: 'N-2', status: 'FILLED', createdAt: '2026-11-26T15:00:00.000Z' }));
      await store.create(anOrder({ clientOrderId: 'N-3', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:00.000Z' }));

      const day26 = (await store.listByDay('2026-11-26')).map((o) => o.clientOrderId);
      const day27 = (await store.listByDay('2026-11-27')).map((o) => o.clientOrderId);

      expect(day26).toEqual(['N-2', 'N-1']);
      expect(day27).toEqual(['N-3']);
    } finally {
      await other.close();
    }
  });
});
