import { z } from 'zod';
import { transition } from '../../core/orders/lifecycle.js';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import { failStartup, markReady, recordStartupStep } from '../../core/lifecycle/transitions.js';
import type { StartupStepName, StartupStepResult } from '../../core/lifecycle/phase.js';
import { ConcurrencyError, TradeOpsError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { StateStores } from '../../ports/state-stores.js';
import type { WorkflowTaskHandler } from '../../ports/workflows.js';
import { changePhase } from './change-phase.js';
import { reviewPendingAlerts } from './pending-alerts.js';

/** What the startup and drain tasks use; each runtime's composition root provides it. */
export interface LifecycleTaskDeps {
  stores: StateStores;
  clock: Clock;
  /**
   * Validates the configuration this deployment runs with: locally the config file re-read from
   * disk (an edit since `npm start` is caught); in AWS the settings serialised at synth, re-parsed.
   */
  validateConfig: () => Promise<{ ok: true; summary: string; findings?: Record<string, unknown> } | { ok: false; summary: string; findings?: Record<string, unknown> }>;
  /** A broker heartbeat older than this is no connection at all. */
  brokerStaleAfterMs: number;
  /** A PROPOSED order older than this cannot still be in the pre-trade workflow (Express, 10 s timeout): a stale lock. */
  staleProposalAfterMs?: number | undefined;
}

/** A startup step failed: its code is the ASL error name, so the run stops on it. */
export class StartupStepError extends TradeOpsError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = code;
  }
}

type StepOutcome = Omit<StartupStepResult, 'step' | 'at'>;
const StepInputSchema = z.object({ runId: z.string().min(1) });

/**
 * One startup step as a Task state: runs the check, records its result on the lifecycle record
 * (so `/api/system/state` shows the run as it goes) and, when it failed, throws its code so the
 * workflow stops there. A run that is no longer the current one (a newer startup or a shutdown
 * replaced it) stops too.
 */
function step(deps: LifecycleTaskDeps, name: StartupStepName, check: (deps: LifecycleTaskDeps) => Promise<StepOutcome>): WorkflowTaskHandler {
  return async (input) => {
    const { runId } = StepInputSchema.parse(input);
    let outcome: StepOutcome;
    try {
      outcome = await check(deps);
    } catch (e) {
      outcome = { status: 'failed', code: e instanceof TradeOpsError ? e.code : 'STARTUP.STEP_ERROR', summary: `${name} could not run: ${e instanceof Error ? e.message : String(e)}` };
    }
    const result: StartupStepResult = { step: name, at: deps.clock.now().toISOString(), ...outcome };
    const recorded = await changePhase({ phases: deps.stores.systemPhase, audit: deps.stores.audit }, (cur) => recordStartupStep(cur, runId, result), {
      actor: 'startup',
      action: 'STARTUP_STEP',
      data: { runId, step: name, status: result.status, code: result.code ?? null, summary: result.summary },
    });
    if (!recorded.ok) throw new StartupStepError(recorded.error.code, recorded.error.message);
    if (result.status === 'failed') throw new StartupStepError(result.code ?? 'STARTUP.STEP_FAILED', result.summary);
    return { status: result.status, summary: result.summary };
  };
}

/** Runbook step 2: the broker bridge is logged in, its heartbeat fresh, and it has reconciled this session. */
async function checkBrokerConnection(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const broker = (await deps.stores.health.list()).find((h) => h.component === 'broker');
  if (!broker) return { status: 'failed', code: 'STARTUP.BROKER_UNKNOWN', summary: 'the broker bridge has never reported: is the gateway service running?' };
  const ageMs = deps.clock.now().getTime() - Date.parse(broker.observedAt);
  const detail = broker.detail ?? {};
  const findings = { status: broker.status, connected: detail['connected'] ?? null, reconciled: detail['reconciled'] ?? null, heartbeatAgeMs: ageMs, account: detail['account'] ?? null };
  if (ageMs > deps.brokerStaleAfterMs) return { status: 'failed', code: 'STARTUP.BROKER_STALE', summary: `the broker bridge's last heartbeat is ${Math.round(ageMs / 1000)} s old: the bridge is not running or cannot write`, findings };
  if (detail['connected'] !== true) return { status: 'failed', code: 'STARTUP.BROKER_NOT_CONNECTED', summary: `the bridge is not logged in to the broker (${String(detail['state'] ?? broker.status)}): start IB Gateway and log in`, findings };
  if (detail['reconciled'] !== true) return { status: 'failed', code: 'STARTUP.BROKER_NOT_RECONCILED', summary: 'the bridge is connected but has not reconciled open orders and executions for this session yet: retry in a few seconds', findings };
  return { status: 'ok', summary: `broker connected and reconciled${detail['account'] ? ` (account ${String(detail['account'])})` : ''}`, findings };
}

