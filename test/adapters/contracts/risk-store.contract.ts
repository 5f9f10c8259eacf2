import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRiskCycle } from '../../../lib/app/risk/risk-cycle.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { RiskAlertState } from '../../../lib/ports/risk.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryAccountStore, InMemoryPositionStore, InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { aPolicy, aPosition, testReturns } from '../../support/builders.js';
import { MemoryLogger, RecordingNotifier } from '../../support/doubles.js';
import { openOnce, type StoreBackend } from './backends.js';

const alert = (name: string, raisedAt: string): RiskAlertState => ({ name, metric: 'portfolio_var_utilization', severity: 'WARNING', value: 0.85, threshold: 0.8, message: 'VaR high', raisedAt, holdUntilClear: false });
const resetBy = (who: string, hold = false) => ({ resetAt: '2026-11-27T16:00:00.000Z', resetBy: who, resetReason: 'done', forced: hold, holdUntilClear: hold });

/** The RiskStore port's contract (raise once, reset once, first start of day wins), run against each backend. */
export function riskStoreContract(backend: StoreBackend): void {
  describe(`RiskStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const store = () => h().stores.risk;

    it("stores and reads back a real cycle's snapshot, and has none before", async () => {
      expect(await store().getSnapshot()).toBeUndefined();
      const clock = new ManualClock('2026-11-27T15:00:00.000Z');
      const positions = new InMemoryPositionStore();
      await positions.replaceAccount('DU1', [aPosition('AAPL', 100, '187.00'), aPosition('MSFT', -50, '400.00')]);
      const { snapshot } = await runRiskCycle(
        { stores: { positions, quotes: new InMemoryQuoteStore(), accounts: new InMemoryAccountStore(), risk: store(), audit: new InMemoryAuditLog(() => clock.now()) }, notifier: new RecordingNotifier(), clock, logger: new MemoryLogger(), newId: () => 'c' },
        { policy: aPolicy(), returns: testReturns },
      );
      expect(await store().getSnapshot()).toEqual(snapshot);
    });

    it('keeps the first start of day of a trading day', async () => {
      const first = { day: '2026-11-30', realizedPnl: '1.00', unrealizedPnl: '2.00', takenAt: '2026-11-27T21:00:00.000Z', source: 'previous_snapshot' as const };
      expect(await store().putStartOfDayIfAbsent(first)).toEqual(first);
      expect(await store().putStartOfDayIfAbsent({ ...first, realizedPnl: '9.00' })).toEqual(first);
    });

    it('raises an alert once however many cycles race, and again only after a reset', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => store().raiseIfInactive(alert('var_warning', '2026-11-27T15:00:00.000Z'))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().raiseIfInactive(alert('var_warning', '2026-11-27T15:05:00.000Z'))).toBe(false);

      const resets = await Promise.all([store().reset('var_warning', resetBy('a')), store().reset('var_warning', resetBy('b'))]);
      expect(resets.filter((r) => r !== undefined)).toHaveLength(1);
      expect((await store().getAlert('var_warning'))?.resetReason).toBe('done');

      expect(await store().raiseIfInactive(alert('var_warning', '2026-11-27T16:05:00.000Z'))).toBe(true);
      const again = await store().getAlert('var_warning');
      expect(again).toEqual(alert('var_warning', '2026-11-27T16:05:00.000Z'));
    });

    it('lists alerts and re-arms a forced reset', async () => {
      await store().raiseIfInactive(alert('leverage_warning', '2026-11-27T15:00:00.000Z'));
      await store().reset('leverage_warning', resetBy('jane', true));
      expect((await store().getAlert('leverage_warning'))?.holdUntilClear).toBe(true);
      await store().rearm('leverage_warning');
      expect((await store().getAlert('leverage_warning'))?.holdUntilClear).toBe(false);
      expect((await store().listAlerts()).map((a) => a.name)).toEqual(['leverage_warning', 'var_warning']);
      expect(await store().reset('nope', resetBy('x'))).toBeUndefined();
    });
  });
}
