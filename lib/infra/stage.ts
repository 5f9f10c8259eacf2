import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema.js';
import type { ApiRouteRow } from './ops-api.js';
import type { AgentRow } from './agent-functions.js';
import type { WorkflowSpec } from '../catalog/workflows.js';
import { ServiceStack } from './service-stack.js';
import { StatefulStack } from './stateful-stack.js';
import type { CatalogEventName } from './trading-event-bus.js';

export interface TradeOpsStageProps extends StageProps {
  readonly config: AppConfig;
  readonly eventCatalog: ReadonlyArray<CatalogEventName>;
  readonly routes: ReadonlyArray<ApiRouteRow>;
  readonly agents: ReadonlyArray<AgentRow>;
  /** Absolute path of the agents' Lambda entry. */
  readonly agentEntry: string;
  readonly workflows: ReadonlyArray<WorkflowSpec>;
  /** Absolute path of the workflow tasks' Lambda entry. */
  readonly taskEntry: string;
  /** Repository root (absolute), where the ASL files are. */
  readonly repoRoot: string;
  /** Tag of the bridge / ib-sim images. @default config.aws.images.tag */
  readonly imageTag?: string;
  /** Absolute path of the API Lambda's entry. */
  readonly apiEntry: string;
  /** Absolute path of package-lock.json. */
  readonly depsLockFilePath: string;
}

/**
 * One environment: the stateful stack in the DR region (deployed first: the primary's
 * replication rules need their destinations), the stateful stack in the primary region, and
 * the service stack. The account comes from config; when absent (local) the stacks are
 * account-agnostic but still region-bound (a global table needs to know its region).
 * Route 53 failover to the DR region is a later issue's seam.
 */
export class TradeOpsStage extends Stage {
  readonly statefulDr: StatefulStack;
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;

  constructor(scope: Construct, id: string, props: TradeOpsStageProps) {
    super(scope, id, props);
    const { config } = props;
    const account = config.aws.account;
    const at = (region: string) => (account === undefined ? { region } : { account, region });
    const tags = { project: 'tradeops', environment: config.env };

    this.statefulDr = new StatefulStack(this, 'StatefulDr', {
      env: at(config.aws.drRegion),
      config,
      role: 'dr',
      description: `TradeOps ${config.env}: DR replicas of the backup and audit buckets`,
      terminationProtection: config.env === 'prod',
      tags,
    });
    this.stateful = new StatefulStack(this, 'Stateful', {
      env: at(config.aws.primaryRegion),
      config,
      role: 'primary',
      description: `TradeOps ${config.env}: state table (global), backup and audit buckets, image repositories`,
      terminationProtection: config.env === 'prod',
      tags,
    });
    this.stateful.addStackDependency(this.statefulDr, 'replication destinations must exist first');
    this.service = new ServiceStack(this, 'Service', {
      env: at(config.aws.primaryRegion),
      config,
      eventCatalog: props.eventCatalog,
      routes: props.routes,
      agents: props.agents,
      agentEntry: props.agentEntry,
      workflows: props.workflows,
      taskEntry: props.taskEntry,
      repoRoot: props.repoRoot,
      imageTag: props.imageTag ?? config.aws.images.tag,
      apiEntry: props.apiEntry,
      depsLockFilePath: props.depsLockFilePath,
      description: `TradeOps ${config.env}: bus, command queue, broker task, ops API, notifications`,
      tags,
    });
    // Imports by name, not references: the order has to be said.
    this.service.addStackDependency(this.stateful, 'the table, buckets and image repositories must exist first');
  }
}

/** Stage construct id of an environment, e.g. `TradeOps-prod`. */
export function stageId(env: string): string {
  return `TradeOps-${env}`;
}
