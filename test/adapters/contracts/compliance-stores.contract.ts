import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAlertAction, newAlert, type AlertCandidate } from '../../../lib/core/surveillance/alert.js';
import { foldExecutionFacts } from '../../../lib/core/execution/record.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { fill, proposed, submitted } from '../../core/execution/facts.js';
import { cancelled, fillObs, placed } from '../../core/surveillance/obs.js';
import { openOnce, type StoreBackend } from './backends.js';

const candidate = (key: string, overrides: Partial<AlertCandidate> = {}): AlertCandidate => ({
  type: 'SPOOFING_LAYERING', severity: 'MEDIUM', account: 'DU1', symbol: 'AAPL', strategyId: 's1', evidenceKey: key, summary: `spoof ${key}`,
  evidence: { orders: [{ clientOrderId: 'B1', event: 'ORDER_PLACED', side: 'BUY', quantity: 5, price: '186.9', at: '2026-11-26T15:00:00.000Z' }], fills: [{ execId: 'S1', side: 'SELL', quantity: 1, price: '187', at: '2026-11-26T15:00:01.000Z' }], metrics: { orders: '1' } },
  detectedAt: '2026-11-26T15:00:01.000Z', ...overrides,
});

/** The ComplianceAlertStore, SurveillanceActivityStore and ExecutionRecordStore ports' contracts, run against each backend. */
export function complianceStoresContract(backend: StoreBackend): void {
  describe(`compliance, surveillance and execution stores contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const alerts = () => h().stores.complianceAlerts;
    const activity = () => h().stores.surveillanceActivity;
    const records = () => h().stores.executions;

    it('creates an alert once however many deliveries race', async () => {
      const a = newAlert(candidate('race'), '2026-11-26T15:00:02.000Z');

      const results = await Promise.all(Array.from({ length: 6 }, () => alerts().createIfNew(a)));

      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await alerts().get(a.alertId)).toEqual({ ...a, version: 1 });
    });

    it('updates with optimistic concurrency and moves the alert between status partitions', async () => {
      const a = newAlert(candidate('flow'), '2026-11-26T15:00:03.000Z');
      await alerts().createIfNew(a);
      const stored = (await alerts().get(a.alertId))!;
      const reviewed = applyAlertAction(stored, { actor: 'jane', action: 'Reviewed', at: '2026-11-26T16:00:00.000Z' });
      if (!reviewed.ok) throw reviewed.error;

      const updated = await alerts().update(reviewed.value);

      expect(updated.version).toBe(2);
      await expect(alerts().update(reviewed.value)).rejects.toMatchObject({ code: 'SURVEILLANCE.VERSION_CONFLICT' });
      await expect(alerts().update({ ...reviewed.value, alertId: 'MAR-SPOOF-0000000000000000' })).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
      expect((await alerts().list({ status: 'under_review' })).map((x) => x.alertId)).toContain(a.alertId);
      expect((await alerts().list({ status: 'new' })).map((x) => x.alertId)).not.toContain(a.alertId);
    });

    it('lists alerts newest first across statuses, with a limit', async () => {
      await alerts().createIfNew(newAlert(candidate('late'), '2026-11-26T18:00:00.000Z'));

      const all = await alerts().list();
      const top = await alerts().list({ limit: 1 });

      expect(all.map((a) => a.raisedAt)).toEqual([...all.map((a) => a.raisedAt)].sort().reverse());
      expect(top.map((a) => a.raisedAt)).toEqual(['2026-11-26T18:00:00.000Z']);
    });

    it('keeps observations by symbol and time, once each, across UTC days', async () => {
      const late = fillObs('N1', 'BUY', 1, '10', 9 * 3600 - 1); // 23:59:59Z
      const early = fillObs('N2', 'SELL', 1, '10', 9 * 3600 + 1); // 00:00:01Z the next day
      const others = [placed('P1', 'BUY', 5, '9.9', 9 * 3600 - 5), cancelled('P1', 'BUY', 5, '9.9', 9 * 3600 - 3), fillObs('M1', 'BUY', 1, '10', 9 * 3600, { symbol: 'MSFT' })];

      const first = await Promise.all([late, early, ...others].map((o) => activity().recordIfNew(o)));
      const again = await activity().recordIfNew(late);
      const range = await activity().listRange('AAPL', '2026-11-26T23:59:00.000Z', '2026-11-27T00:01:00.000Z');

      expect(first.every(Boolean)).toBe(true);
      expect(again).toBe(false);
      expect(range.map((o) => o.obsId)).toEqual(['ORDER_PLACED#P1', 'ORDER_CANCELLED#P1', 'FILL#N1', 'FILL#N2']);
      expect(range[2]).toEqual(late);
    });

    it('stores execution records with optimistic concurrency and lists them by trading day', async () => {
      const id = 'CO-1' as ClientOrderId;
      const r = foldExecutionFacts(id, [proposed(), submitted(), fill('E1', 10, '100.1', '2026-11-26T14:30:02.000Z')]);

      const stored = await records().put(r);
      await expect(records().put(r)).rejects.toMatchObject({ code: 'EXECUTION.VERSION_CONFLICT' });
      const next = await records().put({ ...foldExecutionFacts(id, [proposed(), submitted(), fill('E1', 10, '100.1', '2026-11-26T14:30:02.000Z'), fill('E2', 5, '100', '2026-11-26T14:30:03.000Z')]), version: stored.version });

      expect(next.version).toBe(2);
      expect(await records().get(id)).toEqual(next);
      expect((await records().listByDay('2026-11-26')).map((x) => x.clientOrderId)).toEqual(['CO-1']);
      expect(await records().listByDay('2026-11-25')).toEqual([]);
    });
  });
}
