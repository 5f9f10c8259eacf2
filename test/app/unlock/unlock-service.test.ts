import { describe, expect, it } from 'vitest';
import { approveUnlockRequest, cancelUnlockRequest, executeUnlock, requestUnlock } from '../../../lib/app/unlock/unlock-service.js';
import type { UnlockRequest } from '../../../lib/core/controls/unlock-request.js';
import { anOrder } from '../../core/builders.js';
import { unlockFixture } from './unlock-fixture.js';
import { InMemoryIncidentStore, InMemoryKillSwitchStore } from '../../../lib/adapters/memory/kill-switch-stores.js';

const c = 'c-test';
async function opened(f: Awaited<ReturnType<typeof unlockFixture>>, requestor = 'john.doe'): Promise<UnlockRequest> {
  const r = await requestUnlock(f.deps, { requestor, roles: ['operator'], reason: 'broker back, positions verified', targetMode: 'ACTIVE', correlationId: c });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.request;
}

describe('two-person unlock', () => {
  it('executes HALTED → ACTIVE exactly once after a second person approves, with every step audited', async () => {
    // Prepare
    const f = await unlockFixture();
    const req = await opened(f);

    // Act
    const approved = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    const again = await executeUnlock(f.deps, { requestId: req.requestId, correlationId: c, trigger: 'retry' });

    // Assess
    expect(approved.ok && approved.value.execution?.executed).toBe(true);
    expect(again.executed).toBe(false);
    const state = await f.stores.tradingState.get();
    expect(state).toMatchObject({ mode: 'ACTIVE', version: 2, changedBy: 'john.doe' });
    expect(f.publisher.ofType('TradingStateChanged')).toHaveLength(1);
    expect(f.publisher.ofType('TradingStateChanged')[0]!.detail).toMatchObject({ from: 'HALTED', to: 'ACTIVE', version: 2 });
    expect(f.actions()).toEqual(['UNLOCK_REQUESTED', 'UNLOCK_APPROVED', 'UNLOCK_EXECUTED']);
    expect(f.stores.audit.entries[1]).toMatchObject({ actor: 'jane.smith', data: { requestor: 'john.doe', complete: true } });
    expect((await f.stores.unlockRequests.get(req.requestId))).toMatchObject({ status: 'EXECUTED', executed: { tradingStateVersion: 2, mode: 'ACTIVE' } });
    expect(f.notifier.sent.map((n) => n.subject)).toEqual([`Unlock requested: ${req.requestId}`, `Unlock approved: ${req.requestId}`, `Trading resumed (ACTIVE): ${req.requestId}`]);
    expect(f.notifier.sent[0]!.audience).toEqual(['risk_manager', 'oncall']);
  });

  it('writes the recovery into the incident the kill switch opened for the halt it lifts', async () => {
    const f = await unlockFixture();
    const incidents = new InMemoryIncidentStore();
    const killSwitch = new InMemoryKillSwitchStore();
    const halted = await f.stores.tradingState.get();
    await incidents.open({ id: 'INC-01KB0000000000000000000001', severity: 'SEV1', title: 'Kill switch activated', openedBy: 'kim.halter', openedAt: halted!.changedAt, status: 'open', trigger: { kind: 'kill_switch', reason: 'Manual activation', stateVersion: halted!.version }, timeline: [] });
    await killSwitch.putActivation({ activatedBy: 'kim.halter', activatedAt: halted!.changedAt, reason: 'Manual activation', incidentId: 'INC-01KB0000000000000000000001', stateVersion: halted!.version, correlationId: 'c-ks' });
    f.deps.incidents = { killSwitch, store: incidents };
    const req = await opened(f);
    await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    const timeline = (await incidents.get('INC-01KB0000000000000000000001'))?.timeline ?? [];
    expect(timeline.map((t) => [t.event, t.detail?.['requestId'], t.detail?.['approvers']])).toEqual([['TRADING_RESUMED', req.requestId, ['jane.smith']]]);
  });

  it('lets the requestor or an approver withdraw an open request, nobody else; a withdrawn request cannot be approved', async () => {
    const f = await unlockFixture();
    const req = await opened(f);
    const stranger = await cancelUnlockRequest(f.deps, { requestId: req.requestId, by: 'olga', roles: ['operator'], reason: 'not mine', correlationId: c });
    expect(!stranger.ok && stranger.error.code).toBe('UNLOCK.CANCEL_NOT_ALLOWED');
    const byRequestor = await cancelUnlockRequest(f.deps, { requestId: req.requestId, by: 'john.doe', roles: ['operator'], reason: 'wrong halt', correlationId: c });
    expect(byRequestor.ok && byRequestor.value).toMatchObject({ status: 'CANCELLED', outcome: { code: 'UNLOCK.CANCELLED', message: 'cancelled by john.doe: wrong halt' } });
    const late = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    expect(!late.ok && late.error.code).toBe('UNLOCK.REQUEST_CLOSED');
    expect((await f.stores.tradingState.get())?.mode).toBe('HALTED');
    expect(f.actions()).toEqual(['UNLOCK_REQUESTED', 'UNLOCK_CANCELLED', 'UNLOCK_APPROVAL_REFUSED']);

    const second = await opened(f);
    const byApprover = await cancelUnlockRequest(f.deps, { requestId: second.requestId, by: 'jane.smith', roles: ['risk_manager'], reason: 'positions not verified', correlationId: c });
    expect(byApprover.ok).toBe(true);
    const again = await cancelUnlockRequest(f.deps, { requestId: second.requestId, by: 'jane.smith', roles: ['risk_manager'], reason: 'again', correlationId: c });
    expect(!again.ok && again.error.code).toBe('UNLOCK.REQUEST_CLOSED');
  });

  it('refuses self-approval', async () => {
    const f = await unlockFixture();
    const req = await opened(f, 'jane.smith');

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect(r.ok ? 'approved' : r.error.code).toBe('UNLOCK.SELF_APPROVAL');
    expect((await f.stores.tradingState.get())!.mode).toBe('HALTED');
    expect(f.stores.audit.entries.at(-1)).toMatchObject({ actor: 'jane.smith', action: 'UNLOCK_APPROVAL_REFUSED', data: { code: 'UNLOCK.SELF_APPROVAL' } });
  });

  it('refuses an approver without an approver role', async () => {
    const f = await unlockFixture();
    const req = await opened(f);

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'olga.ops', roles: ['operator'], correlationId: c });

    expect(r.ok ? 'approved' : r.error.code).toBe('UNLOCK.APPROVER_ROLE');
    expect((await f.stores.unlockRequests.get(req.requestId))!.approvals).toEqual([]);
  });

  it('refuses an approval after the request expired, and the request becomes EXPIRED', async () => {
    const f = await unlockFixture();
    const req = await opened(f);
    f.clock.advance(30 * 60_000);

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect(r.ok ? 'approved' : r.error.code).toBe('UNLOCK.EXPIRED');
    expect((await f.stores.unlockRequests.get(req.requestId))!.status).toBe('EXPIRED');
    expect((await f.stores.tradingState.get())!.mode).toBe('HALTED');
    expect(f.actions()).toContain('UNLOCK_EXPIRED');
  });

  it('refuses a replayed approval: the same approver twice, and any approval on a finished request', async () => {
    const f = await unlockFixture({ policy: { approvalsRequired: 2 } });
    const req = await opened(f);
    await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    const twice = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'raj.risk', roles: ['risk_manager'], correlationId: c });
    const afterExecution = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'ann.admin', roles: ['admin'], correlationId: c });

    expect(twice.ok ? 'approved' : twice.error.code).toBe('UNLOCK.DUPLICATE_APPROVAL');
    expect(afterExecution.ok ? 'approved' : afterExecution.error.code).toBe('UNLOCK.REQUEST_CLOSED');
    expect(f.publisher.ofType('TradingStateChanged')).toHaveLength(1);
  });

  it('keeps trading HALTED with an unreconciled broker and says why; executes once the broker is reconciled', async () => {
    const f = await unlockFixture();
    await f.broker({ connected: true, reconciled: false }, 'degraded');
    const req = await opened(f);

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect(r.ok && r.value.execution?.executed).toBe(false);
    expect(r.ok && r.value.execution?.blockedBy).toMatch(/broker_reconciled: broker connected but not reconciled/);
    expect((await f.stores.tradingState.get())!.mode).toBe('HALTED');
    const blocked = (await f.stores.unlockRequests.get(req.requestId))!;
    expect(blocked.status).toBe('APPROVED');
    expect(blocked.preconditions!.checks.filter((x) => !x.ok).map((x) => x.name)).toEqual(['broker_reconciled']);
    expect(f.actions()).toContain('UNLOCK_BLOCKED');

    await f.broker({ connected: true, reconciled: true });
    const retried = await executeUnlock(f.deps, { requestId: req.requestId, correlationId: c, trigger: 'retry' });
    expect(retried.executed).toBe(true);
  });

  it('keeps trading HALTED while unknown working orders or a critical risk alert exist', async () => {
    const f = await unlockFixture();
    await f.stores.orders.create(anOrder({ clientOrderId: 'EXT-1001', external: true, symbol: 'MSFT' }));
    await f.stores.risk.raiseIfInactive({ name: 'var_critical', metric: 'portfolio_var_utilization', severity: 'CRITICAL', value: 1.2, threshold: 1, message: 'VaR 120 % of limit', raisedAt: f.clock.now().toISOString(), holdUntilClear: false });
    const req = await opened(f);

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    const failing = (await f.stores.unlockRequests.get(req.requestId))!.preconditions!.checks.filter((x) => !x.ok);
    expect(failing.map((x) => x.name)).toEqual(['no_unknown_orders', 'risk_within_limits']);
    expect(failing[0]!.message).toContain('EXT-1001 MSFT');
    expect(r.ok && r.value.execution?.executed).toBe(false);
    expect((await f.stores.tradingState.get())!.mode).toBe('HALTED');
  });

  it('does not let the person who activated the kill switch be the sole approver', async () => {
    const f = await unlockFixture({ halter: 'jane.smith' });
    const req = await opened(f);

    const byActivator = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect(byActivator.ok && byActivator.value.request.status).toBe('PENDING');
    expect(byActivator.ok && byActivator.value.outstanding).toMatch(/1 more approval needed, at least one from someone other than jane.smith/);
    expect((await f.stores.tradingState.get())!.mode).toBe('HALTED');
    const byOther = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'raj.risk', roles: ['risk_manager'], correlationId: c });
    expect(byOther.ok && byOther.value.execution?.executed).toBe(true);
  });

  it('needs two distinct approvers when approvalsRequired is 2', async () => {
    const f = await unlockFixture({ policy: { approvalsRequired: 2 } });
    const req = await opened(f);

    const first = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    const stateAfterFirst = (await f.stores.tradingState.get())!.mode;
    const second = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'raj.risk', roles: ['risk_manager'], correlationId: c });

    expect(first.ok && first.value.request.status).toBe('PENDING');
    expect(first.ok && first.value.outstanding).toBe('1 more approval needed');
    expect(stateAfterFirst).toBe('HALTED');
    expect(second.ok && second.value.execution?.executed).toBe(true);
    expect((await f.stores.tradingState.get())!.mode).toBe('ACTIVE');
  });

  it('invalidates a request when trading was halted again after it was made', async () => {
    const f = await unlockFixture();
    const req = await opened(f);
    await f.stores.tradingState.compareAndSet(1, { mode: 'HALTED', changedAt: f.clock.now().toISOString(), changedBy: 'raj.risk', reason: 'second incident' });

    const r = await approveUnlockRequest(f.deps, { requestId: req.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect(r.ok ? 'approved' : r.error.code).toBe('UNLOCK.HALT_CHANGED');
    expect((await f.stores.unlockRequests.get(req.requestId))!.status).toBe('REFUSED');
    expect((await f.stores.tradingState.get())).toMatchObject({ mode: 'HALTED', version: 2 });
  });

  it('refuses a request when trading is not halted, and a second open request for the same halt', async () => {
    const f = await unlockFixture();
    const first = await opened(f);

    const second = await requestUnlock(f.deps, { requestor: 'raj.risk', roles: ['risk_manager'], reason: '', targetMode: 'ACTIVE', correlationId: c });
    await approveUnlockRequest(f.deps, { requestId: first.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });
    const whenActive = await requestUnlock(f.deps, { requestor: 'raj.risk', roles: ['risk_manager'], reason: '', targetMode: 'ACTIVE', correlationId: c });

    expect(second.ok ? 'opened' : second.error.code).toBe('UNLOCK.REQUEST_OPEN');
    expect(whenActive.ok ? 'opened' : whenActive.error.code).toBe('UNLOCK.NOT_HALTED');
  });

  it('resumes to REDUCING when asked', async () => {
    const f = await unlockFixture();
    const r = await requestUnlock(f.deps, { requestor: 'john.doe', roles: ['operator'], reason: 'step back in', targetMode: 'REDUCING', correlationId: c });
    if (!r.ok) throw new Error(r.error.message);

    await approveUnlockRequest(f.deps, { requestId: r.value.request.requestId, approver: 'jane.smith', roles: ['risk_manager'], correlationId: c });

    expect((await f.stores.tradingState.get())!.mode).toBe('REDUCING');
  });
});
