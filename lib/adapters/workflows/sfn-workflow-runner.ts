import { StartExecutionCommand, StartSyncExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowRunner } from '../../ports/workflows.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import { WorkflowError } from './errors.js';

/**
 * Step Functions: Express synchronously (StartSyncExecution, `runSync`) and Standard in the
 * background (StartExecution, `start`) — the AWS twin of LocalWorkflowRunner.
 * State machine ARNs come from the composition root (one environment variable per workflow).
 */
export class SfnWorkflowRunner implements WorkflowRunner, WorkflowStarter {
  constructor(private readonly options: { client: Pick<SFNClient, 'send'>; stateMachineArns: Readonly<Record<string, string>> }) {}

  async runSync(workflow: string, input: Record<string, unknown>, options: { executionName?: string } = {}): Promise<unknown> {
    const arn = this.options.stateMachineArns[workflow];
    if (!arn) throw new WorkflowError('WORKFLOW.NOT_DEPLOYED', `no state machine ARN for workflow ${workflow}`);
    let out;
    try {
      out = await this.options.client.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input), ...(options.executionName ? { name: options.executionName } : {}) }));
    } catch (e) {
      throw new WorkflowError('WORKFLOW.START_FAILED', `could not start ${workflow}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (out.status === 'SUCCEEDED') return out.output === undefined ? null : (JSON.parse(out.output) as unknown);
    throw new WorkflowError(out.status === 'TIMED_OUT' ? 'WORKFLOW.TIMEOUT' : 'WORKFLOW.FAILED', `${workflow} ${out.status ?? 'failed'}: ${out.error ?? ''} ${out.cause ?? ''}`.trim(), { details: { executionArn: out.executionArn, error: out.error } });
  }

  /**
   * Starts a Standard execution (StartExecution) named `executionName`: a repeated start with the
   * same name and input is answered with the running execution, so a retried request cannot start two.
   */
  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    const arn = this.options.stateMachineArns[workflow];
    if (!arn) throw new WorkflowError('WORKFLOW.NOT_DEPLOYED', `no state machine ARN for workflow ${workflow}`);
    try {
      const out = await this.options.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: options.executionName, input: JSON.stringify(input) }));
      return { executionId: out.executionArn ?? options.executionName };
    } catch (e) {
      throw new WorkflowError('WORKFLOW.START_FAILED', `could not start ${workflow} (${options.executionName}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
