import { WORKFLOWS } from '../catalog/workflows.js';
import type { WorkflowTaskHandler } from '../ports/workflows.js';
import { createComplianceCheckTask, createRiskCheckTask, type CheckTaskDeps } from './pretrade/check-tasks.js';
// two-person unlock (issue 4)
import { createAwaitUnlockApprovalTask, createCheckUnlockPreconditionsTask, createExecuteUnlockTask, createExpireUnlockRequestTask, type UnlockTaskDeps } from './unlock/unlock-tasks.js';

// lifecycle (issue 4): the startup and shutdown workflows' tasks
import { STARTUP_TASKS, type LifecycleTaskDeps } from './lifecycle/startup-steps.js';
import { DRAIN_TASKS } from './lifecycle/drain-tasks.js';

/** What workflow tasks may use; each runtime's composition root provides it. */
export type WorkflowTaskDeps = CheckTaskDeps & UnlockTaskDeps & LifecycleTaskDeps;

/** Handler factory per Task state of the workflow catalog — the task Lambdas and the local runner bind these. */
export const WORKFLOW_TASK_HANDLERS: Readonly<Record<string, (deps: WorkflowTaskDeps) => WorkflowTaskHandler>> = {
  RiskCheck: createRiskCheckTask,
  ComplianceCheck: createComplianceCheckTask,
  // two-person unlock (issue 4)
  AwaitUnlockApproval: createAwaitUnlockApprovalTask,
  CheckUnlockPreconditions: createCheckUnlockPreconditionsTask,
  ExecuteUnlock: createExecuteUnlockTask,
  ExpireUnlockRequest: createExpireUnlockRequestTask,
  ...STARTUP_TASKS,
  ...DRAIN_TASKS,
};

// Fail at import, not at the first order, if the catalog names a task nobody implements.
for (const wf of WORKFLOWS) for (const t of wf.tasks) if (!WORKFLOW_TASK_HANDLERS[t]) throw new Error(`workflow ${wf.name} task ${t} has no handler in lib/app/workflow-tasks.ts`);

/** Every task handler, bound to one set of dependencies. */
export function bindWorkflowTasks(deps: WorkflowTaskDeps): Record<string, WorkflowTaskHandler> {
  return Object.fromEntries(Object.entries(WORKFLOW_TASK_HANDLERS).map(([name, make]) => [name, make(deps)]));
}
