import type { aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { TradingEventBus } from './trading-event-bus.js';
import { TradeOpsFunction } from './tradeops-function.js';
import type { BindTarget } from './binding.js';
import type { AgentNeed } from '../catalog/agents.js';
import { aws_iam as iam, type aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';

/** What the CDK needs from a row of the agent catalog (lib/catalog/agents.ts). */
export interface AgentRow {
  readonly name: string;
  readonly description: string;
  readonly consumes: ReadonlyArray<string>;
  readonly needs: ReadonlyArray<AgentNeed>;
}

export interface AgentFunctionsProps {
  readonly envName: EnvName;
  readonly agents: ReadonlyArray<AgentRow>;
  readonly bus: TradingEventBus;
  /** lambdas/agents/handler.ts (absolute). */
  readonly entry: string;
  readonly depsLockFilePath: string;
  readonly logRetention: logs.RetentionDays;
  /** Grants each agent exactly its catalogued needs; called once per function. */
  readonly bind: (target: BindTarget, needs: ReadonlyArray<AgentNeed>) => void;
}

/**
 * One Lambda per catalogued agent, all from the same entry, each behind its own EventBridge rule
 * (retries + DLQ from `TradingEventBus.addConsumer`) for exactly the detail types it consumes.
 */
export class AgentFunctions extends Construct {
  readonly functions: ReadonlyMap<string, nodejs.NodejsFunction>;

  constructor(scope: Construct, id: string, props: AgentFunctionsProps) {
    super(scope, id);
    const names = props.agents.map((a) => a.name);
    if (new Set(names).size !== names.length) throw new Error(`AgentFunctions: duplicate agent names in ${names.join(', ')}`);
    const functions = new Map<string, nodejs.NodejsFunction>();
    for (const agent of props.agents) {
      const fn = new TradeOpsFunction(this, agent.name, {
        envName: props.envName,
        entry: props.entry,
        depsLockFilePath: props.depsLockFilePath,
        logRetention: props.logRetention,
        memorySize: 256,
        description: `TradeOps agent ${agent.name}: ${agent.description}`.slice(0, 256),
      }).function;
      fn.addEnvironment(RUNTIME_ENV.agent, agent.name);
      props.bind(fn, agent.needs);
      props.bus.addConsumer(agent.name, agent.consumes, fn);
      functions.set(agent.name, fn);
    }
    this.functions = functions;
  }

  /**
   * Sets TRADEOPS_AGENT_FUNCTIONS (agent → function name) and grants reading and updating exactly
   * these functions' configuration: `POST /api/agents/restart/{agent}` touches an environment
   * variable so Lambda starts fresh containers (issue 4, event bus operations).
   */
  bindRestarter(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.agentFunctions, JSON.stringify(Object.fromEntries([...this.functions].map(([name, fn]) => [name, fn.functionName]))));
    iam.Grant.addToPrincipal({ grantee: target, actions: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'], resourceArns: [...this.functions.values()].map((fn) => fn.functionArn) });
  }
}
