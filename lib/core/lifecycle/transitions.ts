import { err, ok, type Result } from '../shared/errors.js';
import type { StartupStepResult, SystemPhaseChange, SystemPhaseRecord } from './phase.js';

/**
 * The lifecycle's transitions, one pure function each: current record in, the next record (or a
 * refusal with a stable code) out. The store writes the result with a conditional write on the
 * version read, so two people acting at once cannot both win.
 *
 * | from                      | startup    | shutdown   | drain done | drain deadline | startup ok / failed |
 * | ------------------------- | ---------- | ---------- | ---------- | -------------- | ------------------- |
 * | (no record)               | STARTING   | DRAINING   |            |                |                     |
 * | STOPPED                   | STARTING   | refused    |            |                |                     |
 * | STARTING, run in progress | refused    | DRAINING ¹ |            |                | READY / STARTING    |
 * | STARTING, run finished    | STARTING   | DRAINING   |            |                |                     |
 * | READY                     | STARTING ² | DRAINING   |            |                |                     |
 * | DRAINING                  | refused ³  | refused ⁴  | STOPPED    | DRAINING, timed out |                |
 *
 * ¹ a shutdown wins over a startup in progress: its MarkReady then finds DRAINING and does nothing.
 * ² "Startup After Incident" on a running system re-runs every check; trading pauses until READY.
 * ³ while the drain runs; once it timed out (or its deadline passed), a startup resumes service (the operator chose to keep trading).
 * ⁴ while the drain runs; once it timed out (or its deadline passed), a second shutdown starts a new drain (after a cancel-all).
 * A startup run older than STARTUP_RUN_MAX_S no longer counts as running.
 */
export type LifecycleRefusal = { code: string; message: string };

/**
 * A startup run older than this cannot still be running: it is the startup workflow's own
 * `TimeoutSeconds` (statemachines/startup.asl.json; a test keeps them equal). A run whose
 * process died (locally: the machine stopped mid-run) would otherwise block every later startup.
 */
export const STARTUP_RUN_MAX_S = 900;

/** A drain is open while its monitor may still decide it: not timed out and before its deadline (a drain whose monitor died counts as timed out once the deadline passes). */
const drainOpen = (r: SystemPhaseRecord | undefined, now: Date): boolean => r?.phase === 'DRAINING' && r.drain !== undefined && !r.drain.timedOut && now.getTime() < Date.parse(r.drain.deadline);
const runOpen = (r: SystemPhaseRecord | undefined, now: Date): boolean => r?.phase === 'STARTING' && r.startup?.status === 'RUNNING' && now.getTime() < Date.parse(r.startup.startedAt) + STARTUP_RUN_MAX_S * 1000;

const at = (now: Date) => now.toISOString();

export function beginStartup(current: SystemPhaseRecord | undefined, r: { runId: string; by: string; reason: string; now: Date }): Result<SystemPhaseChange, LifecycleRefusal> {
  if (runOpen(current, r.now)) {
    return err({ code: 'LIFECYCLE.STARTUP_RUNNING', message: `startup ${current?.startup?.runId ?? ''} started by ${current?.startup?.startedBy ?? ''} at ${current?.startup?.startedAt ?? ''} is still running` });
  }
  if (current !== undefined && drainOpen(current, r.now)) {
    return err({ code: 'LIFECYCLE.DRAINING', message: `a shutdown requested by ${current.by} at ${current.since} is draining; wait for STOPPED (or its timeout) before starting` });
  }
  return ok({
    phase: 'STARTING',
    since: at(r.now),
    by: r.by,
    reason: r.reason,
    ...(current?.drain ? { drain: current.drain } : {}),
    startup: { runId: r.runId, status: 'RUNNING', startedAt: at(r.now), startedBy: r.by, steps: [] },
  });
}

/** Records one step's result on the run `runId`; refused when that run is no longer the current one. */
export function recordStartupStep(current: SystemPhaseRecord | undefined, runId: string, result: StartupStepResult): Result<SystemPhaseChange, LifecycleRefusal> {
  if (!current?.startup || current.startup.runId !== runId) return err({ code: 'LIFECYCLE.STALE_RUN', message: `startup run ${runId} is not the current one` });
  const { version: _v, ...rest } = current;
  const steps = [...current.startup.steps.filter((s) => s.step !== result.step), result];
  if (result.status !== 'failed') return ok({ ...rest, startup: { ...current.startup, steps } });
  return ok({
    ...rest,
    startup: { ...current.startup, steps, status: 'FAILED', finishedAt: result.at, failedStep: result.step, error: { code: result.code ?? 'STARTUP.STEP_FAILED', message: result.summary } },
  });
}

/**
 * The run ends FAILED without a step having said why (a task timed out or crashed): recorded once;
 * a run a step already failed keeps that step's reason.
 */
