import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, ExecutionError, ExecutionTimeoutError, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { WorkflowError } from './errors.js';
import { workflowSpec, type WorkflowSpec } from '../../catalog/workflows.js';
import type { WorkflowRunner, WorkflowTaskHandler } from '../../ports/workflows.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import type { Logger } from '../../ports/logger.js';
import { LocalTaskTokens } from './local-task-tokens.js';

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

/** The Resource of a Task state that invokes a Lambda and then waits for its task token. */
const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Names of the Task states (at any depth) that wait for a task token. */
export function callbackStates(definition: StateMachineDefinition): Set<string> {
  const found = new Set<string>();
  const visit = (states: Record<string, unknown>) => {
    for (const [name, raw] of Object.entries(states)) {
      const st = raw as { Type?: string; Resource?: string; Branches?: Array<{ States: Record<string, unknown> }>; Iterator?: { States: Record<string, unknown> }; ItemProcessor?: { States: Record<string, unknown> } };
      if (st.Type === 'Task' && st.Resource === CALLBACK_RESOURCE) found.add(name);
      for (const b of st.Branches ?? []) visit(b.States);
      if (st.Iterator) visit(st.Iterator.States);
      if (st.ItemProcessor) visit(st.ItemProcessor.States);
    }
  };
  visit(definition.States as Record<string, unknown>);
  return found;
}

/** Where the local definition carries a hoisted `TimeoutSecondsPath` value (see `hoistTimeoutPaths`). */
const HOISTED_TIMEOUT = '__localTimeoutSeconds';

/**
 * Step Functions resolves a Task's `TimeoutSecondsPath` against the state input; the local
 * interpreter resolves it after `Parameters`. So, locally only, the path is evaluated inside
 * `Parameters` (against the state input, as in AWS) into a hidden field the timeout then reads;
 * the bound handlers never see that field.
 * @internal
 */
export function hoistTimeoutPaths(definition: StateMachineDefinition): StateMachineDefinition {
  const visit = (states: Record<string, unknown>) => {
    for (const raw of Object.values(states)) {
      const st = raw as { Type?: string; TimeoutSecondsPath?: string; Parameters?: Record<string, unknown>; Branches?: Array<{ States: Record<string, unknown> }> };
      if (st.Type === 'Task' && st.TimeoutSecondsPath !== undefined && st.Parameters !== undefined) {
        st.Parameters[`${HOISTED_TIMEOUT}.$`] = st.TimeoutSecondsPath;
        st.TimeoutSecondsPath = `$.${HOISTED_TIMEOUT}`;
      }
      for (const b of st.Branches ?? []) visit(b.States);
    }
  };
  visit(definition.States as Record<string, unknown>);
  return definition;
}

const withoutHoisted = (input: unknown): unknown => {
  if (input === null || typeof input !== 'object' || !(HOISTED_TIMEOUT in input)) return input;
  const { [HOISTED_TIMEOUT]: _t, ...rest } = input as Record<string, unknown>;
  return rest;
};

/**
 * The local twin of Step Functions: the catalog's ASL run by aws-local-stepfunctions with each
 * Task state bound to the same handler its Lambda runs in AWS — synchronously (`runSync`, Express)
 * or in the background (`start`, Standard). Definitions are parsed and validated once per process
 * (up to a second of CPU each here) and shared by every runner. `close()` aborts what still runs
 * (a drain waiting on orders, an unlock waiting for approvers), so the local system stops in
 * order; a run's outcome is what its tasks wrote, as in AWS.
 *
 * Callback emulation: a Task state with Resource `lambda:invoke.waitForTaskToken` gets a fresh
 * token per entry (`$$.Task.Token` is `local:<execution>`, refined to `…#<n>` here, since the
 * interpreter knows no tokens), its handler is called with the `Payload` as the Lambda would be,
 * and the state then waits until `tokens.succeed` / `tokens.fail` settles that token — or its
 * `TimeoutSeconds(Path)` elapses, exactly as in AWS.
 */
export class LocalWorkflowRunner implements WorkflowRunner, WorkflowStarter {
  /** Validated machines and their callback states, per repository root and workflow, for the whole process. */
  private static readonly machines = new Map<string, { machine: StateMachine; callbacks: Set<string> }>();
  private readonly executions = new Map<string, { abort: () => void; done: Promise<unknown> }>();
  private tokenSeq = 0;
  private closed = false;
  /** The callback registry of this runner: what the app's TaskTokens port is, locally. */
  readonly tokens: LocalTaskTokens;

  constructor(private readonly options: { root: string; handlers: Readonly<Record<string, WorkflowTaskHandler>>; tokens?: LocalTaskTokens; logger?: Logger; onExecutionError?: (workflow: string, name: string, error: unknown) => void }) {
    this.tokens = options.tokens ?? new LocalTaskTokens();
  }

