import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, ExecutionError, ExecutionTimeoutError, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { WorkflowError } from './errors.js';
import { workflowSpec, type WorkflowSpec } from '../../catalog/workflows.js';
import type { WorkflowRunner, WorkflowTaskHandler } from '../../ports/workflows.js';

export { WorkflowError };

/** What the local interpreter silently ignores; a definition using them would behave differently here than in AWS. */
const UNSUPPORTED_LOCALLY = ['"QueryLanguage"', '"Assign"', '"Arguments"', '"Output"', '{%'];

/**
 * Reads an ASL file of the catalog, refuses what the local interpreter would silently ignore
 * (JSONata, `Assign` variables), and resolves `${<Task>FunctionArn}` to placeholder ARNs (locally
 * each Task state runs the handler bound to its name instead).
 */
export function loadDefinition(spec: WorkflowSpec, root: string): StateMachineDefinition {
  const text = readFileSync(join(root, spec.file), 'utf8');
  for (const marker of UNSUPPORTED_LOCALLY) {
    if (text.includes(marker)) throw new WorkflowError('WORKFLOW.UNSUPPORTED_LOCALLY', `${spec.file} uses ${marker}, which the local interpreter ignores; write it in JSONPath`);
  }
  const resolved = text.replace(/\$\{([A-Za-z0-9]+)FunctionArn\}/g, (_, task: string) => {
    if (!spec.tasks.includes(task)) throw new WorkflowError('WORKFLOW.UNKNOWN_TASK', `${spec.file} names task ${task}, which the catalog does not list`);
    return `arn:aws:lambda:us-east-1:000000000000:function:local-${task}`;
  });
  return JSON.parse(resolved) as StateMachineDefinition;
}

/**
 * The local twin of Step Functions Express: the catalog's ASL run by aws-local-stepfunctions with
 * each Task state bound to the same handler its Lambda runs in AWS. Definitions are parsed and
 * validated once (about 130 ms each) and cached.
 */
export class LocalWorkflowRunner implements WorkflowRunner {
  private readonly machines = new Map<string, StateMachine>();

  constructor(private readonly options: { root: string; handlers: Readonly<Record<string, WorkflowTaskHandler>> }) {}

  async runSync(workflow: string, input: Record<string, unknown>): Promise<unknown> {
    const spec = workflowSpec(workflow);
    const machine = this.machine(spec);
    const taskResourceLocalHandlers = Object.fromEntries(
      spec.tasks.map((task) => {
        const handler = this.options.handlers[task];
        if (!handler) throw new WorkflowError('WORKFLOW.NO_HANDLER', `no local handler bound to task ${task} of ${workflow}`);
        return [task, (i: unknown) => handler(i) as never];
      }),
    );
    try {
      return await machine.run(input as never, { overrides: { taskResourceLocalHandlers } }).result;
    } catch (e) {
      if (e instanceof ExecutionTimeoutError) throw new WorkflowError('WORKFLOW.TIMEOUT', `${workflow} timed out`, { cause: e });
      if (e instanceof ExecutionError) throw new WorkflowError('WORKFLOW.FAILED', `${workflow} failed: ${e.message}`, { cause: e });
      throw e;
    }
  }

  private machine(spec: WorkflowSpec): StateMachine {
    let m = this.machines.get(spec.name);
    if (!m) {
      m = new StateMachine(loadDefinition(spec, this.options.root));
      this.machines.set(spec.name, m);
    }
    return m;
  }
}
