import { expect } from 'vitest';
import { apiHarness, as } from './api-harness.js';
import { DEFAULT_UNLOCK_POLICY } from '../../lib/core/controls/unlock-request.js';
import type { UnlockRequestId } from '../../lib/core/controls/unlock-request.js';
import { RecordingNotifier } from '../support/doubles.js';

/** The API harness with the unlock wired over its in-memory stores, and trading HALTED by kim.halter. */
export async function halted() {
  const h = apiHarness();
  await h.allHealthy();
  await h.stores.health.report({ component: 'broker', status: 'ok', detail: { connected: true, reconciled: true }, observedAt: h.clock.now().toISOString() });
  await h.stores.tradingState.compareAndSet(0, { mode: 'HALTED', changedAt: h.clock.now().toISOString(), changedBy: 'kim.halter', reason: 'Manual activation' });
  let n = 0;
  h.deps.unlock = {
    requests: h.stores.unlockRequests, tradingState: h.stores.tradingState, health: h.stores.health, orders: h.stores.orders, risk: h.stores.risk, audit: h.stores.audit,
    publisher: h.publisher, notifier: new RecordingNotifier(), clock: h.clock, newEventId: h.deps.newId,
    newRequestId: () => `REQ-01JDX7Q8ZK${String(++n).padStart(16, '0')}` as UnlockRequestId,
    policy: DEFAULT_UNLOCK_POLICY, brokerStaleAfterMs: 15_000, recheckSeconds: 15,
  };
  const post = (path: string, body: unknown, who = as('john.doe', 'operator')) => h.call('POST', path, JSON.stringify(body), who);
  const request = async () => {
    const res = await post('/api/system/unlock_request', { reason: 'broker back' });
    expect(res.status).toBe(202);
    return (res.body as { request_id: string }).request_id;
  };
  return { ...h, post, request };
}

