import { describe, expect, it } from 'vitest';
import { evaluateUnlockPreconditions, type UnlockFacts } from '../../../lib/core/controls/unlock-preconditions.js';
import type { UnlockRequest } from '../../../lib/core/controls/unlock-request.js';

const now = new Date('2026-11-27T15:10:00.000Z');
const req: UnlockRequest = {
  requestId: 'REQ-01JDX7Q8ZK0000000000000001', requestor: 'john.doe', reason: '', targetMode: 'ACTIVE', status: 'APPROVED',
  createdAt: '2026-11-27T15:00:00.000Z', expiresAt: '2026-11-27T15:30:00.000Z', approvalsRequired: 1,
  approvals: [{ approver: 'jane.smith', at: '2026-11-27T15:05:00.000Z', roles: ['risk_manager'] }],
  halt: { version: 4, activatedBy: 'kim.halter', activatedAt: '2026-11-27T14:00:00.000Z', reason: 'x' }, version: 2,
};
const facts = (over: Partial<UnlockFacts> = {}): UnlockFacts => ({
  state: { mode: 'HALTED', version: 4, changedAt: '2026-11-27T14:00:00.000Z', changedBy: 'kim.halter', reason: 'x' },
  broker: { component: 'broker', status: 'ok', detail: { connected: true, reconciled: true }, observedAt: '2026-11-27T15:09:58.000Z' },
  brokerStaleAfterMs: 15_000, externalWorkingOrders: [], activeCriticalRiskAlerts: [], varUtilization: 0.5, ...over,
});
const failing = (f: UnlockFacts) => evaluateUnlockPreconditions(req, f, now).checks.filter((c) => !c.ok).map((c) => c.name);

describe('unlock preconditions', () => {
  it('hold when the halt is unchanged, the broker fresh, connected and reconciled, and risk within limits', () => {
    expect(evaluateUnlockPreconditions(req, facts(), now).ok).toBe(true);
  });

  it.each<[string, Partial<UnlockFacts>, string[]]>([
    ['no broker heartbeat', { broker: undefined }, ['broker_connected', 'broker_reconciled']],
    ['a stale heartbeat', { broker: { component: 'broker', status: 'ok', detail: { connected: true, reconciled: true }, observedAt: '2026-11-27T15:09:00.000Z' } }, ['broker_connected', 'broker_reconciled']],
    ['a connected, unreconciled broker', { broker: { component: 'broker', status: 'degraded', detail: { connected: true, reconciled: false }, observedAt: '2026-11-27T15:09:58.000Z' } }, ['broker_reconciled']],
    ['VaR over its limit', { varUtilization: 1.05 }, ['risk_within_limits']],
    ['a newer halt', { state: { mode: 'HALTED', version: 5, changedAt: '2026-11-27T15:08:00.000Z', changedBy: 'raj.risk', reason: 'again' } }, ['halt_unchanged']],
  ])('fail with %s', (_, over, expected) => {
    expect(failing(facts(over))).toEqual(expected);
  });

  it('do not block on a VaR not computed yet', () => {
    expect(failing(facts({ varUtilization: undefined }))).toEqual([]);
  });
});
