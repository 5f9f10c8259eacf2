/**
 * Completes a workflow Task state that waits for a callback (Step Functions
 * `waitForTaskToken`): SendTaskSuccess / SendTaskFailure in AWS, an in-process registry of
 * waiting promises locally. Step Functions carries no identity with a token — whoever holds it
 * may complete it — so the application decides *whether* to call this (unlock rules in lib/core),
 * and the token only moves the workflow on.
 * A token that is no longer waited for (timed out, already completed) is reported as `false`,
 * never thrown: the caller's record is the source of truth and the workflow re-reads it.
 * @example
 * await tokens.succeed(req.taskToken, { status: 'APPROVED' });
 */
export interface TaskTokens {
  succeed(token: string, output: Record<string, unknown>): Promise<boolean>;
  fail(token: string, error: { error: string; cause: string }): Promise<boolean>;
}

/**
 * Starts a long-running (Standard) workflow without waiting for it (StartExecution in AWS, the
 * local interpreter in the background). `name` makes the start idempotent: one execution per name.
 * @example await starter.start('unlock', { requestId }, { name: requestId });
 */
export interface WorkflowStarter {
  start(workflow: string, input: Record<string, unknown>, options: { name: string }): Promise<{ executionId: string }>;
}
