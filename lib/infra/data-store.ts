import type { CfnResource} from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { physicalTableName } from '../catalog/tables.js';
import { bucketName } from './names.js';
import { SecureBucket } from './secure-bucket.js';
import { StateTable } from './state-table.js';

/** Prefixes inside the backup bucket; the backup jobs write under these. */
export const BACKUP_PREFIXES = { positions: 'positions/', config: 'config/' } as const;

export interface DataStoreProps {
  readonly envName: EnvName;
  /** `primary` holds the table and replicates to `dr`; `dr` holds the replica buckets only. */
  readonly role: 'primary' | 'dr';
  /** The other region: the DR region for `primary` (replica target), unused for `dr`. */
  readonly drRegion?: string;
  readonly retention: {
    readonly auditYears: number;
    readonly positionsBackupDays: number;
    readonly configBackupDays: number;
  };
  /** Objects move to Glacier Flexible Retrieval after this many days. @default 90 */
  readonly auditGlacierAfterDays?: number;
  /** Deletion protection + RETAIN on everything. @default true */
  readonly protect?: boolean;
}

/**
 * Everything that must not be lost, in one region: the `state` table (primary only; it is a
 * global table with its replica in DR), the backup bucket, the audit bucket (Object Lock in
 * COMPLIANCE mode) and the access-log bucket both log to. In the primary region the buckets
 * replicate to the DR region's buckets, found by name (no cross-region references).
 *
 * Logical ids of the stateful resources are pinned (`StateTable`, `BackupBucket`, `AuditBucket`,
 * `AccessLogBucket`): moving a construct in the tree must never replace a table or a bucket.
 */
export class DataStore extends Construct {
  readonly stateTable: StateTable | undefined;
  readonly accessLogBucket: s3.Bucket;
  readonly backupBucket: s3.Bucket;
  readonly auditBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    const { envName, role, retention } = props;
    if (role === 'primary' && props.drRegion === undefined) throw new Error('DataStore: drRegion is required for the primary role');
    if (!Number.isInteger(retention.auditYears) || retention.auditYears < 1) throw new Error(`DataStore: retention.auditYears must be a positive integer, got ${retention.auditYears}`);
    const glacierAfter = props.auditGlacierAfterDays ?? 90;
    const protect = props.protect ?? true;
    const stack = Stack.of(this);
    const removalPolicy = protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const drName = (kind: 'backup' | 'audit'): string => bucketName(envName, kind, props.drRegion ?? '', stack.account);

    this.accessLogBucket = new SecureBucket(this, 'AccessLogs', {
      bucketName: bucketName(envName, 'access-logs', stack.region, stack.account),
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    }).bucket;
    Validations.of(this.accessLogBucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the server-access-log bucket; logging it into itself would loop.' });
    const logsTo = (prefix: string) => ({ bucket: this.accessLogBucket, prefix });

    this.backupBucket = new SecureBucket(this, 'Backups', {
      bucketName: bucketName(envName, 'backup', stack.region, stack.account),
      accessLogs: logsTo('backup/'),
      // The runbook's Backup Schedule: positions 30 days, configuration 90 days.
      lifecycleRules: [
        { id: 'positions', prefix: BACKUP_PREFIXES.positions, expiration: Duration.days(retention.positionsBackupDays), noncurrentVersionExpiration: Duration.days(1) },
        { id: 'config', prefix: BACKUP_PREFIXES.config, expiration: Duration.days(retention.configBackupDays), noncurrentVersionExpiration: Duration.days(1) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      ...(role === 'primary' ? { replicateTo: s3.Bucket.fromBucketName(this, 'DrBackups', drName('backup')) } : {}),
      removalPolicy,
    }).bucket;

    // Object Lock COMPLIANCE: no one, the root user included, can delete or shorten retention.
    this.auditBucket = new SecureBucket(this, 'Audit', {
      bucketName: bucketName(envName, 'audit', stack.region, stack.account),
      accessLogs: logsTo('audit/'),
      complianceRetentionYears: retention.auditYears,
      lifecycleRules: [
        { id: 'to-glacier', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(glacierAfter) }], noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(glacierAfter) }] },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      ...(role === 'primary' ? { replicateTo: s3.Bucket.fromBucketName(this, 'DrAudit', drName('audit')) } : {}),
      // Locked objects outlive any stack: never let CloudFormation try to delete this bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    }).bucket;

    if (role === 'primary') {
      this.stateTable = new StateTable(this, 'State', {
        tableName: physicalTableName(envName, 'state'),
        replicaRegions: [props.drRegion as string],
        protect,
      });
      pinLogicalId(this.stateTable.table, 'StateTable');
    } else {
      this.stateTable = undefined;
    }
    pinLogicalId(this.accessLogBucket, 'AccessLogBucket');
    pinLogicalId(this.backupBucket, 'BackupBucket');
    pinLogicalId(this.auditBucket, 'AuditBucket');
  }
}

/** Keeps a stateful resource's logical id whatever its place in the construct tree. */
function pinLogicalId(construct: Construct, logicalId: string): void {
  (construct.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
}