async function validateConfigStep(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const r = await deps.validateConfig();
  return r.ok ? { status: 'ok', summary: r.summary, ...(r.findings ? { findings: r.findings } : {}) } : { status: 'failed', code: 'STARTUP.CONFIG_INVALID', summary: r.summary, ...(r.findings ? { findings: r.findings } : {}) };
}

/**
 * Runbook Step A. This system keeps no lock files: its locks are records. The one that can go
 * stale is a PROPOSED order whose pre-trade run died with its process — the CIO proposes no new
 * order for that symbol while it exists. Older than the pre-trade workflow could ever take, it is
 * provably stale, and is DENIED (`LIFECYCLE.STALE_PROPOSAL`, audited) so the symbol trades again.
 * Nothing else is touched: a working order is the broker's to resolve (ReconcileOrders), and the
 * lifecycle record's own previous run and drain are replaced by this run.
 */
async function clearStaleLocks(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const now = deps.clock.now();
  const staleMs = deps.staleProposalAfterMs ?? 5 * 60_000;
  const yesterday = new Date(now.getTime() - 24 * 3600_000);
  const days = [...new Set([tradingDayOf(yesterday), tradingDayOf(now)])];
  const candidates = (await Promise.all(days.map((d) => deps.stores.orders.listByDay(d)))).flat().filter((o) => o.status === 'PROPOSED' && now.getTime() - Date.parse(o.updatedAt) > staleMs);
  const cleared: string[] = [];
  for (const o of candidates) {
    const reason = `stale proposal cleared at startup: PROPOSED since ${o.updatedAt}, longer than any pre-trade run (${Math.round(staleMs / 1000)} s)`;
    try {
      await deps.stores.orders.update({ ...transition(o, 'DENIED', now, { reason, reasonCode: 'LIFECYCLE.STALE_PROPOSAL' }), version: o.version });
    } catch (e) {
      if (e instanceof ConcurrencyError) continue; // it moved meanwhile: not stale after all
      throw e;
    }
    await deps.stores.audit.append({ actor: 'startup', action: 'STALE_LOCK_CLEARED', subject: `order:${o.clientOrderId}`, data: { kind: 'stale_proposal', reason }, correlationId: o.correlationId });
    cleared.push(o.clientOrderId);
  }
  return { status: 'ok', summary: cleared.length === 0 ? 'no stale locks' : `cleared ${cleared.length} stale proposal(s): ${cleared.join(', ')}`, findings: { cleared, checked: ['stale PROPOSED orders (older than the pre-trade timeout)'] } };
}

/** Runbook Step B: every working order has a known state at the broker (none UNRESOLVED after a disconnect). */
async function reconcileOrders(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const working = await deps.stores.orders.listWorking();
  const unresolved = working.filter((o) => o.status === 'UNRESOLVED');
  const findings = { working: working.length, unresolved: unresolved.map((o) => o.clientOrderId) };
  if (unresolved.length > 0) {
    return { status: 'failed', code: 'STARTUP.UNRESOLVED_ORDERS', summary: `${unresolved.length} working order(s) have an unknown state at the broker (${unresolved.map((o) => o.clientOrderId).join(', ')}): run reconcile-orders`, findings };
  }
  return { status: 'ok', summary: `${working.length} working order(s), all with a known broker state`, findings };
}

