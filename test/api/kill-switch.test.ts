import { describe, expect, it } from 'vitest';
import { ANONYMOUS, apiHarness, as } from './api-harness.js';
import type { OrderCommand } from '../../lib/core/orders/commands.js';
import { OrderSchema } from '../../lib/core/orders/order.js';
import type { Authentication } from '../../lib/ports/auth.js';
import { BROKER_WATCH_ACTOR, brokerHaltOf, brokerHaltReason } from '../../lib/core/broker/broker-halt.js';

const JOHN = as('john.doe', 'operator');
const JANE = as('jane.smith', 'risk_manager');
const issuePaths = (body: unknown) => [...new Set(((body as { issues?: Array<{ path: string }> }).issues ?? []).map((i) => i.path))];

async function harness() {
  const h = apiHarness();
  await h.allHealthy();
  const sent: OrderCommand[] = [];
  h.commands.start(async (c) => {
    sent.push(c);
  });
  const post = (path: string, body: unknown, auth: Authentication = JOHN) => h.call('POST', path, JSON.stringify(body), auth);
  return { ...h, sent, post };
}

describe('POST /api/system/kill_switch', () => {
  it('refuses without a token (401), for a viewer (403), for a body operator that is not the caller (403), and names a bad field (400)', async () => {
    const h = await harness();
    expect((await h.post('/api/system/kill_switch', { reason: 'x' }, ANONYMOUS)).status).toBe(401);
    expect((await h.post('/api/system/kill_switch', { reason: 'x' }, as('v', 'viewer'))).status).toBe(403);
    const mismatch = await h.post('/api/system/kill_switch', { reason: 'x', operator: 'someone.else' });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body).toMatchObject({ error: 'AUTH.IDENTITY_MISMATCH' });
    const bad = await h.post('/api/system/kill_switch', { reason: '' });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['body.reason']);
    expect(issuePaths((await h.post('/api/system/kill_switch', { reason: 'x', scope: { strategyId: '' } })).body)).toEqual(['body.scope.strategyId']);
    expect((await h.stores.tradingState.get())?.mode).toBe('ACTIVE');
    expect(h.sent).toEqual([]);
  });

  it('halts in one write, sends CancelAllOrders, opens a SEV1, notifies on-call, risk and compliance, audits who did it', async () => {
    const h = await harness();
    const res = await h.post('/api/system/kill_switch', { reason: 'Manual activation', operator: 'john.doe' });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ kill_switch: true, trading_enabled: false, already_active: false, activated_by: 'john.doe', activated_at: '2026-11-27T15:00:00.000Z', reason: 'Manual activation', severity: 'SEV1', cancel: { requested: true, command: 'CancelAllOrders' }, notified: true });
    const state = await h.stores.tradingState.get();
    expect(state).toMatchObject({ mode: 'HALTED', version: 1, changedBy: 'john.doe', reason: 'Manual activation' });
    expect(h.sent).toMatchObject([{ kind: 'CancelAllOrders', issuedBy: 'john.doe', reason: 'Manual activation', correlationId: 'test' }]);
    const incident = await h.stores.incidents.get(String(body.incident_id));
    expect(incident).toMatchObject({ severity: 'SEV1', status: 'open', openedBy: 'john.doe', trigger: { kind: 'kill_switch', stateVersion: 1 } });
    expect(incident?.timeline.map((t) => t.event)).toEqual(['KILL_SWITCH_ACTIVATED', 'CANCEL_ALL_REQUESTED']);
    expect(h.notifier.sent.map((n) => [n.audience, n.severity])).toEqual([[['oncall', 'risk_manager', 'compliance'], 'CRITICAL']]);
    expect((await h.stores.audit.read()).map((e) => [e.actor, e.action])).toEqual([['john.doe', 'KILL_SWITCH_ACTIVATED']]);
    expect(h.publisher.ofType('TradingStateChanged').map((e) => e.detail)).toEqual([{ from: 'ACTIVE', to: 'HALTED', version: 1, changedBy: 'john.doe', reason: 'Manual activation' }]);
  });

  it('takes over a halt broker-watch set, so broker-watch can no longer lift it when the broker returns', async () => {
    const h = await harness();
    const before = await h.stores.tradingState.get();
    await h.stores.tradingState.compareAndSet(before!.version, { mode: 'HALTED', changedAt: '2026-11-27T14:59:00.000Z', changedBy: BROKER_WATCH_ACTOR, reason: brokerHaltReason({ kind: 'broker_disconnect', cause: 'IB 1100', resumeTo: 'ACTIVE' }) });
    const res = await h.post('/api/system/kill_switch', { reason: 'broker lost during a fast market' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ already_active: false, activated_by: 'john.doe', severity: 'SEV1' });
    const state = await h.stores.tradingState.get();
    expect(state).toMatchObject({ mode: 'HALTED', version: before!.version + 2, changedBy: 'john.doe', reason: 'broker lost during a fast market' });
    expect(brokerHaltOf(state)).toBeUndefined();
  });

  it('is idempotent: a second activation reports already_active, writes no state and opens no second incident', async () => {
    const h = await harness();
    const first = (await h.post('/api/system/kill_switch', { reason: 'first' })).body as { incident_id: string };
    const again = await h.post('/api/system/kill_switch', { reason: 'second' }, JANE);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ kill_switch: true, already_active: true, incident_id: first.incident_id, activated_by: 'john.doe', reason: 'first' });
    expect((await h.stores.tradingState.get())?.version).toBe(1);
    expect(await h.stores.incidents.listOpen()).toHaveLength(1);
    expect(h.notifier.sent).toHaveLength(1);
    expect((await h.stores.audit.read()).map((e) => [e.actor, e.action])).toEqual([['john.doe', 'KILL_SWITCH_ACTIVATED'], ['jane.smith', 'KILL_SWITCH_REPEATED']]);
  });

  it('GET /api/system/status says who, when, why and the incident', async () => {
    const h = await harness();
    const { incident_id } = (await h.post('/api/system/kill_switch', { reason: 'Manual activation' })).body as { incident_id: string };
    await h.stores.killSwitch.putCancelVerification({ correlationId: 'test', requestedBy: 'john.doe', complete: true, remaining: 0, attempts: 1, durationMs: 12, verifiedAt: '2026-11-27T15:00:00.012Z', brokerOrderIds: [] });
    const res = await h.call('GET', '/api/system/status');
    expect(res.body).toMatchObject({ kill_switch: true, trading_enabled: false, trading_state: 'HALTED', activated_by: 'john.doe', activated_at: '2026-11-27T15:00:00.000Z', activation_reason: 'Manual activation', incident_id, halted_strategies: [], last_cancel_verification: { complete: true, remaining: 0 } });
  });
});

