import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import { openOnce, type StoreBackend } from './backends.js';

const change = (phase: 'STARTING' | 'READY' | 'DRAINING' | 'STOPPED', by = 'jane') => ({ phase, since: '2026-11-27T21:00:00.000Z', by, reason: `to ${phase}` });

/** The SystemPhaseStore port's contract (compare-and-set on version), run against each backend. */
export function systemPhaseStoreContract(backend: StoreBackend): void {
  describe(`SystemPhaseStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });

    it('creates the record once, then moves version by version, with the drain and startup run intact', async () => {
      const store = h().stores.systemPhase;
      expect(await store.get()).toBeUndefined();
      const first = await store.compareAndSet(-1, { ...change('STARTING'), startup: { runId: 'STARTUP-1', status: 'RUNNING', startedAt: '2026-11-27T21:00:00.000Z', startedBy: 'jane', steps: [{ step: 'ValidateConfig', status: 'ok', at: '2026-11-27T21:00:01.000Z', summary: 'valid', findings: { instruments: 5 } }] } });
      const second = await store.compareAndSet(first.version, { ...change('DRAINING', 'joe'), drain: { drainId: 'DRAIN-1', requestedAt: '2026-11-27T21:00:00.000Z', timeoutS: 300, deadline: '2026-11-27T21:05:00.000Z', timedOut: false } });
      expect(first.version).toBe(0);
      expect(second).toMatchObject({ phase: 'DRAINING', version: 1, by: 'joe' });
      expect(await store.get()).toEqual(second);
    });

    it('refuses a stale version and a second creation with STATE.VERSION_CONFLICT', async () => {
      const store = h().stores.systemPhase;
      const current = (await store.get())!;
      const stale = store.compareAndSet(current.version - 1, change('READY'));
      const recreate = store.compareAndSet(-1, change('READY'));
      await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(recreate).rejects.toMatchObject({ code: 'STATE.VERSION_CONFLICT' });
      expect(await store.get()).toEqual(current);
    });

    it('lets exactly one of two concurrent writers of the same version win', async () => {
      const store = h().stores.systemPhase;
      const current = (await store.get())!;
      const results = await Promise.allSettled([store.compareAndSet(current.version, change('STOPPED', 'a')), store.compareAndSet(current.version, change('READY', 'b'))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });
}
