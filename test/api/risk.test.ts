import { describe, expect, it } from 'vitest';
import { apiHarness, as } from './api-harness.js';
import { runRiskCycle } from '../../lib/app/risk/risk-cycle.js';
import type { RiskPolicy } from '../../lib/ports/risk.js';
import { aPolicy, aPosition, testReturns } from '../support/builders.js';
import { RecordingNotifier, RecordingProposer } from '../support/doubles.js';

async function withBook(options: { policy?: RiskPolicy; cycle?: boolean } = {}) {
  const h = apiHarness();
  await h.stores.positions.replaceAccount('DU1', [aPosition('AAPL', 1000, '187.00'), aPosition('MSFT', 500, '400.00'), aPosition('SPY', 200, '450.00')]);
  const cycle = (policy: RiskPolicy) =>
    runRiskCycle({ stores: h.stores, notifier: new RecordingNotifier(), clock: h.clock, logger: h.logger, newId: () => 'c' }, { policy, returns: testReturns });
  if (options.cycle !== false) await cycle(options.policy ?? aPolicy());
  return { ...h, cycle };
}

// The acting person comes from the token: jane.doe is the risk manager of these tests.
const post = (h: ReturnType<typeof apiHarness>, path: string, body: unknown) => h.call('POST', path, JSON.stringify(body), as('jane.doe', 'risk_manager'));
const issuePaths = (body: unknown) => ((body as { issues?: Array<{ path: string }> }).issues ?? []).map((i) => i.path);

describe('GET /api/risk/var', () => {
  it('answers 503 with a clear message before the first risk cycle', async () => {
    const h = await withBook({ cycle: false });
    const res = await h.call('GET', '/api/risk/var');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'RISK_NOT_COMPUTED', message: expect.stringMatching(/first cycle/) });
  });

  it('returns var, limit, utilization and the components largest first', async () => {
    const h = await withBook();
    const res = await h.call('GET', '/api/risk/var');
    expect(res.status).toBe(200);
    const body = res.body as { var: string; limit: string; utilization: number; components: Array<{ symbol: string; component: string }>; computedAt: string; method: string };
    expect(body.limit).toBe('1000000.00');
    expect(body.utilization).toBeCloseTo(Number(body.var) / 1_000_000, 4);
    expect(body.method).toBe('historical');
    expect(body.computedAt).toBe('2026-11-27T15:00:00.000Z');
    const contributions = body.components.map((c) => Number(c.component));
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    expect(body).toHaveProperty('parametric.var');
  });
});