describe('kill switch scoped to one strategy', () => {
  const order = (id: string, strategyId: string) =>
    OrderSchema.parse({ clientOrderId: id, brokerOrderId: id.replace(/\D/g, ''), symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '180', status: 'ACCEPTED', correlationId: 'c', createdAt: '2026-11-27T14:00:00.000Z', updatedAt: '2026-11-27T14:00:00.000Z', version: 0, origin: { strategyId, agentId: 'cio', agentVersion: '1' } });

  it('halts only that strategy, cancels its working orders one by one, and a risk manager lifts it', async () => {
    const h = await harness();
    await h.stores.orders.create(order('CO-1', 'ma-crossover'));
    await h.stores.orders.create(order('CO-2', 'mean-reversion'));
    const res = await h.post('/api/system/kill_switch', { reason: 'runaway signals', scope: { strategyId: 'ma-crossover' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kill_switch: false, trading_enabled: true, strategy_halted: true, scope: { strategyId: 'ma-crossover' }, severity: 'SEV2', cancel: { requested: true, command: 'CancelOrder', client_order_ids: ['CO-1'] } });
    expect(h.sent.map((c) => [c.kind, 'clientOrderId' in c ? c.clientOrderId : ''])).toEqual([['CancelOrder', 'CO-1']]);
    expect((await h.stores.tradingState.get())?.mode).toBe('ACTIVE');
    expect((await h.call('GET', '/api/system/status')).body).toMatchObject({ kill_switch: false, halted_strategies: [{ strategyId: 'ma-crossover', halted_by: 'john.doe', reason: 'runaway signals' }] });

    expect((await h.post('/api/system/strategy_resume', { strategyId: 'ma-crossover', reason: 'fixed' })).status).toBe(403);
    const resumed = await h.post('/api/system/strategy_resume', { strategyId: 'ma-crossover', reason: 'signal bug fixed' }, JANE);
    expect(resumed.status).toBe(200);
    expect(await h.stores.killSwitch.listStrategyHalts()).toEqual([]);
    expect((await h.post('/api/system/strategy_resume', { strategyId: 'ma-crossover', reason: 'again' }, JANE)).status).toBe(404);
    expect((await h.stores.audit.read()).map((e) => [e.actor, e.action])).toEqual([['john.doe', 'STRATEGY_HALTED'], ['jane.smith', 'STRATEGY_RESUMED']]);
  });
});

describe('POST /api/system/trading_mode', () => {
  it('sets REDUCING for an operator, back to ACTIVE only for a risk manager, and never leaves HALTED', async () => {
    const h = await harness();
    expect((await h.post('/api/system/trading_mode', { mode: 'HALTED', reason: 'x' })).status).toBe(400);
    const reducing = await h.post('/api/system/trading_mode', { mode: 'REDUCING', reason: 'VaR at 95 %' });
    expect(reducing).toMatchObject({ status: 200, body: { changed: true, from: 'ACTIVE', trading_state: 'REDUCING', changed_by: 'john.doe' } });
    const byOperator = await h.post('/api/system/trading_mode', { mode: 'ACTIVE', reason: 'ok' });
    expect(byOperator).toMatchObject({ status: 403, body: { error: 'KILL_SWITCH.ROLE_REQUIRED' } });
    expect((await h.post('/api/system/trading_mode', { mode: 'ACTIVE', reason: 'VaR back to 60 %' }, JANE)).body).toMatchObject({ trading_state: 'ACTIVE', version: 2 });
    await h.post('/api/system/kill_switch', { reason: 'halt' });
    const fromHalted = await h.post('/api/system/trading_mode', { mode: 'REDUCING', reason: 'try' }, JANE);
    expect(fromHalted).toMatchObject({ status: 409, body: { error: 'KILL_SWITCH.UNLOCK_REQUIRED', procedure: expect.stringMatching(/unlock_request/) } });
    expect(h.publisher.ofType('TradingStateChanged').map((e) => (e.detail as { to: string }).to)).toEqual(['REDUCING', 'ACTIVE', 'HALTED']);
  });
});

describe('POST /api/orders/cancel_all and /api/system/notify_emergency', () => {
  it('refuses cancel-all without force, and reports the bridge\'s verification when it comes', async () => {
    const h = await harness();
    expect(issuePaths((await h.post('/api/orders/cancel_all', {})).body)).toEqual(['body.force']);
    h.commands.start(async (c) => {
      if (c.kind === 'CancelAllOrders') await h.stores.killSwitch.putCancelVerification({ correlationId: c.correlationId, requestedBy: c.issuedBy, complete: true, remaining: 0, attempts: 2, durationMs: 80, verifiedAt: '2026-11-27T15:00:00.080Z', brokerOrderIds: [] });
    });
    const res = await h.post('/api/orders/cancel_all', { force: true });
    expect(res).toMatchObject({ status: 200, body: { requested: true, verified: true, verification: { remaining: 0, attempts: 2 } } });
    expect((await h.stores.audit.read()).map((e) => [e.actor, e.action])).toEqual([['john.doe', 'ORDERS_CANCEL_ALL_REQUESTED']]);
  });

  it('answers 202 when the bridge has not verified within the wait', async () => {
    const h = await harness();
    const res = await h.post('/api/orders/cancel_all', { force: true });
    expect(res).toMatchObject({ status: 202, body: { requested: true, verified: false, verification: null } });
  });

  it('notifies on-call, risk, compliance and management, audited with the sender', async () => {
    const h = await harness();
    expect((await h.post('/api/system/notify_emergency', { message: 'x' }, as('v', 'viewer'))).status).toBe(403);
    const res = await h.post('/api/system/notify_emergency', { message: 'Emergency shutdown initiated' });
    expect(res).toMatchObject({ status: 200, body: { notified: true, sent_by: 'john.doe' } });
    expect(h.notifier.sent.map((n) => [n.audience, n.severity, n.message])).toEqual([[['oncall', 'risk_manager', 'compliance', 'management'], 'CRITICAL', 'Emergency shutdown initiated']]);
    expect((await h.stores.audit.read()).map((e) => e.action)).toEqual(['EMERGENCY_NOTIFIED']);
  });
});

describe('incidents', () => {
  it('lists the SEV1 the kill switch opened, refuses to resolve it while its halt holds, then resolves it once (audited)', async () => {
    const h = await harness();
    const id = String(((await h.post('/api/system/kill_switch', { reason: 'runaway algo' })).body as { incident_id: string }).incident_id);
    const open = (await h.call('GET', '/api/incidents')).body as { count: number; incidents: Array<{ id: string; severity: string }> };
    expect(open.incidents.map((i) => [i.id, i.severity])).toEqual([[id, 'SEV1']]);
    expect((await h.call('GET', `/api/incidents/${id}`)).body).toMatchObject({ id, status: 'open', openedBy: 'john.doe' });

    const early = await h.post(`/api/incidents/${id}/resolve`, { resolution: 'fixed' }, JANE);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'INCIDENT.STILL_HALTED' });

    // Recovery (the two-person unlock in production) moves the trading state on.
    const halted = await h.stores.tradingState.get();
    await h.stores.tradingState.compareAndSet(halted!.version, { mode: 'ACTIVE', changedAt: '2026-11-27T15:30:00.000Z', changedBy: 'jane.smith', reason: 'unlock REQ-x' });
    expect((await h.post(`/api/incidents/${id}/resolve`, { resolution: 'fixed', operator: 'someone.else' }, JANE)).status).toBe(403);
    expect((await h.post(`/api/incidents/${id}/resolve`, { resolution: 'x' }, as('v', 'viewer'))).status).toBe(403);
    const done = await h.post(`/api/incidents/${id}/resolve`, { resolution: 'algo disabled; unlocked by two people' }, JANE);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'resolved', resolvedBy: 'jane.smith', resolution: 'algo disabled; unlocked by two people' });
    expect(((await h.call('GET', '/api/incidents')).body as { count: number }).count).toBe(0);
    expect((await h.post(`/api/incidents/${id}/resolve`, { resolution: 'again' }, JANE)).body).toMatchObject({ error: 'INCIDENT.ALREADY_RESOLVED' });
    expect((await h.stores.audit.read()).map((e) => [e.actor, e.action])).toContainEqual(['jane.smith', 'INCIDENT_RESOLVED']);
  });

  it('answers 404 for an unknown incident and 400 naming a malformed id or an empty resolution', async () => {
    const h = await harness();
    expect((await h.call('GET', '/api/incidents/INC-01KB0000000000000000000009')).status).toBe(404);
    expect((await h.post('/api/incidents/INC-01KB0000000000000000000009/resolve', { resolution: 'x' }, JANE)).status).toBe(404);
    expect(issuePaths((await h.call('GET', '/api/incidents/INC-1')).body)).toEqual(['params.incidentId']);
    expect(issuePaths((await h.post('/api/incidents/INC-01KB0000000000000000000009/resolve', { resolution: ' ' }, JANE)).body)).toEqual(['body.resolution']);
  });
});
