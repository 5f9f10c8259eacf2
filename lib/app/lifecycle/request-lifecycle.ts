import { beginDrain, beginStartup, failStartup, markDrainTimedOut } from '../../core/lifecycle/transitions.js';
import type { SystemPhaseRecord } from '../../core/lifecycle/phase.js';
import { err, ok, type Result } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { StateStores } from '../../ports/state-stores.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import { changePhase } from './change-phase.js';

export interface LifecycleRequestDeps {
  stores: Pick<StateStores, 'systemPhase' | 'audit' | 'orders'>;
  starter: WorkflowStarter;
  clock: Clock;
  newId: () => string;
}

export type LifecycleRequestError = { code: string; message: string; kind: 'refused' | 'not_started' };

/**
 * Graceful shutdown: DRAINING (one conditional write, audited: from now on no new order passes
 * pre-trade), then the `shutdown` workflow watches the working orders until none remain (STOPPED)
 * or the deadline (stays DRAINING, timed out). Returns at once; the wait is the workflow's.
 * If the workflow cannot start, the drain is marked timed out at once — still DRAINING, so nothing
 * new trades — and a retried shutdown is allowed.
 */
export async function requestShutdown(deps: LifecycleRequestDeps, r: { by: string; reason: string; timeoutS: number; pollSeconds: number }): Promise<Result<{ record: SystemPhaseRecord; executionId: string }, LifecycleRequestError>> {
  const drainId = `DRAIN-${deps.newId()}`;
  const now = deps.clock.now();
  const phaseDeps = { phases: deps.stores.systemPhase, audit: deps.stores.audit };
  const begun = await changePhase(phaseDeps, (cur) => beginDrain(cur, { drainId, by: r.by, reason: r.reason, timeoutS: r.timeoutS, now }), { actor: r.by, action: 'SYSTEM_SHUTDOWN_REQUESTED', data: { drainId, timeoutS: r.timeoutS } });
  if (!begun.ok) return err({ ...begun.error, kind: 'refused' });
  try {
    const { executionId } = await deps.starter.start('shutdown', { drainId, pollSeconds: r.pollSeconds }, { executionName: drainId });
    return ok({ record: begun.value, executionId });
  } catch (e) {
    const working = (await deps.stores.orders.listWorking()).map((o) => o.clientOrderId as string);
    await changePhase(phaseDeps, (cur) => markDrainTimedOut(cur, drainId, working, deps.clock.now()), { actor: 'shutdown', action: 'SYSTEM_DRAIN_TIMED_OUT', data: { drainId, cause: 'workflow did not start' } });
    return err({ code: 'LIFECYCLE.WORKFLOW_NOT_STARTED', message: `DRAINING is set (no new orders), but the drain monitor did not start: ${e instanceof Error ? e.message : String(e)}; retry the shutdown`, kind: 'not_started' });
  }
}

/** Startup: STARTING (audited), then the `startup` workflow runs every check and marks READY, or stops at the first failing step. */
export async function requestStartup(deps: LifecycleRequestDeps, r: { by: string; reason: string }): Promise<Result<{ record: SystemPhaseRecord; runId: string; executionId: string }, LifecycleRequestError>> {
  const runId = `STARTUP-${deps.newId()}`;
  const phaseDeps = { phases: deps.stores.systemPhase, audit: deps.stores.audit };
  const begun = await changePhase(phaseDeps, (cur) => beginStartup(cur, { runId, by: r.by, reason: r.reason, now: deps.clock.now() }), { actor: r.by, action: 'SYSTEM_STARTUP_REQUESTED', data: { runId } });
  if (!begun.ok) return err({ ...begun.error, kind: 'refused' });
  try {
    const { executionId } = await deps.starter.start('startup', { runId }, { executionName: runId });
    return ok({ record: begun.value, runId, executionId });
  } catch (e) {
    const message = `the startup workflow did not start: ${e instanceof Error ? e.message : String(e)}`;
    await changePhase(phaseDeps, (cur) => failStartup(cur, runId, { code: 'LIFECYCLE.WORKFLOW_NOT_STARTED', message, now: deps.clock.now() }), { actor: 'startup', action: 'STARTUP_FAILED', data: { runId } });
    return err({ code: 'LIFECYCLE.WORKFLOW_NOT_STARTED', message, kind: 'not_started' });
  }
}

/**
 * After a restart (locally the drain monitor dies with the process; in AWS the execution survives),
 * a drain still open gets its monitor back: the same drain, a new execution. Returns the drain id
 * resumed, or undefined when nothing drains.
 */
export async function resumeOpenDrain(deps: Pick<LifecycleRequestDeps, 'stores' | 'starter' | 'clock'>, r: { pollSeconds: number; restartId: string }): Promise<string | undefined> {
  const record = await deps.stores.systemPhase.get();
  const d = record?.drain;
  if (record?.phase !== 'DRAINING' || d === undefined || d.timedOut) return undefined;
  await deps.starter.start('shutdown', { drainId: d.drainId, pollSeconds: r.pollSeconds }, { executionName: `${d.drainId}-resumed-${r.restartId}` });
  return d.drainId;
}
