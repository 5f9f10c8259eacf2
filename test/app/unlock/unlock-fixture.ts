import type { UnlockDeps } from '../../../lib/app/unlock/unlock-deps.js';
import { DEFAULT_UNLOCK_POLICY, type UnlockPolicy, type UnlockRequestId } from '../../../lib/core/controls/unlock-request.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { RecordingPublisher, RecordingNotifier } from '../../support/doubles.js';
import { InMemoryRiskStore } from '../../../lib/adapters/memory/risk-store.js';
import { InMemoryUnlockRequestStore } from '../../../lib/adapters/memory/unlock-request-store.js';

/**
 * The unlock use cases over in-memory ports, with trading HALTED by `halter` at version 1 and a
 * connected, reconciled broker (each test breaks what it is about).
 */
export async function unlockFixture(options: { policy?: Partial<UnlockPolicy>; halter?: string } = {}) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const stores = { ...inMemoryStores(), audit: new InMemoryAuditLog(() => clock.now()), risk: new InMemoryRiskStore(), unlockRequests: new InMemoryUnlockRequestStore() };
  const publisher = new RecordingPublisher();
  const notifier = new RecordingNotifier();
  let n = 0;
  let r = 0;
  const deps: UnlockDeps = {
    requests: stores.unlockRequests,
    tradingState: stores.tradingState,
    health: stores.health,
    orders: stores.orders,
    risk: stores.risk,
    audit: stores.audit,
    publisher,
    notifier,
    clock,
    newEventId: () => `01JDX7Q8ZK${String(++n).padStart(16, '0')}`,
    newRequestId: () => `REQ-01JDX7Q8ZK${String(++r).padStart(16, '0')}` as UnlockRequestId,
    policy: { ...DEFAULT_UNLOCK_POLICY, ...options.policy },
    brokerStaleAfterMs: 15_000,
    recheckSeconds: 1,
  };
  const at = () => clock.now().toISOString();
  await stores.tradingState.compareAndSet(-1, { mode: 'ACTIVE', changedAt: at(), changedBy: 'system', reason: 'start' });
  await stores.tradingState.compareAndSet(0, { mode: 'HALTED', changedAt: at(), changedBy: options.halter ?? 'kim.halter', reason: 'Manual activation' });
  const broker = async (detail: Record<string, unknown>, status: 'ok' | 'degraded' | 'down' = 'ok') => stores.health.report({ component: 'broker', status, detail, observedAt: at() });
  await broker({ connected: true, reconciled: true });
  const actions = () => stores.audit.entries.map((e) => e.action);
  return { clock, stores, publisher, notifier, deps, broker, actions };
}