/** Runbook Step C: positions present and consistent with the accounts the broker reports. */
async function verifyPositions(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const [positions, accounts] = await Promise.all([deps.stores.positions.list(), deps.stores.accounts.list()]);
  const known = new Set(accounts.map((a) => a.account as string));
  const orphans = positions.filter((p) => !known.has(p.account));
  const findings = { positions: positions.length, accounts: [...known], orphanAccounts: [...new Set(orphans.map((p) => p.account))] };
  if (accounts.length === 0) return { status: 'failed', code: 'STARTUP.NO_ACCOUNT', summary: 'no account summary from the broker yet: positions cannot be verified', findings };
  if (orphans.length > 0) return { status: 'failed', code: 'STARTUP.POSITIONS_INCONSISTENT', summary: `positions held for account(s) the broker does not report: ${findings.orphanAccounts.join(', ')}`, findings };
  return { status: 'ok', summary: `${positions.length} position(s) across ${known.size} account(s), consistent with the broker's accounts`, findings };
}

/** Runbook Step D and the pre-market "address any CRITICAL alerts". */
async function reviewAlertsStep(deps: LifecycleTaskDeps): Promise<StepOutcome> {
  const r = await reviewPendingAlerts(deps.stores);
  const findings = { compliance: r.compliance.map((a) => ({ id: a.id, severity: a.severity, status: a.status })), risk: r.risk.map((a) => ({ id: a.id, severity: a.severity })), critical: r.critical.map((a) => a.id) };
  if (r.critical.length > 0) return { status: 'failed', code: 'STARTUP.CRITICAL_ALERTS', summary: `${r.critical.length} critical alert(s) open: ${r.critical.map((a) => `${a.source} ${a.id}`).join(', ')}; resolve them (review-pending-alerts) before trading`, findings };
  const n = r.compliance.length + r.risk.length;
  return n === 0 ? { status: 'ok', summary: 'no pending alerts', findings } : { status: 'warn', summary: `${r.compliance.length} compliance alert(s) pending review, ${r.risk.length} risk alert(s) active; none critical`, findings };
}

function markReadyTask(deps: LifecycleTaskDeps): WorkflowTaskHandler {
  return async (input) => {
    const { runId } = StepInputSchema.parse(input);
    const now = deps.clock.now();
    const phaseDeps = { phases: deps.stores.systemPhase, audit: deps.stores.audit };
    const r = await changePhase(phaseDeps, (cur) => markReady(cur, runId, now), { actor: 'startup', action: 'SYSTEM_READY', data: { runId } });
    if (!r.ok) {
      const result: StartupStepResult = { step: 'MarkReady', at: now.toISOString(), status: 'failed', code: r.error.code, summary: r.error.message };
      await changePhase(phaseDeps, (cur) => recordStartupStep(cur, runId, result), { actor: 'startup', action: 'STARTUP_STEP', data: { runId, step: 'MarkReady', status: 'failed', code: r.error.code } });
      throw new StartupStepError(r.error.code, r.error.message);
    }
    return { status: 'ok', phase: r.value.phase };
  };
}

const FailureInputSchema = z.object({ runId: z.string().min(1), error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().optional() });

/** The Catch of every step: a run that ended without its step recording why (a crash, a timeout) is marked FAILED once. */
function recordStartupFailureTask(deps: LifecycleTaskDeps): WorkflowTaskHandler {
  return async (input) => {
    const { runId, error } = FailureInputSchema.parse(input);
    const code = error?.Error ?? 'STARTUP.FAILED';
    const r = await changePhase({ phases: deps.stores.systemPhase, audit: deps.stores.audit }, (cur) => failStartup(cur, runId, { code, message: error?.Cause ?? code, now: deps.clock.now() }), {
      actor: 'startup',
      action: 'STARTUP_FAILED',
      data: { runId, code },
    });
    return { recorded: r.ok };
  };
}

/** Handler factories of the startup workflow's Task states (statemachines/startup.asl.json). */
export const STARTUP_TASKS: Readonly<Record<string, (deps: LifecycleTaskDeps) => WorkflowTaskHandler>> = {
  CheckBrokerConnection: (d) => step(d, 'CheckBrokerConnection', checkBrokerConnection),
  ValidateConfig: (d) => step(d, 'ValidateConfig', validateConfigStep),
  ClearStaleLocks: (d) => step(d, 'ClearStaleLocks', clearStaleLocks),
  ReconcileOrders: (d) => step(d, 'ReconcileOrders', reconcileOrders),
  VerifyPositions: (d) => step(d, 'VerifyPositions', verifyPositions),
  ReviewPendingAlerts: (d) => step(d, 'ReviewPendingAlerts', reviewAlertsStep),
  MarkReady: markReadyTask,
  RecordStartupFailure: recordStartupFailureTask,
};
