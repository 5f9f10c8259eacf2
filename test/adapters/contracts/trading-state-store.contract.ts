import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOnce, type StoreBackend } from './backends.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';

const change = (mode: 'ACTIVE' | 'REDUCING' | 'HALTED', by = 'system') => ({ mode, changedAt: '2026-11-26T14:30:00.000Z', changedBy: by, reason: `to ${mode}` });

/** The TradingStateStore port's contract (compare-and-set on version), run against each backend. */
export function tradingStateStoreContract(backend: StoreBackend): void {
  describe(`TradingStateStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });

    it('initialises once, then moves version by version', async () => {
      const store = h().stores.tradingState;
      expect(await store.get()).toBeUndefined();

      const first = await store.compareAndSet(-1, change('ACTIVE'));
      const second = await store.compareAndSet(first.version, change('HALTED', 'john'));

      expect(first.version).toBe(0);
      expect(second).toMatchObject({ mode: 'HALTED', version: 1, changedBy: 'john' });
      expect(await store.get()).toEqual(second);
    });

    it('refuses a stale version with STATE.VERSION_CONFLICT', async () => {
      const store = h().stores.tradingState;
      const current = (await store.get())!;

      const stale = store.compareAndSet(current.version - 1, change('ACTIVE'));
      const reinit = store.compareAndSet(-1, change('ACTIVE'));

      await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(stale).rejects.toMatchObject({ code: 'STATE.VERSION_CONFLICT' });
      await expect(reinit).rejects.toMatchObject({ code: 'STATE.VERSION_CONFLICT' });
      expect(await store.get()).toEqual(current);
    });

    it('lets exactly one of two racing writers win', async () => {
      const store = h().stores.tradingState;
      const current = (await store.get())!;

      const results = await Promise.allSettled([store.compareAndSet(current.version, change('REDUCING', 'a')), store.compareAndSet(current.version, change('HALTED', 'b'))]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.get())!.version).toBe(current.version + 1);
    });
  });
}
