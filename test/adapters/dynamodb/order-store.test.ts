import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
