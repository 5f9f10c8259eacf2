import type { aws_iam as iam } from 'aws-cdk-lib';
import { RemovalPolicy, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acks.js';

export interface SecureBucketProps {
  /** Physical name; required when another region refers to the bucket by name. @default generated */
  readonly bucketName?: string;
  /** Where server access logs go. @default none (only for the access-log bucket itself) */
  readonly accessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** Object Lock default retention in COMPLIANCE mode, in years (nobody, root included, can shorten it). @default no Object Lock */
  readonly complianceRetentionYears?: number;
  /** @default [] */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /** Replicate every object to this bucket (same account, another region). @default no replication */
  readonly replicateTo?: s3.IBucket;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An S3 bucket with the baseline every TradeOps bucket shares: SSE-S3 encryption, TLS-only
 * (TLS 1.2+) policy, all public access blocked, bucket-owner-enforced ownership, versioning.
 * SSE-S3 rather than KMS: server-access-log targets and cross-region replication of Object Lock
 * buckets need no key policy per region, and nothing here needs key-level separation yet.
 */
export class SecureBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    const years = props.complianceRetentionYears;
    if (years !== undefined && (!Number.isInteger(years) || years < 1 || years > 100)) {
      throw new Error(`SecureBucket ${id}: complianceRetentionYears must be an integer in 1..100, got ${years}`);
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(props.bucketName === undefined ? {} : { bucketName: props.bucketName }),
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      ...(years === undefined ? {} : { objectLockEnabled: true }),
      ...(props.accessLogs === undefined
        ? {}
        : { serverAccessLogsBucket: props.accessLogs.bucket, serverAccessLogsPrefix: props.accessLogs.prefix }),
      lifecycleRules: props.lifecycleRules ?? [],
      ...(props.replicateTo === undefined
        ? {}
        : { replicationRules: [{ destination: props.replicateTo, priority: 1, deleteMarkerReplication: false }] }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.replicateTo !== undefined) {
      const role = this.bucket.node.findChild('ReplicationRole') as iam.Role;
      const reason = 'S3 replication reads every object version of the source bucket and writes every object of the one destination bucket.';
      acknowledgeWildcardResource(role, this.bucket.arnForObjects('*'), reason);
      acknowledgeWildcardResource(role, props.replicateTo.arnForObjects('*'), reason);
    }
    if (years !== undefined) {
      // The L2 renders retention in days only; S3 counts Years as calendar years (leap days included).
      (this.bucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: 'COMPLIANCE', years } },
      };
    }
  }
}
