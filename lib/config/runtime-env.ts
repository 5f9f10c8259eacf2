/**
 * Environment variables the CDK app sets on Lambda functions and the Fargate containers, and the
 * runtime composition roots read. One list, so a binding (lib/infra, STYLE §14) and its reader
 * cannot drift apart. Runtime-safe: no CDK import.
 */
export const RUNTIME_ENV = {
  /** The environment name; the runtime loads `config/<env>.yaml` baked into its bundle/image. */
  env: 'TRADEOPS_ENV',
  /** `paper` | `live`, from config `account.mode` (prod ships paper: never derive it from the env name). */
  accountMode: 'TRADEOPS_ACCOUNT_MODE',
  /** Which catalogued agent a Lambda of lambdas/agents/handler.ts runs. */
  agent: 'TRADEOPS_AGENT',
  /** The agents' settings (CIO sizing, account) as JSON, from config at synth. */
  agentSettings: 'TRADEOPS_AGENT_SETTINGS',
  /** Which workflow Task state a Lambda of lambdas/workflow-tasks/handler.ts runs. */
  task: 'TRADEOPS_TASK',
  /** The pre-trade policy (limits, compliance rules and lists) as JSON, from config at synth. */
  pretradePolicy: 'TRADEOPS_PRETRADE_POLICY',
  /** The two-person unlock's policy (approvers, M, expiry) as JSON, from config `controls.unlock` at synth (issue 4). */
  unlockSettings: 'TRADEOPS_UNLOCK_SETTINGS',
  /** Prefix; one variable per workflow with its state machine ARN, e.g. TRADEOPS_WORKFLOW_PRETRADE. */
  workflowPrefix: 'TRADEOPS_WORKFLOW_',
  stateTable: 'TRADEOPS_STATE_TABLE',
  eventBus: 'TRADEOPS_EVENT_BUS',
  commandQueueUrl: 'TRADEOPS_COMMAND_QUEUE_URL',
  backupBucket: 'TRADEOPS_BACKUP_BUCKET',
  auditBucket: 'TRADEOPS_AUDIT_BUCKET',
  /** Event bus operations (issue 4): the consumers' shared dead-letter queue, for its depth and clear_stale. */
  busDeadLetterQueueUrl: 'TRADEOPS_BUS_DLQ_URL',
  /** Event bus operations (issue 4): agent name → Lambda function name as JSON, for POST /api/agents/restart/{agent}. */
  agentFunctions: 'TRADEOPS_AGENT_FUNCTIONS',
  /** Prefix; one variable per audience, e.g. TRADEOPS_TOPIC_ONCALL. */
  topicPrefix: 'TRADEOPS_TOPIC_',
} as const;
export type RuntimeEnvName = (typeof RUNTIME_ENV)[keyof typeof RUNTIME_ENV];
