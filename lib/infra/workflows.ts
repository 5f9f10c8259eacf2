import { ArnFormat, Duration, Stack, aws_iam as iam, aws_logs as logs, aws_stepfunctions as sfn, type aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvName } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { WorkflowSpec } from '../catalog/workflows.js';
import type { BindTarget } from './binding.js';
import { TradeOpsFunction } from './tradeops-function.js';
import { acknowledgeWildcardResource } from './nag-acks.js';

export interface WorkflowsProps {
  readonly envName: EnvName;
  readonly workflows: ReadonlyArray<WorkflowSpec>;
  /** Repository root (absolute): the ASL files are read from here. */
  readonly root: string;
  /** lambdas/workflow-tasks/handler.ts (absolute). */
  readonly taskEntry: string;
  readonly depsLockFilePath: string;
  readonly logRetention: logs.RetentionDays;
  /** Grants each task function what it reads and writes (`workflow`: the catalog row it belongs to). */
  readonly bind: (target: BindTarget, workflow: WorkflowSpec) => void;
}

/**
 * One state machine per catalogued workflow, from the same ASL file the local interpreter runs;
 * each Task state is a Lambda of lambdas/workflow-tasks/handler.ts told its task by `TRADEOPS_TASK`,
 * substituted for `${<Task>FunctionArn}`. Every execution is logged and traced.
 */
export class Workflows extends Construct {
  readonly stateMachines: ReadonlyMap<string, sfn.StateMachine>;
  readonly taskFunctions: ReadonlyMap<string, nodejs.NodejsFunction>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = new Map<string, sfn.StateMachine>();
    const tasks = new Map<string, nodejs.NodejsFunction>();
    for (const wf of props.workflows) {
      const substitutions: Record<string, string> = {};
      const fns: nodejs.NodejsFunction[] = [];
      for (const task of wf.tasks) {
        if (tasks.has(task)) throw new Error(`Workflows: task ${task} appears in two workflows`);
        const fn = new TradeOpsFunction(this, `${wf.name}-${task}`, {
          envName: props.envName,
          entry: props.taskEntry,
          depsLockFilePath: props.depsLockFilePath,
          logRetention: props.logRetention,
          timeout: Duration.seconds(5),
          description: `TradeOps workflow task ${wf.name}/${task}`,
        }).function;
        fn.addEnvironment(RUNTIME_ENV.task, task);
        props.bind(fn, wf);
        substitutions[`${task}FunctionArn`] = fn.functionArn;
        tasks.set(task, fn);
        fns.push(fn);
      }
      const logGroup = new logs.LogGroup(this, `${wf.name}-Logs`, { retention: props.logRetention });
      const machine = new sfn.StateMachine(this, wf.name, {
        stateMachineName: `tradeops-${props.envName}-${wf.name}`,
        stateMachineType: wf.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromFile(join(props.root, wf.file)),
        definitionSubstitutions: substitutions,
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
        tracingEnabled: true,
      });
      if (wf.type === 'STANDARD') {
        // A callback task may complete its own token (the approval it waits for already came). By
        // name, not by reference: the machine already depends on these functions.
        const byName = Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: `tradeops-${props.envName}-${wf.name}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
        for (const fn of fns) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [byName] }));
      }
      for (const fn of fns) {
        fn.grantInvoke(machine);
        acknowledgeWildcardResource(machine, `${fn.functionArn}:*`, 'Invoke on this workflow’s own task function, including its versions (`<arn>:*`), as grantInvoke writes it.');
      }
      // X-Ray segments and CloudWatch Logs delivery have no resource-level permissions (AWS documents `*`).
      acknowledgeWildcardResource(machine, '*', 'X-Ray tracing and CloudWatch Logs delivery for Step Functions accept only Resource "*" (no resource-level permissions exist for them).');
      machines.set(wf.name, machine);
    }
    this.stateMachines = machines;
    this.taskFunctions = tasks;
  }

  /**
   * Lets `target` start a Standard workflow (StartExecution) and complete its task tokens
   * (SendTaskSuccess / SendTaskFailure) — the approve route of the two-person unlock.
   */
  bindCallbacks(target: BindTarget, workflow: string): void {
    const machine = this.stateMachines.get(workflow);
    if (!machine) throw new Error(`Workflows.bindCallbacks: no workflow ${workflow}`);
    machine.grantStartExecution(target);
    machine.grantTaskResponse(target);
    target.addEnvironment(`${RUNTIME_ENV.workflowPrefix}${workflow.toUpperCase().replace(/-/g, '_')}`, machine.stateMachineArn);
  }

  /** Lets `target` start a workflow synchronously (Express) and read the result. */
  bindStarter(target: BindTarget, workflow: string): void {
    const machine = this.stateMachines.get(workflow);
    if (!machine) throw new Error(`Workflows.bindStarter: no workflow ${workflow}`);
    machine.grantStartSyncExecution(target);
    target.addEnvironment(`${RUNTIME_ENV.workflowPrefix}${workflow.toUpperCase().replace(/-/g, '_')}`, machine.stateMachineArn);
  }

  /** Lets `target` start a STANDARD workflow asynchronously (StartExecution) — lifecycle (issue 4). */
  bindAsyncStarter(target: BindTarget, workflow: string): void {
    const machine = this.stateMachines.get(workflow);
    if (!machine) throw new Error(`Workflows.bindAsyncStarter: no workflow ${workflow}`);
    machine.grantStartExecution(target);
    target.addEnvironment(`${RUNTIME_ENV.workflowPrefix}${workflow.toUpperCase().replace(/-/g, '_')}`, machine.stateMachineArn);
  }
}
