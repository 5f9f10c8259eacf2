import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Explicit AWS client configuration, read from config at the edge (never from the environment
 * here). In AWS only `region` is set; locally `endpoint` points at the in-process emulator and
 * `localCredentials` supplies dummy keys (the SDK signs every request, the emulator ignores it).
 */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  localCredentials?: boolean;
  maxAttempts?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

function common(config: AwsClientConfig) {
  return {
    region: config.region,
    maxAttempts: config.maxAttempts ?? 3,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.localCredentials === true ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}

/**
 * @example
 * const s3 = createS3Client({ region: 'us-east-1', endpoint: aws.endpoint, localCredentials: true });
 */
export function createS3Client(config: AwsClientConfig): S3Client {
  // Path-style against a local endpoint: `<bucket>.127.0.0.1` does not resolve.
  return new S3Client({ ...common(config), forcePathStyle: config.endpoint !== undefined });
}

export function createSqsClient(config: AwsClientConfig): SQSClient {
  return new SQSClient(common(config));
}

export function createSnsClient(config: AwsClientConfig): SNSClient {
  return new SNSClient(common(config));
}

export function createEventBridgeClient(config: AwsClientConfig): EventBridgeClient {
  return new EventBridgeClient(common(config));
}
