import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_TRANSITIONS, alertIdOf, applyAlertAction, ComplianceAlertSchema, impliedStatus, newAlert, type AlertCandidate, type AlertStatus, type ComplianceAlert } from '../../../lib/core/surveillance/alert.js';
import { fnv1a64 } from '../../../lib/core/surveillance/alert-id.js';

const candidate: AlertCandidate = {
  type: 'WASH_TRADE', severity: 'HIGH', account: 'DU1', symbol: 'AAPL', strategyId: 's1', evidenceKey: 'DU1|AAPL|E1|E2', summary: 'own buy and sell',
  evidence: { orders: [], fills: [{ execId: 'E1', side: 'BUY', quantity: 1, price: '1', at: '2026-11-26T15:00:00.000Z' }], metrics: {} }, detectedAt: '2026-11-26T15:00:00.000Z',
};
const alertIn = (status: AlertStatus): ComplianceAlert => ({ ...newAlert(candidate, '2026-11-26T15:00:01.000Z'), status });
const act = (alert: ComplianceAlert, action: string, note?: string) => applyAlertAction(alert, { actor: 'jane.doe', action, note, at: '2026-11-26T15:10:00.000Z' });

describe('alert ids', () => {
  it('are stable for the same evidence and differ for different evidence or types', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(alertIdOf('WASH_TRADE', a)).toBe(alertIdOf('WASH_TRADE', a));
      if (a !== b) expect(alertIdOf('WASH_TRADE', a)).not.toBe(alertIdOf('WASH_TRADE', b));
      expect(alertIdOf('WASH_TRADE', a)).not.toBe(alertIdOf('SPOOFING_LAYERING', a));
      expect(alertIdOf('SPOOFING_LAYERING', a)).toMatch(/^MAR-SPOOF-[0-9a-f]{16}$/);
    }));
  });

  it('use FNV-1a 64 (reference vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});

describe('newAlert', () => {
  it('opens a valid alert with the raise in its history', () => {
    const a = newAlert(candidate, '2026-11-26T15:00:01.000Z');

    expect(ComplianceAlertSchema.parse(a)).toEqual(a);
    expect(a).toMatchObject({ status: 'new', alertId: alertIdOf('WASH_TRADE', 'DU1|AAPL|E1|E2'), history: [{ actor: 'surveillance-agent', action: 'raised' }] });
  });
});

describe('applyAlertAction', () => {
  it.each([
    ['new', 'Reviewed', undefined, 'under_review'],
    ['new', 'escalate', undefined, 'escalated'],
    ['new', 'false positive', 'same-day hedge rebalance', 'closed'],
    ['under_review', 'Escalated', undefined, 'escalated'],
    ['under_review', 'Called the desk', undefined, 'under_review'],
    ['under_review', 'reviewed', undefined, 'under_review'],
    ['escalated', 'closed', 'STOR not required per CO', 'closed'],
    ['closed', 'reviewed', undefined, 'closed'],
    ['closed', 'reopen', 'new information from the broker', 'under_review'],
  ] as const)('moves %s on "%s" to the implied status', (from, action, note, to) => {
    const r = act(alertIn(from), action, note);

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.status).toBe(to);
    expect(r.value.history.at(-1)).toMatchObject({ actor: 'jane.doe', action, from, to, at: '2026-11-26T15:10:00.000Z' });
    expect(r.value.history).toHaveLength(2);
  });

  it.each([
    ['escalated', 'reviewed', 'SURVEILLANCE.ILLEGAL_TRANSITION'],
    ['new', 'close', 'SURVEILLANCE.NOTE_REQUIRED'],
    ['closed', 'reopen', 'SURVEILLANCE.NOTE_REQUIRED'],
    ['closed', 'escalate', 'SURVEILLANCE.ILLEGAL_TRANSITION'],
  ] as const)('refuses %s on "%s" with %s', (from, action, code) => {
    const r = act(alertIn(from), action);

    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('allows exactly the table\'s transitions for the actions that imply a status', () => {
    const actions = { under_review: 'reviewed', escalated: 'escalate', closed: 'close' } as const;
    for (const from of Object.keys(ALERT_TRANSITIONS) as AlertStatus[]) {
      for (const [to, action] of Object.entries(actions) as Array<[AlertStatus, string]>) {
        const r = act(alertIn(from), from === 'closed' && to === 'under_review' ? 'reopen' : action, 'why');
        expect(r.ok).toBe(from === to || ALERT_TRANSITIONS[from].includes(to));
      }
    }
  });

  it('maps actions case- and space-insensitively', () => {
    expect(impliedStatus('  Notify Compliance Officer ')).toBe('escalated');
    expect(impliedStatus('Phoned trader')).toBeUndefined();
  });
});
