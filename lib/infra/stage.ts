import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema.js';
import { ServiceStack, type ServiceCatalogs, type ServiceSources } from './service-stack.js';
import { StatefulStack } from './stateful-stack.js';

export interface TradeOpsStageProps extends StageProps {
  readonly config: AppConfig;
  readonly catalogs: ServiceCatalogs;
  readonly sources: ServiceSources;
  /** Tag of the bridge / ib-sim images. @default config.aws.images.tag */
  readonly imageTag?: string;
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
      catalogs: props.catalogs,
      sources: props.sources,
      imageTag: props.imageTag ?? config.aws.images.tag,
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
