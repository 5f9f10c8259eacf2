import { describe, expect, it } from 'vitest';
import { copy } from '../../../lib/adapters/memory/copy.js';
import { deepFreeze } from '../../../lib/core/shared/deep-freeze.js';
import { InMemoryAuditLog, InMemorySurveillanceActivityStore } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { fillObs } from '../../core/surveillance/obs.js';
import { anOrder } from '../dynamodb/fixtures.js';

// What only the in-memory stores do (the ports' contracts are in contracts.test.ts).
describe('in-memory stores', () => {
  it('copies plain values in depth and drops undefined properties, as the DynamoDB document client does', () => {
    const v = { a: 1, b: { c: ['x', { d: 2 }] }, e: undefined, f: null };

    const c = copy(v);

    expect(c).toEqual({ a: 1, b: { c: ['x', { d: 2 }] }, f: null });
    expect('e' in c).toBe(false);
    expect(c.b).not.toBe(v.b);
    expect(c.b.c[1]).not.toBe(v.b.c[1]);
  });

  it('hands out observations and audit entries frozen, so no caller can change what is stored', async () => {
    const activity = new InMemorySurveillanceActivityStore();
    const audit = new InMemoryAuditLog();
    await activity.recordIfNew(fillObs('F1', 'BUY', 1, '10', 0));
    const entry = await audit.append({ actor: 'a', action: 'X', subject: 's', data: { n: 1 } });

    const [obs] = await activity.listRange('AAPL', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z');

    expect(() => Object.assign(obs!, { quantity: 99 })).toThrow(TypeError);
    expect(() => Object.assign(entry.data, { n: 2 })).toThrow(TypeError);
    expect((await audit.read())[0]?.data).toEqual({ n: 1 });
    expect(deepFreeze({ a: { b: 1 } }).a).toSatisfy(Object.isFrozen);
  });

  it('drops observations older than the DynamoDB TTL (8 days before the newest of the symbol)', async () => {
    const activity = new InMemorySurveillanceActivityStore();
    const day = 86_400;
    await activity.recordIfNew(fillObs('OLD', 'BUY', 1, '10', 0));
    await activity.recordIfNew(fillObs('KEPT', 'BUY', 1, '10', 7 * day));

    await activity.recordIfNew(fillObs('NEW', 'BUY', 1, '10', 8 * day + 1));

    const all = await activity.listRange('AAPL', '2026-11-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z');
    expect(all.map((o) => o.execId)).toEqual(['KEPT', 'NEW']);
    expect(activity.observations.size).toBe(2);
  });

  it('forgets a broker id once the order moved to another, without scanning', async () => {
    const orders = new InMemoryOrderStore();
    const created = await orders.create(anOrder({ clientOrderId: 'CO-M', status: 'SUBMITTED', brokerOrderId: '1' }));
    await orders.update({ ...created, brokerOrderId: '2' as never });

    expect(await orders.findByBrokerOrderId('1')).toBeUndefined();
    expect((await orders.findByBrokerOrderId('2'))?.clientOrderId).toBe('CO-M');
  });
});
