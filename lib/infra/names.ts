import { Aws, Token } from 'aws-cdk-lib';
import type { EnvName } from '../config/schema.js';

/**
 * Physical names that must be known across stacks and regions without a reference
 * (the primary's replication rules point at the DR buckets by name). Account-qualified because
 * bucket names are global; `account` may be a token (env-agnostic synth).
 */
export type BucketKind = 'backup' | 'audit' | 'access-logs';

export function bucketName(env: EnvName, kind: BucketKind, region: string, account: string = Aws.ACCOUNT_ID): string {
  if (!Token.isUnresolved(region) && !/^[a-z0-9-]+$/.test(region)) throw new Error(`bucketName: bad region ${region}`);
  return `tradeops-${env}-${kind}-${account}-${region}`;
}

/** ECR repositories for the images this repo builds (bridge, simulator). */
export type ImageName = 'gateway' | 'ib-sim';
export function repositoryName(env: EnvName, image: ImageName): string {
  return `tradeops/${env}/${image}`;
}

/** The Secrets Manager secret holding `{"username": …, "password": …}` for IB Gateway. */
export function ibCredentialsSecretName(env: EnvName): string {
  return `tradeops/${env}/ib-credentials`;
}
