import type { TradingState } from '../trading-state/trading-state.js';
import type { ComponentHealth, HealthStatus } from './health.js';

/** Components without which the system cannot trade: one of them down makes the whole system down. */
export const CRITICAL_COMPONENTS: readonly string[] = ['broker', 'event_bus', 'state_store'];

/** One component in the `/health` body. */
export interface ComponentReport {
  status: HealthStatus;
  detail: Record<string, unknown>;
}

/**
 * The `/health` body.
 * @example
 * { status: 'degraded', components: { broker: { status: 'ok', detail: { connected: true } }, 'agent:risk': { status: 'down', detail: { stale: true, lastSeenAt: '…', staleAfterMs: 30000 } } }, checkedAt: '2026-11-26T14:30:00.000Z' }
 */
export interface HealthReport {
  status: HealthStatus;
  components: Record<string, ComponentReport>;
  checkedAt: string;
}

export interface AggregateOptions {
  now: Date;
  /** A heartbeat older than this is `down` (the component stopped reporting). */
  staleAfterMs: number;
  /** Default `CRITICAL_COMPONENTS`. */
  critical?: readonly string[] | undefined;
  /** Components that must be present; a missing one is reported `down`. Default: the critical ones. */
  required?: readonly string[] | undefined;
}

/**
 * Judges component reports into the `/health` body:
 * - a report observed more than `staleAfterMs` ago is `down` (detail keeps what it said, plus
 *   `stale`, `lastSeenAt`, `staleAfterMs`); a required component with no report is `down`;
 * - overall `ok` iff every component is ok; `down` if a critical component is down; else `degraded`.
 * If a component reports twice, the newer report wins.
 * @example
 * aggregateHealth(await health.list(), { now: clock.now(), staleAfterMs: 30_000 }).status // 'ok'
 */
export function aggregateHealth(components: readonly ComponentHealth[], options: AggregateOptions): HealthReport {
  const critical = options.critical ?? CRITICAL_COMPONENTS;
  const required = options.required ?? critical;
  const now = options.now.getTime();

  const latest = new Map<string, ComponentHealth>();
  for (const c of components) {
    const seen = latest.get(c.component);
    if (seen === undefined || Date.parse(c.observedAt) >= Date.parse(seen.observedAt)) latest.set(c.component, c);
  }

  const out: Record<string, ComponentReport> = {};
  for (const name of [...latest.keys()].sort()) {
    const c = latest.get(name) as ComponentHealth;
    const observed = Date.parse(c.observedAt);
    // a timestamp from the future (clock skew between hosts) is treated as fresh, not stale
    const stale = !Number.isFinite(observed) || now - observed > options.staleAfterMs;
    out[name] = stale
      ? { status: 'down', detail: { ...c.detail, stale: true, lastSeenAt: c.observedAt, staleAfterMs: options.staleAfterMs } }
      : { status: c.status, detail: { ...c.detail } };
  }
  for (const name of required) if (out[name] === undefined) out[name] = { status: 'down', detail: { error: 'not reported' } };

  const reports = Object.entries(out);
  const status: HealthStatus = reports.every(([, r]) => r.status === 'ok')
    ? 'ok'
    : reports.some(([n, r]) => r.status === 'down' && critical.includes(n))
      ? 'down'
      : 'degraded';
  return { status, components: out, checkedAt: options.now.toISOString() };
}

export interface Readiness {
  ready: boolean;
  /** What is not there yet, e.g. `['broker (down)', 'trading-state (HALTED)']`; empty when ready. */
  waitingFor: string[];
}

/**
 * Whether the system can trade (`GET /ready`). Rule: every critical component (broker, event_bus,
 * state_store by default) is `ok` — degraded is not enough, since "broker degraded" may mean orders
 * cannot route — and the trading state exists and is not HALTED (REDUCING can trade, to reduce).
 * Non-critical components (blob store, agents) may be degraded or down without blocking trading;
 * `/health` reports them.
 *
 * The `waitingFor` texts never contain the word "ready": the runbook's startup script greps the
 * response body for it.
 * @example
 * isReady(report, await tradingState.get()) // { ready: false, waitingFor: ['broker (down)'] }
 */
export function isReady(report: HealthReport, tradingState: TradingState | undefined, options: { critical?: readonly string[] } = {}): Readiness {
  const waitingFor: string[] = [];
  for (const name of options.critical ?? CRITICAL_COMPONENTS) {
    const status = report.components[name]?.status ?? 'missing';
    if (status !== 'ok') waitingFor.push(`${name} (${status})`);
  }
  if (tradingState === undefined) waitingFor.push('trading-state (not initialised)');
  else if (tradingState.mode === 'HALTED') waitingFor.push('trading-state (HALTED)');
  return { ready: waitingFor.length === 0, waitingFor };
}
