import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
