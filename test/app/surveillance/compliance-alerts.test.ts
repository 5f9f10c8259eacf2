import { beforeEach, describe, expect, it } from 'vitest';
import { getComplianceStatus, listComplianceAlerts, logComplianceAction, reviewMarAlert } from '../../../lib/app/surveillance/compliance-alerts.js';
import { verifyChain } from '../../../lib/core/audit/chain.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { newAlert, type AlertCandidate } from '../../../lib/core/surveillance/alert.js';
import { InMemoryAuditLog, InMemoryComplianceAlertStore } from '../../../lib/adapters/memory/execution-stores.js';
import { RecordingPublisher } from '../../support/doubles.js';

const candidate = (key: string, overrides: Partial<AlertCandidate> = {}): AlertCandidate => ({
  type: 'WASH_TRADE', severity: 'HIGH', account: 'DU1', symbol: 'AAPL', evidenceKey: key, summary: `wash ${key}`,
  evidence: { orders: [], fills: [{ execId: `${key}-1`, side: 'BUY', quantity: 1, price: '1', at: '2026-11-26T15:00:00.000Z' }], metrics: {} }, detectedAt: '2026-11-26T15:00:00.000Z', ...overrides,
});

describe('compliance alert actions', () => {
  let alerts: InMemoryComplianceAlertStore;
  let audit: InMemoryAuditLog;
  let publisher: RecordingPublisher;
  let clock: ManualClock;
  let id: string;
  let seq = 0;
  const deps = () => ({ alerts, audit, publisher, clock, ids: () => `u-${++seq}` });

  beforeEach(async () => {
    alerts = new InMemoryComplianceAlertStore();
    audit = new InMemoryAuditLog();
    publisher = new RecordingPublisher();
    clock = new ManualClock('2026-11-26T16:00:00.000Z');
    const a = newAlert(candidate('k1'), '2026-11-26T15:00:01.000Z');
    id = a.alertId;
    await alerts.createIfNew(a);
  });

  it('returns the alert with its evidence for review, and a typed error for an unknown id', async () => {
    const found = await reviewMarAlert({ alerts }, { alertId: id });
    const missing = await reviewMarAlert({ alerts }, { alertId: 'MAR-WASH-0000000000000000' });

    expect(found.ok && found.value.evidence.fills[0]?.execId).toBe('k1-1');
    expect(missing.ok ? undefined : missing.error.code).toBe('SURVEILLANCE.ALERT_NOT_FOUND');
  });

  it('walks new → under_review → escalated → closed, auditing and publishing every action', async () => {
    for (const [action, note] of [['Reviewed', undefined], ['Phoned the desk', 'trader says hedge'], ['Escalate', undefined], ['Close', 'STOR filed, ref 123']] as const) {
      clock.advance(60_000);
      const r = await logComplianceAction(deps(), { alertId: id, action, actor: 'jane.doe', note });
      expect(r.ok).toBe(true);
    }

    const final = (await alerts.get(id))!;
    expect(final.status).toBe('closed');
    expect(final.history.map((h) => `${h.from}→${h.to}:${h.action}`)).toEqual(['new→new:raised', 'new→under_review:Reviewed', 'under_review→under_review:Phoned the desk', 'under_review→escalated:Escalate', 'escalated→closed:Close']);
    expect(audit.entries.map((e) => [e.actor, e.action, e.data['to']])).toEqual([['jane.doe', 'COMPLIANCE_ALERT_ACTION', 'under_review'], ['jane.doe', 'COMPLIANCE_ALERT_ACTION', 'under_review'], ['jane.doe', 'COMPLIANCE_ALERT_ACTION', 'escalated'], ['jane.doe', 'COMPLIANCE_ALERT_ACTION', 'closed']]);
    expect(verifyChain(audit.entries).ok).toBe(true);
    expect(publisher.ofType('ComplianceAlertUpdated')).toHaveLength(4);
  });

  it('refuses an illegal move without writing or auditing anything', async () => {
    await logComplianceAction(deps(), { alertId: id, action: 'escalate', actor: 'jane.doe' });
    const version = (await alerts.get(id))!.version;

    const r = await logComplianceAction(deps(), { alertId: id, action: 'reviewed', actor: 'jane.doe' });

    expect(r.ok ? undefined : r.error.code).toBe('SURVEILLANCE.ILLEGAL_TRANSITION');
    expect((await alerts.get(id))!.version).toBe(version);
    expect(audit.entries).toHaveLength(1);
  });

  it('re-reads and applies again when another officer acted at the same moment', async () => {
    const racing = { ...alerts, get: alerts.get.bind(alerts), update: alerts.update.bind(alerts), list: alerts.list.bind(alerts), createIfNew: alerts.createIfNew.bind(alerts) };
    let first = true;
    racing.get = async (alertId: string) => {
      const a = await alerts.get(alertId);
      if (first) {
        first = false;
        await logComplianceAction({ ...deps() }, { alertId, action: 'note from bob', actor: 'bob' });
      }
      return a;
    };

    const r = await logComplianceAction({ ...deps(), alerts: racing }, { alertId: id, action: 'Reviewed', actor: 'jane.doe' });

    expect(r.ok).toBe(true);
    expect((await alerts.get(id))!.history.map((h) => h.actor)).toEqual(['surveillance-agent', 'bob', 'jane.doe']);
  });

  it('lists and summarises alerts and reports the surveillance status', async () => {
    clock.set('2026-11-26T16:00:00.000Z');
    await alerts.createIfNew(newAlert(candidate('k2', { type: 'RESTRICTED_INSTRUMENT', severity: 'CRITICAL' }), '2026-11-26T15:30:00.000Z'));
    await logComplianceAction(deps(), { alertId: id, action: 'dismiss', actor: 'jane.doe', note: 'market maker hedge' });

    const list = await listComplianceAlerts({ alerts }, { status: 'new' });
    const status = await getComplianceStatus({ alerts, clock });

    expect(list.alerts.map((a) => [a.type, a.evidenceCount, a.actions])).toEqual([['RESTRICTED_INSTRUMENT', 1, 0]]);
    expect(list.alerts[0]).not.toHaveProperty('evidence');
    expect(status).toMatchObject({ ok: false, open: 1, openCritical: 1, byStatus: { new: 1, closed: 1, under_review: 0, escalated: 0 }, openByType: { RESTRICTED_INSTRUMENT: 1 }, oldestOpenRaisedAt: '2026-11-26T15:30:00.000Z', oldestOpenAgeMs: 1_800_000, lastRaisedAt: '2026-11-26T15:30:00.000Z' });
  });
});
