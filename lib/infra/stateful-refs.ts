import { Stack, aws_dynamodb as dynamodb, aws_ecr as ecr, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { physicalTableName } from '../catalog/tables.js';
import type { EnvName } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { BindTarget } from './binding.js';
import { bucketName, repositoryName } from './names.js';
import { acknowledgeWildcardResource } from './nag-acks.js';
import { bindStateTable } from './state-table.js';

export interface StatefulRefsProps {
  readonly envName: EnvName;
}

/**
 * The stateful stack's resources as seen from the service stack, imported by their physical
 * names (same account and region). No cross-stack exports: the stateful stack can change
 * without "export in use" deadlocks, and the grants below are written against known ARNs.
 */
export class StatefulRefs extends Construct {
  readonly stateTable: dynamodb.ITableV2;
  readonly backupBucket: s3.IBucket;
  readonly auditBucket: s3.IBucket;
  readonly gatewayRepository: ecr.IRepository;
  readonly ibSimRepository: ecr.IRepository;

  constructor(scope: Construct, id: string, props: StatefulRefsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const env = props.envName;
    this.stateTable = dynamodb.TableV2.fromTableAttributes(this, 'StateTable', { tableName: physicalTableName(env, 'state'), grantIndexPermissions: true });
    this.backupBucket = s3.Bucket.fromBucketName(this, 'BackupBucket', bucketName(env, 'backup', stack.region, stack.account));
    this.auditBucket = s3.Bucket.fromBucketName(this, 'AuditBucket', bucketName(env, 'audit', stack.region, stack.account));
    this.gatewayRepository = ecr.Repository.fromRepositoryName(this, 'GatewayRepository', repositoryName(env, 'gateway'));
    this.ibSimRepository = ecr.Repository.fromRepositoryName(this, 'IbSimRepository', repositoryName(env, 'ib-sim'));
  }

  /** @see bindStateTable */
  bindStateTable(target: BindTarget, access: 'read' | 'readWrite'): void {
    bindStateTable(this.stateTable, target, access);
  }

  /** Sets TRADEOPS_BACKUP_BUCKET and grants ListBucket only (HeadBucket): for a health probe. */
  bindBlobHealthProbe(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.backupBucket, this.backupBucket.bucketName);
    iam.Grant.addToPrincipal({ grantee: target, actions: ['s3:ListBucket'], resourceArns: [this.backupBucket.bucketArn] });
  }

  /**
   * Sets TRADEOPS_BACKUP_BUCKET and grants PutObject in the backup bucket, only under `prefix/`
   * and nothing of the audit bucket: the ops API archives what `POST /api/eventbus/clear_stale`
   * drops (`eventbus/`) and the sessions of `POST /api/system/archive_session` (`sessions/`).
   */
  bindBackupWriter(target: BindTarget, prefix: 'eventbus' | 'sessions', why: string): void {
    target.addEnvironment(RUNTIME_ENV.backupBucket, this.backupBucket.bucketName);
    iam.Grant.addToPrincipal({ grantee: target, actions: ['s3:PutObject'], resourceArns: [this.backupBucket.arnForObjects(`${prefix}/*`)] });
    acknowledgeWildcardResource(target, this.backupBucket.arnForObjects(`${prefix}/*`), `Put-only under ${prefix}/ of the backup bucket: ${why}.`);
  }

  /**
   * Backups: read, write, list (restore reads them back). Audit: put only — Object Lock makes
   * the export append-only whatever else happens. Explicit actions, no `s3:*Object*` sets.
   */
  bindBuckets(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.backupBucket, this.backupBucket.bucketName);
    target.addEnvironment(RUNTIME_ENV.auditBucket, this.auditBucket.bucketName);
    iam.Grant.addToPrincipal({ grantee: target, actions: ['s3:ListBucket'], resourceArns: [this.backupBucket.bucketArn] });
    iam.Grant.addToPrincipal({ grantee: target, actions: ['s3:GetObject', 's3:PutObject'], resourceArns: [this.backupBucket.arnForObjects('*')] });
    iam.Grant.addToPrincipal({ grantee: target, actions: ['s3:PutObject'], resourceArns: [this.auditBucket.arnForObjects('*')] });
    acknowledgeWildcardResource(target, this.backupBucket.arnForObjects('*'), 'Object-level access inside the one backup bucket (keys are per backup run).');
    acknowledgeWildcardResource(target, this.auditBucket.arnForObjects('*'), 'Put-only inside the one audit bucket (Object Lock COMPLIANCE keeps every version).');
  }
}
