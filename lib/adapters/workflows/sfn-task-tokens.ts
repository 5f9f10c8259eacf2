import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskTokens } from '../../ports/task-tokens.js';
import { WorkflowError } from './errors.js';

/** Errors meaning "nobody waits for this token any more": the caller's record decides what happens next. */
const GONE = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/**
 * Step Functions callbacks: SendTaskSuccess / SendTaskFailure on a `waitForTaskToken` state.
 * Whoever may call this may complete the token — Step Functions records no approver — so callers
 * decide with the application's rules first (the unlock use cases).
 * @example new SfnTaskTokens({ client: new SFNClient({}) }).succeed(token, { status: 'APPROVED' })
 */
export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly options: { client: Pick<SFNClient, 'send'> }) {}

  async succeed(token: string, output: Record<string, unknown>): Promise<boolean> {
    return this.send(() => this.options.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })));
  }

  async fail(token: string, error: { error: string; cause: string }): Promise<boolean> {
    return this.send(() => this.options.client.send(new SendTaskFailureCommand({ taskToken: token, error: error.error, cause: error.cause })));
  }

  private async send(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      if (GONE.has(name)) return false;
      throw new WorkflowError('WORKFLOW.CALLBACK_FAILED', `could not complete a task token: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
