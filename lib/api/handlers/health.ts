import type { ComponentHealth } from '../../core/health/health.js';
import { aggregateHealth, isReady, type HealthReport } from '../../core/health/aggregate.js';
import type { ApiDeps } from '../deps.js';
import type { ApiResponse, RequestContext } from '../route-spec.js';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Collects every component's health: live probes of the infrastructure (bus, state store, blob
 * store) and the heartbeats that the broker bridge and the agents write to the state store.
 * A component that cannot be asked is `down` with the reason, never left out.
 */
export async function collectHealth(deps: ApiDeps): Promise<ComponentHealth[]> {
  const observedAt = deps.clock.now().toISOString();
  const probed = await Promise.all(
    Object.entries(deps.probes).map(async ([component, probe]): Promise<ComponentHealth> => {
      try {
        const r = await withTimeout(probe(), PROBE_TIMEOUT_MS, `${component} probe timed out after ${PROBE_TIMEOUT_MS} ms`);
        return { component, status: r.status, detail: r.detail, observedAt };
      } catch (e) {
        return { component, status: 'down', detail: { error: e instanceof Error ? e.message : String(e) }, observedAt };
      }
    }),
  );
  let beats: ComponentHealth[];
  try {
    beats = await deps.stores.health.list();
  } catch (e) {
    const error = `heartbeats unreadable: ${e instanceof Error ? e.message : String(e)}`;
    beats = ['broker', ...deps.agents.map((a) => `agent:${a.name}`)].map((component) => ({ component, status: 'down', detail: { error }, observedAt }));
  }
  return [...beats, ...probed];
}

/** Every component `/health` must list, reported or not: a missing one is `down`. */
export function requiredComponents(deps: ApiDeps): string[] {
  return ['broker', ...Object.keys(deps.probes), ...deps.agents.map((a) => `agent:${a.name}`)];
}

export async function healthReport(deps: ApiDeps): Promise<HealthReport> {
  return aggregateHealth(await collectHealth(deps), { now: deps.clock.now(), staleAfterMs: deps.heartbeatStaleAfterMs, required: requiredComponents(deps) });
}

/** `GET /health` — `{"status": "ok"|"degraded"|"down", "components": {...}}`; 503 when down. */
export async function health(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const report = await healthReport(deps);
  return { status: report.status === 'down' ? 503 : 200, body: report };
}

/**
 * `GET /ready` — 200 with `ready` once the system can trade. The runbook's startup script greps the
 * body for "ready", so a not-ready body must not contain that word (hence `starting`).
 */
export async function ready(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const report = await healthReport(deps);
  const state = await deps.stores.tradingState.get().catch(() => undefined);
  const verdict = isReady(report, state);
  // Which state backend answers (e.g. `memory`, not persistent), as its probe reports it.
  const store = report.components['state_store']?.detail;
  const stateStore = store === undefined ? {} : { state_store: { kind: store['kind'], persistent: store['persistent'] } };
  return verdict.ready
    ? { status: 200, body: { status: 'ready', trading_state: state?.mode, ...stateStore } }
    : { status: 503, body: { status: 'starting', waiting_for: verdict.waitingFor, ...stateStore } };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
