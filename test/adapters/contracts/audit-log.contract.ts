import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../lib/core/audit/chain.js';
import { openOnce, withFresh, type StoreBackend } from './backends.js';

const record = (i: number) => ({ actor: `user-${i}`, action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { i } });

/** The AuditLog port's contract (one unbroken hash chain, read in seq order), run against each backend. */
export function auditLogContract(backend: StoreBackend): void {
  describe(`AuditLog contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });

    it('appends a chain starting at seq 1 and reads it back in order', async () => {
      const log = h().stores.audit;
      expect(await log.head()).toBeUndefined();

      const a = await log.append(record(1));
      const b = await log.append(record(2));

      expect([a.seq, b.seq]).toEqual([1, 2]);
      expect(b.prevHash).toBe(a.hash);
      expect(await log.read()).toEqual([a, b]);
      expect(await log.read(2)).toEqual([b]);
      expect(await log.head()).toEqual(b);
    });

    it('keeps one unbroken chain under concurrent appends', async () => {
      await withFresh(backend, async ({ audit: log }) => {
        const appended = await Promise.all(Array.from({ length: 24 }, (_, i) => log.append(record(i))));

        const entries = await log.read();
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
        expect(new Set(appended.map((e) => e.seq)).size).toBe(24);
        expect(verifyChain(entries)).toMatchObject({ ok: true, count: 24 });
      });
    });

    it('appends many records as consecutive entries in order, and reads a window of the chain', async () => {
      await withFresh(backend, async ({ audit: log }) => {
        await log.append(record(0));
        const many = await log.appendMany(Array.from({ length: 30 }, (_, i) => record(i + 1)));

        expect(many.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
        expect(many.map((e) => e.data['i'])).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expect(await log.appendMany([])).toEqual([]);
        expect((await log.read(5, 3)).map((e) => e.seq)).toEqual([5, 6, 7]);
        expect(await log.head()).toEqual(many.at(-1));
        expect(verifyChain(await log.read())).toMatchObject({ ok: true, count: 31 });
      });
    });
  });
}