  private localHandlers(spec: WorkflowSpec): Record<string, (i: unknown) => never> {
    const callbacks = this.compiled(spec).callbacks;
    return Object.fromEntries(
      spec.tasks.map((task) => {
        const handler = this.options.handlers[task];
        if (!handler) throw new WorkflowError('WORKFLOW.NO_HANDLER', `no local handler bound to task ${task} of ${spec.name}`);
        if (!callbacks.has(task)) return [task, (i: unknown) => handler(withoutHoisted(i)) as never];
        return [task, ((i: unknown) => this.callback(handler, withoutHoisted(i))) as (i: unknown) => never];
      }),
    );
  }

  private async callback(handler: WorkflowTaskHandler, input: unknown): Promise<unknown> {
    const payload = { ...((input as { Payload?: Record<string, unknown> }).Payload ?? {}) };
    const base = typeof payload['taskToken'] === 'string' ? payload['taskToken'] : 'local:anonymous';
    const token = `${base}#${++this.tokenSeq}`;
    payload['taskToken'] = token;
    const settled = this.tokens.wait(token);
    try {
      await handler(payload);
    } catch (e) {
      this.tokens.forget(token);
      throw e;
    }
    return settled;
  }

  /**
   * Starts a Standard workflow in the background; one execution per `executionName` (a repeated
   * start returns the running one, as StartExecution does for the same name and input).
   */
  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    const name = options.executionName;
    if (this.closed) throw new WorkflowError('WORKFLOW.CLOSED', `cannot start ${workflow}: the local workflow runner is stopping`);
    const spec = workflowSpec(workflow);
    if (spec.type !== 'STANDARD') throw new WorkflowError('WORKFLOW.NOT_STANDARD', `${workflow} is ${spec.type}: run it with runSync`);
    const executionId = `local:${workflow}:${name}`;
    if (this.executions.has(executionId)) return { executionId };
    const log = this.options.logger?.child({ workflow, execution: name });
    const run = this.compiled(spec).machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.localHandlers(spec) },
      noThrowOnAbort: true,
      context: { Execution: { Id: executionId, Name: name }, Task: { Token: `local:${name}` } } as never,
    });
    const done = run.result
      .then(
        (output) => log?.info('workflow execution finished', { status: 'SUCCEEDED', output }),
        (e: unknown) => {
          log?.warn('workflow execution finished', { status: 'FAILED', error: e instanceof Error ? e.message : String(e) });
          this.options.onExecutionError?.(workflow, name, e);
        },
      )
      .finally(() => this.executions.delete(executionId));
    this.executions.set(executionId, { abort: run.abort, done });
    log?.info('workflow execution started', {});
    return { executionId };
  }

  /** Resolves when every execution started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.executions.size > 0) await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  /** Executions started by `start` and still running. */
  get running(): number {
    return this.executions.size;
  }

  /** Aborts every background execution and fails their waiting tokens (local shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.executions.values()];
    for (const e of all) e.abort();
    this.tokens.releaseAll('the local runtime is stopping');
    await Promise.all(all.map((e) => e.done));
  }

  async runSync(workflow: string, input: Record<string, unknown>): Promise<unknown> {
    const spec = workflowSpec(workflow);
    const { machine } = this.compiled(spec);
    const taskResourceLocalHandlers = this.localHandlers(spec);
    try {
      return await machine.run(input as never, { overrides: { taskResourceLocalHandlers } }).result;
    } catch (e) {
      if (e instanceof ExecutionTimeoutError) throw new WorkflowError('WORKFLOW.TIMEOUT', `${workflow} timed out`, { cause: e });
      if (e instanceof ExecutionError) throw new WorkflowError('WORKFLOW.FAILED', `${workflow} failed: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /**
   * Parses and validates these workflows now, one per event-loop turn, instead of on their first
   * run: the first order after start would otherwise wait out the pre-trade machine's
   * validation (about 0.8 s of CPU here) on top of its own checks.
   */
  async prepare(workflows: readonly string[]): Promise<void> {
    for (const name of workflows) {
      await new Promise((r) => setImmediate(r));
      if (this.closed) return;
      this.compiled(workflowSpec(name));
    }
  }

  private compiled(spec: WorkflowSpec): { machine: StateMachine; callbacks: Set<string> } {
    const key = `${this.options.root}\u0000${spec.name}`;
    let m = LocalWorkflowRunner.machines.get(key);
    if (!m) {
      const definition = hoistTimeoutPaths(loadDefinition(spec, this.options.root));
      m = { machine: new StateMachine(definition), callbacks: callbackStates(definition) };
      LocalWorkflowRunner.machines.set(key, m);
    }
    return m;
  }
}
