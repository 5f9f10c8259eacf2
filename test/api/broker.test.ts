import { describe, expect, it } from 'vitest';
import { apiHarness, as } from './api-harness.js';
import { InMemoryCommandQueue } from '../support/doubles.js';
import type { OrderCommand } from '../../lib/core/orders/commands.js';

const RESULT = { sessionId: 2, trigger: 'request', requestedBy: 'jane', aligned: false, differences: [{ kind: 'position', account: 'DU1', symbol: 'AAPL', ours: '10', broker: '20', message: 'broker holds 10 more AAPL' }], adoptedExternal: [], resolvedOrders: [], fillsRecovered: 0, openOrders: 0, brokerPositions: [{ account: 'DU1', symbol: 'AAPL', quantity: 20 }], positionsBaseline: 'ledger', reconciledAt: '2026-11-27T15:00:00.000Z', correlationId: 'reconcile-1' };

function harness() {
  const h = apiHarness();
  const commands = new InMemoryCommandQueue();
  const sent: OrderCommand[] = [];
  commands.start(async (c) => {
    sent.push(c);
  });
  h.deps.commands = commands;
  return { ...h, sent };
}

describe('POST /api/broker/reconcile', () => {
  it('queues a Reconcile command for the caller and answers 202 with a correlation id', async () => {
    const h = harness();
    const r = await h.call('POST', '/api/broker/reconcile', JSON.stringify({ accept_broker_positions: true }), as('jane', 'operator'));
    expect(r.status).toBe(202);
    const body = r.body as { correlation_id: string; poll: string; requested_by: string };
    expect(body.requested_by).toBe('jane');
    expect(body.poll).toBe(`/api/broker/reconciliation?correlation_id=${body.correlation_id}`);
    await new Promise((res) => setTimeout(res, 10));
    expect(h.sent).toEqual([{ kind: 'Reconcile', correlationId: body.correlation_id, issuedAt: '2026-11-27T15:00:00.000Z', issuedBy: 'jane', acceptBrokerPositions: true }]);
  });

  it('refuses a viewer (403), a body naming someone else (403) and an unknown field (400)', async () => {
    const h = harness();
    expect((await h.call('POST', '/api/broker/reconcile', '{}', as('vic', 'viewer'))).status).toBe(403);
    expect((await h.call('POST', '/api/broker/reconcile', JSON.stringify({ operator: 'john' }), as('jane', 'operator'))).status).toBe(403);
    expect((await h.call('POST', '/api/broker/reconcile', JSON.stringify({ surprise: 1 }), as('jane', 'operator'))).status).toBe(400);
    expect(h.sent).toEqual([]);
  });

  it('answers 503 when no command queue is wired', async () => {
    const h = apiHarness();
    h.deps.commands = undefined;
    expect((await h.call('POST', '/api/broker/reconcile', '{}', as('jane', 'operator'))).status).toBe(503);
  });
});

describe('GET /api/broker/reconciliation', () => {
  it('is 404 before the first reconciliation', async () => {
    const h = harness();
    expect((await h.call('GET', '/api/broker/reconciliation', undefined, as('vic', 'viewer'))).status).toBe(404);
  });

  it('returns the last result from the broker heartbeat, pending for another correlation id', async () => {
    const h = harness();
    await h.stores.health.report({ component: 'broker', status: 'ok', detail: { connected: true, reconciled: true, broker_maintenance: false, reconciliation: RESULT }, observedAt: '2026-11-27T15:00:00.000Z' });
    const last = await h.call('GET', '/api/broker/reconciliation', undefined, as('vic', 'viewer'));
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ status: 'done', aligned: false, differences: RESULT.differences, broker: { connected: true, reconciled: true, broker_maintenance: false } });
    expect((await h.call('GET', '/api/broker/reconciliation?correlation_id=reconcile-1', undefined, as('vic', 'viewer'))).status).toBe(200);
    const pending = await h.call('GET', '/api/broker/reconciliation?correlation_id=reconcile-2', undefined, as('vic', 'viewer'));
    expect(pending).toMatchObject({ status: 202, body: { status: 'pending', correlation_id: 'reconcile-2' } });
  });

  it('shows broker maintenance and what differs in /api/system/status', async () => {
    const h = harness();
    await h.allHealthy();
    await h.stores.health.report({ component: 'broker', status: 'down', detail: { connected: false, reconciled: false, broker_maintenance: true, maintenance_window: 'daily-restart', maintenance_ends_at: '2026-11-28T04:55:00.000Z', reconciliation: RESULT }, observedAt: '2026-11-27T15:00:00.000Z' });
    const s = await h.call('GET', '/api/system/status', undefined, as('vic', 'viewer'));
    expect((s.body as { broker: unknown }).broker).toMatchObject({ connected: false, broker_maintenance: true, maintenance_window: 'daily-restart', aligned: false, differences: RESULT.differences });
  });
});
