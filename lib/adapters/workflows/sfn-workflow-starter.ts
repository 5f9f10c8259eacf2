import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import { WorkflowError } from './errors.js';

/**
 * Step Functions STANDARD, asynchronously (StartExecution): the AWS twin of LocalWorkflowStarter.
 * State machine ARNs come from the composition root (one environment variable per workflow).
 */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(private readonly options: { client: Pick<SFNClient, 'send'>; stateMachineArns: Readonly<Record<string, string>> }) {}

  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    const arn = this.options.stateMachineArns[workflow];
    if (!arn) throw new WorkflowError('WORKFLOW.NOT_DEPLOYED', `no state machine ARN for workflow ${workflow}`);
    try {
      const out = await this.options.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input), name: options.executionName }));
      return { executionId: out.executionArn ?? options.executionName };
    } catch (e) {
      throw new WorkflowError('WORKFLOW.START_FAILED', `could not start ${workflow}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
