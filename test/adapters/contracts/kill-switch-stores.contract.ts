import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../lib/core/kill-switch/incident.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import { openOnce, type StoreBackend } from './backends.js';

const incident = (id: string, openedAt: string): Incident => ({
  id: `INC-${id}`,
  severity: 'SEV1',
  title: 'Kill switch activated',
  openedBy: 'john.doe',
  openedAt,
  status: 'open',
  trigger: { kind: 'kill_switch', reason: 'Manual activation', stateVersion: 3 },
  timeline: [{ at: openedAt, by: 'john.doe', event: 'KILL_SWITCH_ACTIVATED' }],
});

/** The IncidentStore and KillSwitchStore ports' contracts, run against each backend. */
export function killSwitchStoresContract(backend: StoreBackend): void {
  describe(`IncidentStore and KillSwitchStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const incidents = () => h().stores.incidents;
    const ks = () => h().stores.killSwitch;

    it('opens an incident once, lists open ones oldest first, and appends to the timeline atomically', async () => {
      const a = incident('01KB0000000000000000000002', '2026-11-27T15:00:02.000Z');
      const b = incident('01KB0000000000000000000001', '2026-11-27T15:00:01.000Z');
      await incidents().open(a);
      await incidents().open(b);
      await expect(incidents().open(a)).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await incidents().listOpen()).map((i) => i.id)).toEqual([b.id, a.id]);
      await Promise.all([1, 2, 3].map((n) => incidents().appendTimeline(a.id, { at: '2026-11-27T15:00:03.000Z', by: `p${n}`, event: 'NOTE' })));
      expect((await incidents().get(a.id))?.timeline).toHaveLength(4);
      expect(await incidents().appendTimeline('INC-01KB0000000000000000000009', { at: '2026-11-27T15:00:03.000Z', by: 'x', event: 'NOTE' })).toBeUndefined();
      expect(await incidents().get('INC-01KB0000000000000000000009')).toBeUndefined();
    });

    it('resolves an open incident once: it leaves the open list, keeps who, when and how, and its timeline grows', async () => {
      const c = incident('01KB0000000000000000000003', '2026-11-27T15:00:04.000Z');
      await incidents().open(c);
      const resolution = { resolvedBy: 'jane.smith', resolvedAt: '2026-11-27T16:00:00.000Z', resolution: 'strategy disabled, unlocked' };
      const line = { at: '2026-11-27T16:00:00.000Z', by: 'jane.smith', event: 'INCIDENT_RESOLVED' };
      const [first, second] = await Promise.all([incidents().resolve(c.id, resolution, line), incidents().resolve(c.id, { ...resolution, resolvedBy: 'john.doe' }, line)]);
      expect([first, second].filter((r) => r !== undefined)).toHaveLength(1);
      const stored = await incidents().get(c.id);
      expect(stored).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-27T16:00:00.000Z', resolution: 'strategy disabled, unlocked' });
      expect(stored?.timeline.map((l) => l.event)).toEqual(['KILL_SWITCH_ACTIVATED', 'INCIDENT_RESOLVED']);
      expect((await incidents().listOpen()).map((i) => i.id)).not.toContain(c.id);
      expect(await incidents().resolve('INC-01KB0000000000000000000009', resolution, line)).toBeUndefined();
    });

    it('halts a strategy once (conditional), lists and lifts halts', async () => {
      const halt = { strategyId: 'ma-crossover', haltedBy: 'jane', haltedAt: '2026-11-27T15:00:00.000Z', reason: 'runaway' };
      expect(await ks().haltStrategy(halt)).toBe(true);
      expect(await ks().haltStrategy({ ...halt, haltedBy: 'other' })).toBe(false);
      expect(await ks().listStrategyHalts()).toEqual([halt]);
      expect(await ks().resumeStrategy('ma-crossover')).toEqual(halt);
      expect(await ks().resumeStrategy('ma-crossover')).toBeUndefined();
      expect(await ks().listStrategyHalts()).toEqual([]);
    });

    it('keeps the last activation and the last cancel verification', async () => {
      expect(await ks().getActivation()).toBeUndefined();
      const activation = { activatedBy: 'john.doe', activatedAt: '2026-11-27T15:00:00.000Z', reason: 'Manual activation', incidentId: 'INC-01KB0000000000000000000002', stateVersion: 3, correlationId: 'c-1' };
      await ks().putActivation(activation);
      expect(await ks().getActivation()).toEqual(activation);
      const v = { correlationId: 'c-1', requestedBy: 'john.doe', complete: false, remaining: 1, attempts: 6, durationMs: 3100, verifiedAt: '2026-11-27T15:00:03.100Z', brokerOrderIds: ['17'] };
      await ks().putCancelVerification(v);
      await ks().putCancelVerification({ ...v, correlationId: 'c-2', complete: true, remaining: 0, brokerOrderIds: [] });
      expect(await ks().getCancelVerification()).toMatchObject({ correlationId: 'c-2', complete: true });
    });
  });
}