describe('GET /api/risk/metrics and /api/risk/limits', () => {
  it('shows exposure, P&L, drawdown and the active alerts', async () => {
    const h = await withBook({ policy: aPolicy({ varLimit: '1000' }) });
    const res = await h.call('GET', '/api/risk/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ exposure: { gross: '477000.00' }, daily: { total: '0.00', breached: false }, drawdown: { basis: 'pnl' } });
    const names = (res.body as { activeAlerts: Array<{ name: string }> }).activeAlerts.map((a) => a.name).sort();
    expect(names).toEqual(['var_critical', 'var_warning']);
  });

  it('serves the configured policy, else the last cycle\'s', async () => {
    const h = await withBook({ policy: aPolicy({ varLimit: '123456' }) });
    expect((await h.call('GET', '/api/risk/limits')).body).toMatchObject({ varLimit: '123456', source: 'last_risk_cycle' });
    h.deps.riskPolicy = aPolicy({ varLimit: '999' });
    expect((await h.call('GET', '/api/risk/limits')).body).toMatchObject({ varLimit: '999', source: 'config', alerts: expect.arrayContaining([expect.objectContaining({ name: 'var_critical', threshold: 0.9, action: 'reduce_positions' })]) });
  });
});

describe('POST /api/risk/reset_alert', () => {
  it('answers 400 naming each missing or bad field', async () => {
    const h = await withBook();
    const res = await post(h, '/api/risk/reset_alert', { alert: 'VaR Critical!', force: 'yes' });
    expect(res.status).toBe(400);
    expect(issuePaths(res.body).sort()).toEqual(['body.alert', 'body.force', 'body.reason']);
  });

  it('refuses with 409 while the condition holds, then resets with force (audited)', async () => {
    const h = await withBook({ policy: aPolicy({ varLimit: '1000' }) });
    const refused = await post(h, '/api/risk/reset_alert', { alert: 'var_critical', operator: 'jane.doe', reason: 'looking' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'RISK.ALERT_CONDITION_HOLDS' });
    const forced = await post(h, '/api/risk/reset_alert', { alert: 'var_critical', operator: 'jane.doe', reason: 'limit being raised by the board', force: true });
    expect(forced.status).toBe(200);
    expect(h.stores.audit.entries.at(-1)).toMatchObject({ actor: 'jane.doe', action: 'RISK_ALERT_RESET', data: { forced: true, reason: 'limit being raised by the board' } });
  });

  it('answers 404 for an alert that is not active', async () => {
    const h = await withBook();
    expect((await post(h, '/api/risk/reset_alert', { alert: 'var_critical', operator: 'jane.doe', reason: 'x' })).status).toBe(404);
  });
});

describe('POST /api/risk/reduce_position', () => {
  it('proposes the order that halves the position and reports its outcome', async () => {
    const h = await withBook();
    const proposer = new RecordingProposer();
    h.deps.proposeOrders = proposer.propose;
    const res = await post(h, '/api/risk/reduce_position', { symbol: 'AAPL', target: 0.5, operator: 'jane.doe' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ symbol: 'AAPL', currentQuantity: 1000, resultingQuantity: 500, anyDenied: false, orders: [{ side: 'SELL', quantity: 500, reducesExposure: true, outcome: { status: 'approved' } }] });
    expect(proposer.calls[0]!.reason).toMatchObject({ source: 'reduce_position', requestedBy: 'jane.doe' });
    expect(h.stores.audit.entries.at(-1)).toMatchObject({ action: 'RISK_REDUCE_POSITION', subject: 'position:AAPL' });
  });

  it('says when an order was denied', async () => {
    const h = await withBook();
    h.deps.proposeOrders = new RecordingProposer(() => 'denied').propose;
    const res = await post(h, '/api/risk/reduce_position', { symbol: 'AAPL', target: 0, operator: 'jane.doe' });
    expect(res.body).toMatchObject({ anyDenied: true, orders: [{ quantity: 1000, outcome: { status: 'denied', reasonCode: 'RISK.MAX_ORDER_QUANTITY' } }] });
  });

  it('answers 400 naming the field, 404 without a position, 503 when proposing is not wired', async () => {
    const h = await withBook();
    const bad = await post(h, '/api/risk/reduce_position', { symbol: 'AAPL', target: 1.5 });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body).sort()).toEqual(['body.target']);
    expect((await post(h, '/api/risk/reduce_position', { symbol: 'AAPL', target: 0.5 })).status).toBe(503);
    h.deps.proposeOrders = new RecordingProposer().propose;
    expect((await post(h, '/api/risk/reduce_position', { symbol: 'TSLA', target: 0.5 })).status).toBe(404);
  });

  it('takes the operator from the token and refuses a body that names someone else (403)', async () => {
    const h = await withBook();
    h.deps.proposeOrders = new RecordingProposer().propose;
    const res = await h.call('POST', '/api/risk/reduce_position', JSON.stringify({ symbol: 'AAPL', target: 0.5, operator: 'john.doe' }), as('jane.doe', 'risk_manager'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'AUTH.IDENTITY_MISMATCH', details: { field: 'body.operator', claimed: 'john.doe', caller: 'jane.doe' } });
    const wrongRole = await h.call('POST', '/api/risk/reduce_position', JSON.stringify({ symbol: 'AAPL', target: 0.5 }), as('olga', 'compliance'));
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body).toMatchObject({ error: 'AUTH.FORBIDDEN' });
  });
});
