import { z } from 'zod';
import { judgeDrain, markDrainTimedOut, markStopped } from '../../core/lifecycle/transitions.js';
import type { WorkflowTaskHandler } from '../../ports/workflows.js';
import { changePhase } from './change-phase.js';
import type { LifecycleTaskDeps } from './startup-steps.js';

const DrainInputSchema = z.object({ drainId: z.string().min(1) });

/**
 * `CheckDrain`: how many orders still work (the same count `GET /api/orders/pending` answers,
 * UNRESOLVED included) and what that means for this drain: drained, waiting, timed out, or
 * superseded by a newer startup or shutdown. Reads only; the marks below write.
 */
function checkDrain(deps: LifecycleTaskDeps): WorkflowTaskHandler {
  return async (input) => {
    const { drainId } = DrainInputSchema.parse(input);
    const [record, working] = await Promise.all([deps.stores.systemPhase.get(), deps.stores.orders.listWorking()]);
    const verdict = judgeDrain(record, drainId, working.length, deps.clock.now());
    return { verdict: verdict.kind, working: working.length };
  };
}

/** `MarkStopped`: DRAINING → STOPPED, audited. A drain that was superseded meanwhile changes nothing. */
function markStoppedTask(deps: LifecycleTaskDeps): WorkflowTaskHandler {
  return async (input) => {
    const { drainId } = DrainInputSchema.parse(input);
    const r = await changePhase({ phases: deps.stores.systemPhase, audit: deps.stores.audit }, (cur) => markStopped(cur, drainId, deps.clock.now()), { actor: 'shutdown', action: 'SYSTEM_STOPPED', data: { drainId } });
    return r.ok ? { phase: r.value.phase } : { phase: null, skipped: r.error.code };
  };
}

/**
 * `MarkDrainTimedOut`: the deadline passed with orders working. The phase stays DRAINING (still no
 * new orders) with `timedOut` and the working order ids, so the operator chooses: cancel-all-orders
 * then shutdown again, wait and shutdown again, or startup to resume trading. Stopping with orders
 * live at the broker would leave them unattended; cancelling them is a decision for a person.
 */
function markDrainTimedOutTask(deps: LifecycleTaskDeps): WorkflowTaskHandler {
  return async (input) => {
    const { drainId } = DrainInputSchema.parse(input);
    const working = (await deps.stores.orders.listWorking()).map((o) => o.clientOrderId as string);
    const r = await changePhase({ phases: deps.stores.systemPhase, audit: deps.stores.audit }, (cur) => markDrainTimedOut(cur, drainId, working, deps.clock.now()), {
      actor: 'shutdown',
      action: 'SYSTEM_DRAIN_TIMED_OUT',
      data: { drainId, workingOrders: working },
    });
    return r.ok ? { phase: r.value.phase, timedOut: true, workingOrders: working } : { phase: null, skipped: r.error.code };
  };
}

/** Handler factories of the shutdown workflow's Task states (statemachines/shutdown.asl.json). */
export const DRAIN_TASKS: Readonly<Record<string, (deps: LifecycleTaskDeps) => WorkflowTaskHandler>> = {
  CheckDrain: checkDrain,
  MarkStopped: markStoppedTask,
  MarkDrainTimedOut: markDrainTimedOutTask,
};
