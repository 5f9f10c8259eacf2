import { StateMachine } from 'aws-local-stepfunctions';
import { workflowSpec } from '../../catalog/workflows.js';
import type { Logger } from '../../ports/logger.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import type { WorkflowTaskHandler } from '../../ports/workflows.js';
import { WorkflowError } from './errors.js';
import { loadDefinition } from './local-workflow-runner.js';

/**
 * The local twin of Step Functions StartExecution for STANDARD workflows: the catalog's ASL in
 * aws-local-stepfunctions, run in the background with each Task state bound to the handler its
 * Lambda runs in AWS. `close()` aborts what still runs (a drain waiting on orders), so the local
 * system stops in order; a run's outcome is what its tasks wrote, as in AWS.
 */
export class LocalWorkflowStarter implements WorkflowStarter {
  /** Parsed and validated definitions, shared by every starter of the process: validation costs about a second of CPU per file. */
  private static readonly machines = new Map<string, StateMachine>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<unknown> }>();
  private closed = false;

  constructor(private readonly options: { root: string; handlers: Readonly<Record<string, WorkflowTaskHandler>>; logger: Logger; arnPrefix?: string }) {}

  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    if (this.closed) throw new WorkflowError('WORKFLOW.CLOSED', `cannot start ${workflow}: the local workflow runner is stopping`);
    const spec = workflowSpec(workflow);
    if (spec.type !== 'STANDARD') throw new WorkflowError('WORKFLOW.NOT_STANDARD', `${workflow} is ${spec.type}: run it with runSync`);
    const executionId = `${this.options.arnPrefix ?? 'arn:aws:states:local:000000000000:execution'}:tradeops-${workflow}:${options.executionName}`;
    if (this.running.has(executionId)) throw new WorkflowError('WORKFLOW.ALREADY_RUNNING', `execution ${options.executionName} of ${workflow} is already running`);
    const cacheKey = `${this.options.root}\u0000${workflow}`;
    let machine = LocalWorkflowStarter.machines.get(cacheKey);
    if (!machine) {
      machine = new StateMachine(loadDefinition(spec, this.options.root));
      LocalWorkflowStarter.machines.set(cacheKey, machine);
    }
    const taskResourceLocalHandlers = Object.fromEntries(
      spec.tasks.map((task) => {
        const handler = this.options.handlers[task];
        if (!handler) throw new WorkflowError('WORKFLOW.NO_HANDLER', `no local handler bound to task ${task} of ${workflow}`);
        return [task, (i: unknown) => handler(i) as never];
      }),
    );
    const log = this.options.logger.child({ workflow, execution: options.executionName });
    const run = machine.run(input as never, { overrides: { taskResourceLocalHandlers }, noThrowOnAbort: true });
    const done = run.result.then(
      (out) => log.info('workflow execution finished', { status: 'SUCCEEDED', output: out }),
      (e: unknown) => log.warn('workflow execution finished', { status: 'FAILED', error: e instanceof Error ? e.message : String(e) }),
    ).finally(() => this.running.delete(executionId));
    this.running.set(executionId, { abort: run.abort, done });
    log.info('workflow execution started', {});
    return { executionId };
  }

  /** Resolves when every execution started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Aborts every running execution and waits for their tasks in flight to settle. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.running.values()];
    for (const r of runs) r.abort();
    await Promise.all(runs.map((r) => r.done));
  }
}
