/**
 * The workflow catalog: each state machine, its ASL file, its type and the Task states that call
 * our code. The CDK app makes one state machine per row (substituting `${<Task>FunctionArn}`), and
 * the local runtime runs the same file in a local States-Language interpreter with the same
 * handlers bound to the Task state names.
 */
export interface WorkflowSpec {
  readonly name: string;
  readonly file: string;
  /** EXPRESS: synchronous, ≤ 5 minutes, no callbacks; STANDARD: long-running, callbacks. */
  readonly type: 'EXPRESS' | 'STANDARD';
  /** Task state names; each becomes a `${<Name>FunctionArn}` substitution. */
  readonly tasks: ReadonlyArray<string>;
}

export const WORKFLOWS: ReadonlyArray<WorkflowSpec> = [
  { name: 'pretrade', file: 'statemachines/pretrade.asl.json', type: 'EXPRESS', tasks: ['RiskCheck', 'ComplianceCheck'] },
  // two-person unlock (issue 4): waits for approvers' task tokens until the request expires
  { name: 'unlock', file: 'statemachines/unlock.asl.json', type: 'STANDARD', tasks: ['AwaitUnlockApproval', 'CheckUnlockPreconditions', 'ExecuteUnlock', 'ExpireUnlockRequest'] },
  // lifecycle (issue 4): the runbook's startup and graceful shutdown, long-running
  { name: 'startup', file: 'statemachines/startup.asl.json', type: 'STANDARD', tasks: ['CheckBrokerConnection', 'ValidateConfig', 'ClearStaleLocks', 'ReconcileOrders', 'VerifyPositions', 'ReviewPendingAlerts', 'MarkReady', 'RecordStartupFailure'] },
  { name: 'shutdown', file: 'statemachines/shutdown.asl.json', type: 'STANDARD', tasks: ['CheckDrain', 'MarkStopped', 'MarkDrainTimedOut'] },
];

export function workflowSpec(name: string): WorkflowSpec {
  const spec = WORKFLOWS.find((w) => w.name === name);
  if (!spec) throw new Error(`no workflow named ${name}; known: ${WORKFLOWS.map((w) => w.name).join(', ')}`);
  return spec;
}
