import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { anOrder } from '../dynamodb/fixtures.js';
import { orderActivityOf } from '../../../lib/core/orders/activity.js';
import { openOnce, withFresh, type StoreBackend } from './backends.js';

/** The OrderStore port's contract, run against each backend. */
export function orderStoreContract(backend: StoreBackend): void {
  describe(`OrderStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const orders = () => h().stores.orders;

    it('creates an order and reads it back unchanged', async () => {
      const o = anOrder({ clientOrderId: 'CO-A' });

      await orders().create(o);

      expect(await orders().get('CO-A' as ClientOrderId)).toEqual(o);
      expect(await orders().get('CO-NONE' as ClientOrderId)).toBeUndefined();
    });

    it('refuses a second create of the same clientOrderId with ORDER.DUPLICATE', async () => {
      await orders().create(anOrder({ clientOrderId: 'CO-DUP' }));

      const again = orders().create(anOrder({ clientOrderId: 'CO-DUP', quantity: 99 }));

      await expect(again).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(again).rejects.toMatchObject({ code: 'ORDER.DUPLICATE' });
      expect((await orders().get('CO-DUP' as ClientOrderId))!.quantity).toBe(10);
    });

    it('updates conditionally on version and refuses a stale copy', async () => {
      const created = await orders().create(anOrder({ clientOrderId: 'CO-V' }));

      const submitted = await orders().update({ ...created, status: 'SUBMITTED', brokerOrderId: '42' as never });
      const stale = orders().update({ ...created, status: 'CANCELLED' });

      expect(submitted.version).toBe(1);
      await expect(stale).rejects.toMatchObject({ code: 'ORDER.VERSION_CONFLICT' });
      expect((await orders().get('CO-V' as ClientOrderId))!.status).toBe('SUBMITTED');
    });

    it('lets exactly one of two racing updates of the same version win', async () => {
      const created = await orders().create(anOrder({ clientOrderId: 'CO-RACE' }));

      const results = await Promise.allSettled([orders().update({ ...created, status: 'SUBMITTED' }), orders().update({ ...created, status: 'CANCELLED' })]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await orders().get('CO-RACE' as ClientOrderId))!.version).toBe(1);
    });

    it('refuses to update an order that does not exist', async () => {
      await expect(orders().update(anOrder({ clientOrderId: 'CO-GHOST' }))).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    });

    it('finds an order by broker order id', async () => {
      const o = await orders().create(anOrder({ clientOrderId: 'CO-B', status: 'SUBMITTED', brokerOrderId: '7001' }));

      expect(await orders().findByBrokerOrderId('7001')).toEqual(o);
      expect(await orders().findByBrokerOrderId('7002')).toBeUndefined();
    });

    it('follows a broker id that changes: the new one finds the order, the old one no longer does', async () => {
      const created = await orders().create(anOrder({ clientOrderId: 'CO-L' }));

      const submitted = await orders().update({ ...created, status: 'SUBMITTED', brokerOrderId: '8001' as never });
      const moved = await orders().update({ ...submitted, brokerOrderId: '8002' as never });
      await orders().update({ ...moved, status: 'FILLED', filledQuantity: 10 });

      expect(await orders().findByBrokerOrderId('8002')).toMatchObject({ clientOrderId: 'CO-L', status: 'FILLED' });
      expect(await orders().findByBrokerOrderId('8001')).toBeUndefined();
    });

    it('hands out copies: changing a returned order changes nothing stored', async () => {
      const created = await orders().create(anOrder({ clientOrderId: 'CO-COPY' }));
      created.status = 'FILLED';
      const read = (await orders().get('CO-COPY' as ClientOrderId))!;
      read.quantity = 1;

      expect(await orders().get('CO-COPY' as ClientOrderId)).toMatchObject({ status: 'APPROVED', quantity: 10 });
    });

    it('lists working orders and drops them from the working set once terminal', async () => {
      await withFresh(backend, async ({ orders: store }) => {
        const a = await store.create(anOrder({ clientOrderId: 'W-1', status: 'ACCEPTED' }));
        await store.create(anOrder({ clientOrderId: 'W-2', status: 'SUBMITTED' }));
        await store.create(anOrder({ clientOrderId: 'D-1', status: 'DENIED' }));

        const before = (await store.listWorking()).map((o) => o.clientOrderId).sort();
        await store.update({ ...a, status: 'FILLED', filledQuantity: 10 });
        const after = (await store.listWorking()).map((o) => o.clientOrderId).sort();

        expect(before).toEqual(['W-1', 'W-2']);
        expect(after).toEqual(['W-2']);
      });
    });

    it('lists working orders by trading day, then createdAt, then id', async () => {
      await withFresh(backend, async ({ orders: store }) => {
        await store.create(anOrder({ clientOrderId: 'O-3', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:00.000Z' }));
        await store.create(anOrder({ clientOrderId: 'O-2', status: 'ACCEPTED', createdAt: '2026-11-26T15:00:00.000Z' }));
        await store.create(anOrder({ clientOrderId: 'O-1', status: 'SUBMITTED', createdAt: '2026-11-26T15:00:00.000Z' }));

        expect((await store.listWorking()).map((o) => o.clientOrderId)).toEqual(['O-1', 'O-2', 'O-3']);
      });
    });

    it('lists orders by New York trading day, working or not', async () => {
      await withFresh(backend, async ({ orders: store }) => {
        // 03:00Z on the 27th is still the 26th in New York.
        await store.create(anOrder({ clientOrderId: 'N-1', status: 'ACCEPTED', createdAt: '2026-11-27T03:00:00.000Z' }));
        await store.create(anOrder({ clientOrderId: 'N-2', status: 'FILLED', createdAt: '2026-11-26T15:00:00.000Z' }));
        await store.create(anOrder({ clientOrderId: 'N-3', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:00.000Z' }));

        const day26 = (await store.listByDay('2026-11-26')).map((o) => o.clientOrderId);
        const day27 = (await store.listByDay('2026-11-27')).map((o) => o.clientOrderId);

        expect(day26).toEqual(['N-2', 'N-1']);
        expect(day27).toEqual(['N-3']);
      });
    });

    it('lists a slice of a day: one symbol, the orders written since a time, some statuses, or a mix', async () => {
      await withFresh(backend, async ({ orders: store }) => {
        // Prepare: three orders of the 27th, two in AAPL; one of them written again later
        await store.create(anOrder({ clientOrderId: 'S-1', symbol: 'AAPL', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:00.000Z', updatedAt: '2026-11-27T15:00:00.000Z' }));
        const s2 = await store.create(anOrder({ clientOrderId: 'S-2', symbol: 'MSFT', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:01.000Z', updatedAt: '2026-11-27T15:00:01.000Z' }));
        await store.create(anOrder({ clientOrderId: 'S-3', symbol: 'AAPL', status: 'ACCEPTED', createdAt: '2026-11-27T15:00:02.000Z', updatedAt: '2026-11-27T15:00:02.000Z' }));
        await store.update({ ...s2, status: 'FILLED', updatedAt: '2026-11-27T15:00:05.000Z' });

        // Act
        const ids = async (filter: Parameters<typeof store.listByDay>[1]) => (await store.listByDay('2026-11-27', filter)).map((o) => o.clientOrderId);

        // Assess: the same order as the whole day's list, filtered
        expect(await ids({ symbol: 'AAPL' })).toEqual(['S-1', 'S-3']);
        expect(await ids({ symbol: 'IBM' })).toEqual([]);
        expect(await ids({ updatedSince: '2026-11-27T15:00:02.000Z' })).toEqual(['S-2', 'S-3']);
        expect(await ids({ updatedSince: '2026-11-27T15:00:03.000Z' })).toEqual(['S-2']);
        expect(await ids({ symbol: 'AAPL', updatedSince: '2026-11-27T15:00:01.000Z' })).toEqual(['S-3']);
        expect(await ids({ statuses: ['FILLED'] })).toEqual(['S-2']);
        expect(await ids({ statuses: ['ACCEPTED', 'FILLED'], symbol: 'AAPL' })).toEqual(['S-1', 'S-3']);
        expect(await ids({ statuses: [] })).toEqual([]);
        expect(await ids({})).toEqual(['S-1', 'S-2', 'S-3']);
      });
    });

    it("counts a symbol's activity per strategy as the day's orders fold to, through cancels and fills", async () => {
      await withFresh(backend, async ({ orders: store }) => {
        const origin = (strategyId: string) => ({ strategyId, agentId: 'cio-agent', agentVersion: '1', signalIds: [] });
        const at = (s: number) => `2026-11-27T15:00:${String(s).padStart(2, '0')}.000Z`;
        // Prepare: momo places three AAPL orders (one cancelled, one filled), meanrev one, a strategy-less one; MSFT apart
        const a1 = await store.create(anOrder({ clientOrderId: 'A-1', symbol: 'AAPL', status: 'SUBMITTED', origin: origin('momo'), createdAt: at(1), updatedAt: at(1) }));
        const a2 = await store.create(anOrder({ clientOrderId: 'A-2', symbol: 'AAPL', status: 'SUBMITTED', origin: origin('momo'), createdAt: at(2), updatedAt: at(2) }));
        await store.create(anOrder({ clientOrderId: 'A-3', symbol: 'AAPL', status: 'SUBMITTED', origin: origin('momo'), createdAt: at(3), updatedAt: at(3) }));
        await store.create(anOrder({ clientOrderId: 'A-4', symbol: 'AAPL', status: 'DENIED', origin: origin('meanrev'), createdAt: at(4), updatedAt: at(4) }));
        await store.create(anOrder({ clientOrderId: 'A-5', symbol: 'AAPL', status: 'SUBMITTED', createdAt: at(5), updatedAt: at(5) }));
        await store.create(anOrder({ clientOrderId: 'M-1', symbol: 'MSFT', status: 'SUBMITTED', origin: origin('momo'), createdAt: at(6), updatedAt: at(6) }));
        const a1c = await store.update({ ...a1, status: 'CANCELLED', updatedAt: at(7) });
        const a2p = await store.update({ ...a2, status: 'PARTIALLY_FILLED', filledQuantity: 4, updatedAt: at(8) });
        await store.update({ ...a2p, status: 'FILLED', filledQuantity: 10, updatedAt: at(9) });
        // A cancelled order whose partial fill is reported late counts in both, once each, however often it is written
        const late = await store.update({ ...a1c, filledQuantity: 2, updatedAt: at(10) });
        await store.update({ ...late, updatedAt: at(11) });

        // Act
        const activity = async (day: string, symbol: string) => (await store.activityByDay(day, symbol)).sort((x, y) => (x.strategyId < y.strategyId ? -1 : 1));
        const folded = async (day: string, symbol: string) => orderActivityOf(await store.listByDay(day, { symbol })).sort((x, y) => (x.strategyId < y.strategyId ? -1 : 1));

        // Assess
        expect(await activity('2026-11-27', 'AAPL')).toEqual([
          { strategyId: '', symbol: 'AAPL', orders: 1, cancels: 0, fills: 0 },
          { strategyId: 'meanrev', symbol: 'AAPL', orders: 1, cancels: 0, fills: 0 },
          { strategyId: 'momo', symbol: 'AAPL', orders: 3, cancels: 1, fills: 2 },
        ]);
        expect(await activity('2026-11-27', 'AAPL')).toEqual(await folded('2026-11-27', 'AAPL'));
        expect(await activity('2026-11-27', 'MSFT')).toEqual([{ strategyId: 'momo', symbol: 'MSFT', orders: 1, cancels: 0, fills: 0 }]);
        expect(await activity('2026-11-27', 'IBM')).toEqual([]);
        expect(await activity('2026-11-26', 'AAPL')).toEqual([]);
      });
    });
  });
}
