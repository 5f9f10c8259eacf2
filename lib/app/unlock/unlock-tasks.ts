import { z } from 'zod';
import { InvariantError } from '../../core/shared/errors.js';
import type { WorkflowTaskHandler } from '../../ports/workflows.js';
import type { UnlockDeps } from './unlock-deps.js';
import { awaitUnlockApproval, executeUnlock, expireUnlock, progress } from './unlock-service.js';

/**
 * The Task states of statemachines/unlock.asl.json. They only orchestrate: every rule is in the
 * use cases (and the store's conditional writes), so a task run twice, late, or not at all never
 * lets trading resume without its approvals and preconditions.
 */
export interface UnlockTaskDeps {
  /** Absent in a runtime that does not run the unlock workflow: its tasks then fail loudly. */
  unlock?: UnlockDeps | undefined;
}

const RequestInputSchema = z.looseObject({ requestId: z.string().min(1) });
const AwaitInputSchema = z.looseObject({ requestId: z.string().min(1), taskToken: z.string().min(1) });

function need(deps: UnlockTaskDeps, task: string): UnlockDeps {
  if (deps.unlock === undefined) throw new InvariantError('UNLOCK.NOT_WIRED', `workflow task ${task} runs without unlock dependencies`);
  return deps.unlock;
}

/** `lambda:invoke.waitForTaskToken`: stores the token; the approval (or this task, if nothing is left to wait for) completes it. */
export const createAwaitUnlockApprovalTask = (deps: UnlockTaskDeps): WorkflowTaskHandler => async (input) => {
  const u = need(deps, 'AwaitUnlockApproval');
  await awaitUnlockApproval(u, AwaitInputSchema.parse(input));
  return { stored: true };
};

/** Records the precondition report on the approved request; `ok` says whether to execute. */
export const createCheckUnlockPreconditionsTask = (deps: UnlockTaskDeps): WorkflowTaskHandler => async (input) => {
  const u = need(deps, 'CheckUnlockPreconditions');
  const { requestId } = RequestInputSchema.parse(input);
  const o = await executeUnlock(u, { requestId, correlationId: `unlock-${requestId}`, trigger: 'workflow', execute: false });
  return progress(u, o.request, u.clock.now(), o.blockedBy === undefined && o.request.status === 'APPROVED' && o.request.preconditions?.ok === true);
};

/** Re-checks and makes the one conditional write; a regression since the check leaves it APPROVED (blocked). */
export const createExecuteUnlockTask = (deps: UnlockTaskDeps): WorkflowTaskHandler => async (input) => {
  const u = need(deps, 'ExecuteUnlock');
  const { requestId } = RequestInputSchema.parse(input);
  const o = await executeUnlock(u, { requestId, correlationId: `unlock-${requestId}`, trigger: 'workflow' });
  return progress(u, o.request, u.clock.now(), o.request.status === 'EXECUTED');
};

/** The wait timed out: the request's time is up. */
export const createExpireUnlockRequestTask = (deps: UnlockTaskDeps): WorkflowTaskHandler => async (input) => {
  const u = need(deps, 'ExpireUnlockRequest');
  const { requestId } = RequestInputSchema.parse(input);
  return expireUnlock(u, { requestId, correlationId: `unlock-${requestId}` });
};
