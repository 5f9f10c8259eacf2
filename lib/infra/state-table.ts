import { RemovalPolicy, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLES } from '../catalog/tables.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { BindTarget } from './binding.js';
import { acknowledgeWildcardResource } from './nag-acks.js';

export interface StateTableProps {
  /** Physical table name (the local runtime uses the same one). */
  readonly tableName: string;
  /** Regions holding a replica (global table). @default [] */
  readonly replicaRegions?: readonly string[];
  /** Deletion protection and RETAIN; for prod. @default true (the safe default) */
  readonly protect?: boolean;
}

/**
 * The single `state` table of lib/catalog/tables.ts: on-demand, point-in-time recovery, TTL,
 * AWS-managed encryption, optionally replicated to the DR region.
 *
 * A global table (TableV2) rather than a second table plus a copy job: replication is
 * continuous (RPO of seconds), the DR replica has PITR of its own, and failover is "point the
 * writers at the other region". We write in one region at a time, so conditional writes keep
 * their meaning. The AWS-managed key works in every replica region with no per-region key policy.
 */
export class StateTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName)) throw new Error(`StateTable: invalid table name "${props.tableName}"`);
    const protect = props.protect ?? true;
    const spec = TABLES.state;
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: spec.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: spec.gsis.map((gsi) => ({
        indexName: gsi.name,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
      })),
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: spec.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: protect,
      removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      replicas: (props.replicaRegions ?? []).map((region) => ({ region, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: protect })),
    });
  }

  /**
   * Sets TRADEOPS_STATE_TABLE on the target and grants it access.
   * @example stateTable.bindTo(apiFunction, 'read')
   */
  bindTo(target: BindTarget, access: 'read' | 'readWrite'): void {
    bindStateTable(this.table, target, access);
  }
}

/**
 * The one binding of the state table, for the table itself or a by-name import of it (the
 * service stack imports stateful resources by name: no cross-stack exports to get stuck on).
 */
export function bindStateTable(table: dynamodb.ITableV2, target: BindTarget, access: 'read' | 'readWrite'): void {
  target.addEnvironment(RUNTIME_ENV.stateTable, table.tableName);
  if (access === 'read') table.grantReadData(target);
  else table.grantReadWriteData(target);
  acknowledgeWildcardResource(target, `${table.tableArn}/index/*`, `Queries the table's GSIs (${TABLES.state.gsis.map((g) => g.name).join(', ')}); index ARNs are addressed by wildcard under this one table.`);
}
