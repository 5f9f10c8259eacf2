import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientOrderId, ExecId } from '../../../lib/core/shared/ids.js';
import { aFill } from '../dynamodb/fixtures.js';
import { openOnce, type StoreBackend } from './backends.js';

/** The FillStore port's contract, run against each backend. */
export function fillStoreContract(backend: StoreBackend): void {
  describe(`FillStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const fills = () => h().stores.fills;

    it('records a fill once and reports redeliveries as duplicates', async () => {
      const f = aFill({ execId: 'E-1' });

      const first = await fills().recordIfNew(f);
      const again = await Promise.all([fills().recordIfNew(f), fills().recordIfNew({ ...f, quantity: 5 })]);

      expect(first).toBe(true);
      expect(again).toEqual([false, false]);
      expect(await fills().get('E-1' as ExecId)).toEqual(f);
    });

    it('admits exactly one of many concurrent deliveries of the same execId', async () => {
      const f = aFill({ execId: 'E-RACE' });

      const results = await Promise.all(Array.from({ length: 8 }, () => fills().recordIfNew(f)));

      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('sets the commission on the fill and on its copy under the order', async () => {
      await fills().recordIfNew(aFill({ execId: 'E-C', clientOrderId: 'CO-C' }));

      await fills().setCommission('E-C' as ExecId, '1.05');

      expect((await fills().get('E-C' as ExecId))!.commission).toBe('1.05');
      expect((await fills().listByOrder('CO-C' as ClientOrderId)).map((x) => x.commission)).toEqual(['1.05']);
      await expect(fills().setCommission('E-NONE' as ExecId, '1.00')).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    });

    it('lists fills by order and by trading day', async () => {
      await fills().recordIfNew(aFill({ execId: 'E-O1', clientOrderId: 'CO-O', executedAt: '2026-11-25T15:00:02.000Z' }));
      await fills().recordIfNew(aFill({ execId: 'E-O2', clientOrderId: 'CO-O', executedAt: '2026-11-25T15:00:01.000Z' }));
      await fills().recordIfNew(aFill({ execId: 'E-X', clientOrderId: undefined, executedAt: '2026-11-25T16:00:00.000Z' }));

      const byOrder = (await fills().listByOrder('CO-O' as ClientOrderId)).map((x) => x.execId);
      const byDay = (await fills().listByDay('2026-11-25')).map((x) => x.execId).sort();

      expect(byOrder).toEqual(['E-O2', 'E-O1']);
      expect(byDay).toEqual(['E-O1', 'E-O2', 'E-X']);
    });

    it('lists a day\'s fills in execution order', async () => {
      await fills().recordIfNew(aFill({ execId: 'E-D2', executedAt: '2026-11-24T15:00:02.000Z' }));
      await fills().recordIfNew(aFill({ execId: 'E-D1', executedAt: '2026-11-24T15:00:01.000Z' }));

      expect((await fills().listByDay('2026-11-24')).map((x) => x.execId)).toEqual(['E-D1', 'E-D2']);
    });
  });
}
