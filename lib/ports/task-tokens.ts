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

