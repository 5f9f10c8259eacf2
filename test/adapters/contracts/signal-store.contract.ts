import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignal } from '../../support/builders.js';
import { openOnce, type StoreBackend } from './backends.js';

/** The SignalStore port's contract, run against each backend. */
export function signalStoreContract(backend: StoreBackend): void {
  describe(`SignalStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const make = () => h().stores.signals;

    it('records a signal once and tells a redelivery from a conflicting reuse of its id', async () => {
      const store = make();
      const s = aSignal({ strategyId: 'st-dup' });

      const first = await store.record(s);
      const again = await store.record(structuredClone(s));
      const clash = await store.record({ ...s, strength: 0.1 });

      expect([first, again, clash]).toEqual(['recorded', 'duplicate', 'conflict']);
      expect(await store.get(s.signalId)).toEqual(s);
    });

    it('admits exactly one of many concurrent deliveries', async () => {
      const store = make();
      const s = aSignal({ strategyId: 'st-race' });

      const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.record(s)));

      expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(7);
    });

    it('keeps the latest signal per strategy of a symbol, whatever the arrival order', async () => {
      const store = make();
      const newer = aSignal({ symbol: 'LATE', strategyId: 'a', createdAt: '2026-11-26T15:00:00.000Z' });
      const older = aSignal({ symbol: 'LATE', strategyId: 'a', createdAt: '2026-11-26T14:00:00Z' });
      const other = aSignal({ symbol: 'LATE', strategyId: 'b', createdAt: '2026-11-26T13:00:00.000Z' });
      const elsewhere = aSignal({ symbol: 'ELSE', strategyId: 'a' });

      for (const s of [newer, older, other, elsewhere]) await store.record(s);
      const latest = await store.latestBySymbol('LATE');

      expect(latest.map((s) => s.signalId).sort()).toEqual([newer.signalId, other.signalId].sort());
      expect(latest.map((s) => s.strategyId)).toEqual(['a', 'b']);
    });

    it("lists a strategy's signals of a New York day, oldest first", async () => {
      const store = make();
      const late = aSignal({ strategyId: 'daily', createdAt: '2026-11-27T02:00:00.000Z' }); // 21:00 on the 26th in New York
      const early = aSignal({ strategyId: 'daily', createdAt: '2026-11-26T15:00:00.000Z' });
      const nextDay = aSignal({ strategyId: 'daily', createdAt: '2026-11-27T15:00:00.000Z' });
      const otherStrategy = aSignal({ strategyId: 'other-daily', createdAt: '2026-11-26T15:00:00.000Z' });

      for (const s of [late, early, nextDay, otherStrategy]) await store.record(s);

      expect((await store.listByStrategy('daily', '2026-11-26')).map((s) => s.signalId)).toEqual([early.signalId, late.signalId]);
    });
  });
}
