import { Dispatcher, type ApiRequest } from '../../lib/api/dispatch.js';
import type { ApiDeps } from '../../lib/api/deps.js';
import { ROUTES } from '../../lib/api/routes.js';
import type { RouteSpec } from '../../lib/api/route-spec.js';
import { ManualClock } from '../../lib/core/shared/clock.js';
import { MemoryLogger, RecordingPublisher, RecordingNotifier, InMemoryCommandQueue } from '../support/doubles.js';
import { allInMemoryStores } from '../support/memory-stores.js';
import type { Identity } from '../../lib/core/auth/roles.js';
import type { Authentication } from '../../lib/ports/auth.js';

/** The caller of a harness request unless a test says otherwise: an admin, so role tests opt in. */
export const TEST_ADMIN: Identity = { user: 'test.admin', roles: ['admin'], issuer: 'test' };

/** An identity with the given roles, for access tests. */
export const as = (user: string, ...roles: Identity['roles'][number][]): Authentication => ({ kind: 'authenticated', identity: { user, roles, issuer: 'test' } });
export const ANONYMOUS: Authentication = { kind: 'anonymous' };

/** The API over in-memory ports: for handler and dispatcher unit tests (acceptance tests use the local runtime). */
export function apiHarness(routes: ReadonlyArray<RouteSpec> = ROUTES, options: { openReads?: boolean } = {}) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const stores = allInMemoryStores(clock);
  const commands = new InMemoryCommandQueue();
  const notifier = new RecordingNotifier();
  const publisher = new RecordingPublisher();
  let n = 0;
  const probes: Record<string, () => Promise<{ status: 'ok' | 'degraded' | 'down'; detail: Record<string, unknown> }>> = {
    event_bus: async () => ({ status: 'ok', detail: {} }),
    state_store: async () => ({ status: 'ok', detail: {} }),
    blob_store: async () => ({ status: 'ok', detail: {} }),
  };
  const deps: ApiDeps = { clock, env: 'test', accountMode: 'paper', stores, publisher, newId: () => `01JDX7Q8ZK${String(++n).padStart(16, '0')}`, probes, agents: [{ name: 'audit-recorder', description: 'audit' }], heartbeatStaleAfterMs: 15_000, commands, notifier, sleep: async (ms: number) => clock.advance(ms) };
  const logger = new MemoryLogger();
  const dispatcher = new Dispatcher(routes, options);
  const call = (method: string, pathAndQuery: string, rawBody?: string, auth: Authentication = { kind: 'authenticated', identity: TEST_ADMIN }) => {
    const url = new URL(pathAndQuery, 'http://x');
    const query: ApiRequest['query'] = {};
    for (const k of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(k);
      query[k] = all.length === 1 ? all[0] : all;
    }
    return dispatcher.handle({ method, path: url.pathname, query, rawBody, auth }, { deps, correlationId: 'test', logger });
  };
  /** Heartbeats for everything `/health` expects, all ok and fresh. */
  const allHealthy = async () => {
    const observedAt = clock.now().toISOString();
    await stores.health.report({ component: 'broker', status: 'ok', detail: { connected: true }, observedAt });
    await stores.health.report({ component: 'agent:audit-recorder', status: 'ok', detail: {}, observedAt });
    await stores.tradingState.compareAndSet(-1, { mode: 'ACTIVE', changedAt: observedAt, changedBy: 'system', reason: 'test' });
  };
  return { clock, stores, probes, deps, call, allHealthy, logger, publisher, commands, notifier };
}
