import type { ComponentHealth } from '../health/health.js';
import type { TradingState } from '../trading-state/trading-state.js';
import type { PreconditionCheck, PreconditionReport, UnlockRequest } from './unlock-request.js';
import { haltSuperseded } from './unlock-rules.js';

/**
 * What the system looks like now, read by the app layer from the stores; the judgement is pure.
 * @example { state, broker: { component: 'broker', status: 'ok', detail: { connected: true, reconciled: true }, observedAt }, brokerStaleAfterMs: 15_000, externalWorkingOrders: [], activeCriticalRiskAlerts: [], varUtilization: 0.4 }
 */
export interface UnlockFacts {
  state: TradingState | undefined;
  /** The bridge's heartbeat (`broker` in the health store): `detail.connected`, `detail.reconciled`. */
  broker: ComponentHealth | undefined;
  /** A heartbeat older than this says nothing about now. */
  brokerStaleAfterMs: number;
  /** Working orders the broker has that we did not send (adopted as EXTERNAL by reconciliation). */
  externalWorkingOrders: ReadonlyArray<{ clientOrderId: string; symbol: string }>;
  /** Risk alerts of severity CRITICAL that nobody has reset. */
  activeCriticalRiskAlerts: ReadonlyArray<{ name: string; message: string }>;
  /** VaR / limit of the latest risk snapshot; undefined before the first risk cycle. */
  varUtilization: number | undefined;
}

/**
 * The state-aware preconditions of resuming trading. Every check is reported (not just the first
 * failure) so the people waiting know everything that is missing. Unknown counts as failing for
 * the broker (no heartbeat: not connected); an unknown VaR (no risk cycle yet) does not block on
 * its own — active critical alerts still do — because after a restart the risk agent needs a cycle
 * and a halted system must remain unlockable.
 * @example const report = evaluateUnlockPreconditions(req, facts, now); if (!report.ok) …
 */
export function evaluateUnlockPreconditions(req: UnlockRequest, f: UnlockFacts, now: Date): PreconditionReport {
  const checks: PreconditionCheck[] = [];
  const halt = haltSuperseded(req, f.state);
  checks.push(halt === undefined ? { name: 'halt_unchanged', ok: true, message: `trading is HALTED at version ${req.halt.version}, as when requested` } : { name: 'halt_unchanged', ok: false, message: halt.message });

  const b = f.broker;
  const ageMs = b === undefined ? undefined : now.getTime() - Date.parse(b.observedAt);
  const fresh = ageMs !== undefined && ageMs <= f.brokerStaleAfterMs;
  const connected = fresh && b !== undefined && b.status !== 'down' && b.detail['connected'] === true;
  checks.push({
    name: 'broker_connected',
    ok: connected,
    message: b === undefined ? 'no heartbeat from the broker bridge: connection unknown'
      : !fresh ? `the broker bridge's last heartbeat is ${Math.round((ageMs ?? 0) / 1000)} s old (stale after ${Math.round(f.brokerStaleAfterMs / 1000)} s)`
      : connected ? 'broker connected and logged in' : `broker not connected (status ${b.status}${typeof b.detail['state'] === 'string' ? `, ${b.detail['state']}` : ''})`,
  });
  const reconciled = connected && b?.detail['reconciled'] === true;
  checks.push({
    name: 'broker_reconciled',
    ok: reconciled,
    message: reconciled ? 'open orders and executions of this broker session are reconciled' : connected ? 'broker connected but not reconciled: open orders and executions of this session have not been read back yet' : 'broker not reconciled (not connected)',
  });

  const unknown = f.externalWorkingOrders;
  checks.push({
    name: 'no_unknown_orders',
    ok: unknown.length === 0,
    message: unknown.length === 0 ? 'no unknown working orders at the broker' : `${unknown.length} working order(s) at the broker that we did not send: ${unknown.slice(0, 5).map((o) => `${o.clientOrderId} ${o.symbol}`).join(', ')}${unknown.length > 5 ? ', …' : ''}; cancel or adopt them first`,
  });

  const critical = f.activeCriticalRiskAlerts;
  const varOver = f.varUtilization !== undefined && f.varUtilization >= 1;
  const riskOk = critical.length === 0 && !varOver;
  const riskProblems = [
    ...critical.map((a) => `critical risk alert ${a.name} active (${a.message})`),
    ...(varOver ? [`VaR at ${(f.varUtilization! * 100).toFixed(1)} % of its limit`] : []),
  ];
  checks.push({
    name: 'risk_within_limits',
    ok: riskOk,
    message: riskOk ? (f.varUtilization === undefined ? 'no active critical risk alert (VaR not computed yet)' : `no active critical risk alert; VaR at ${(f.varUtilization * 100).toFixed(1)} % of its limit`) : riskProblems.join('; '),
  });
  return { checkedAt: now.toISOString(), ok: checks.every((c) => c.ok), checks };
}

/** The failing checks as one sentence, for responses and notifications. */
export function describeBlockers(report: PreconditionReport): string {
  const failing = report.checks.filter((c) => !c.ok);
  return failing.length === 0 ? 'all preconditions hold' : failing.map((c) => `${c.name}: ${c.message}`).join('; ');
}