export function failStartup(current: SystemPhaseRecord | undefined, runId: string, e: { code: string; message: string; now: Date }): Result<SystemPhaseChange, LifecycleRefusal> {
  if (!current?.startup || current.startup.runId !== runId) return err({ code: 'LIFECYCLE.STALE_RUN', message: `startup run ${runId} is not the current one` });
  if (current.startup.status === 'FAILED') return err({ code: 'LIFECYCLE.ALREADY_RECORDED', message: 'the failure is already recorded' });
  const { version: _v, ...rest } = current;
  return ok({ ...rest, startup: { ...current.startup, status: 'FAILED', finishedAt: at(e.now), error: { code: e.code, message: e.message } } });
}

/** STARTING (this run, every step passed) → READY. A shutdown that arrived meanwhile wins. */
export function markReady(current: SystemPhaseRecord | undefined, runId: string, now: Date): Result<SystemPhaseChange, LifecycleRefusal> {
  if (!current?.startup || current.startup.runId !== runId) return err({ code: 'LIFECYCLE.STALE_RUN', message: `startup run ${runId} is not the current one` });
  if (current.phase !== 'STARTING') return err({ code: 'LIFECYCLE.NOT_STARTING', message: `the phase is ${current.phase} (by ${current.by}): not marking READY` });
  if (current.startup.status !== 'RUNNING') return err({ code: 'LIFECYCLE.RUN_FINISHED', message: `startup run ${runId} already ${current.startup.status}` });
  const { version: _v, drain: _d, ...rest } = current;
  return ok({
    ...rest,
    phase: 'READY',
    since: at(now),
    by: current.startup.startedBy,
    reason: `startup ${runId} passed every check`,
    startup: { ...current.startup, status: 'SUCCEEDED', finishedAt: at(now) },
  });
}

export function beginDrain(current: SystemPhaseRecord | undefined, r: { drainId: string; by: string; reason: string; timeoutS: number; now: Date }): Result<SystemPhaseChange, LifecycleRefusal> {
  if (current?.phase === 'STOPPED') return err({ code: 'LIFECYCLE.ALREADY_STOPPED', message: `the system is already STOPPED (by ${current.by} at ${current.since})` });
  if (current !== undefined && drainOpen(current, r.now)) {
    return err({ code: 'LIFECYCLE.ALREADY_DRAINING', message: `a shutdown requested by ${current.by} at ${current.since} is already draining (deadline ${current.drain?.deadline ?? 'unknown'})` });
  }
  return ok({
    phase: 'DRAINING',
    since: at(r.now),
    by: r.by,
    reason: r.reason,
    ...(current?.startup ? { startup: current.startup } : {}),
    drain: { drainId: r.drainId, requestedAt: at(r.now), timeoutS: r.timeoutS, deadline: new Date(r.now.getTime() + r.timeoutS * 1000).toISOString(), timedOut: false },
  });
}

/** What the drain check decides from the working-order count and the clock. */
export type DrainVerdict = { kind: 'drained' } | { kind: 'waiting'; working: number } | { kind: 'timed_out'; working: number } | { kind: 'superseded'; message: string };

export function judgeDrain(current: SystemPhaseRecord | undefined, drainId: string, workingOrders: number, now: Date): DrainVerdict {
  if (current?.phase !== 'DRAINING' || current.drain?.drainId !== drainId) return { kind: 'superseded', message: `drain ${drainId} is no longer current (phase ${current?.phase ?? 'none'})` };
  if (workingOrders === 0) return { kind: 'drained' };
  if (now.getTime() >= Date.parse(current.drain.deadline)) return { kind: 'timed_out', working: workingOrders };
  return { kind: 'waiting', working: workingOrders };
}

/** DRAINING (this drain) → STOPPED. */
export function markStopped(current: SystemPhaseRecord | undefined, drainId: string, now: Date): Result<SystemPhaseChange, LifecycleRefusal> {
  if (current?.phase !== 'DRAINING' || current.drain?.drainId !== drainId) return err({ code: 'LIFECYCLE.STALE_DRAIN', message: `drain ${drainId} is no longer current` });
  const { version: _v, ...rest } = current;
  return ok({ ...rest, phase: 'STOPPED', since: at(now), reason: `drained: no working orders (shutdown requested by ${current.by}: ${current.reason})`, drain: { ...current.drain, finishedAt: at(now) } });
}

/** DRAINING (this drain) stays DRAINING, marked timed out with the orders still working: a person decides (cancel-all, then shutdown again; or startup to resume). */
export function markDrainTimedOut(current: SystemPhaseRecord | undefined, drainId: string, working: readonly string[], now: Date): Result<SystemPhaseChange, LifecycleRefusal> {
  if (current?.phase !== 'DRAINING' || current.drain?.drainId !== drainId) return err({ code: 'LIFECYCLE.STALE_DRAIN', message: `drain ${drainId} is no longer current` });
  const { version: _v, ...rest } = current;
  return ok({ ...rest, drain: { ...current.drain, timedOut: true, workingOrders: [...working], finishedAt: at(now) } });
}
