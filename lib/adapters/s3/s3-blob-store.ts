import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TradeOpsError } from '../../core/shared/errors.js';
import type { BlobStore } from '../../ports/blob-store.js';

/** Error codes of the S3 adapter. */
export const BlobErrorCode = {
  UNAVAILABLE: 'BLOB.UNAVAILABLE',
  NO_BUCKET: 'BLOB.NO_SUCH_BUCKET',
  ACCESS_DENIED: 'BLOB.ACCESS_DENIED',
  REQUEST_FAILED: 'BLOB.REQUEST_FAILED',
} as const;

export class BlobStoreError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'BlobStoreError';
  }
}

/** @internal */
function translate(e: unknown, operation: string, bucket: string, key?: string): TradeOpsError {
  if (e instanceof TradeOpsError) return e;
  const name = e instanceof Error ? e.name : 'Unknown';
  const status = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const code =
    name === 'NoSuchBucket' ? BlobErrorCode.NO_BUCKET
    : name === 'AccessDenied' || status === 403 ? BlobErrorCode.ACCESS_DENIED
    : status === undefined || status >= 500 || name === 'TimeoutError' || name === 'SlowDown' ? BlobErrorCode.UNAVAILABLE
    : BlobErrorCode.REQUEST_FAILED;
  const where = key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
  return new BlobStoreError(code, `S3 ${operation} ${where} failed: ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e, details: { operation, bucket, key, awsError: name } });
}

const isNotFound = (e: unknown) => e instanceof Error && (e.name === 'NoSuchKey' || e.name === 'NotFound');

/**
 * `BlobStore` on S3 (backups, reports, audit exports); locally the same code against the
 * in-process S3 emulator. Keys are used as given; the bucket comes from config.
 * @example
 * const blobs = new S3BlobStore({ client: createS3Client({ region }), bucket: 'tradeops-prod-backups' });
 * await blobs.put('backups/positions/2026-11-26.json', json, { contentType: 'application/json' });
 */
export class S3BlobStore implements BlobStore {
  constructor(private readonly options: { client: Pick<S3Client, 'send'>; bucket: string; /** Keys per listing page; S3's default (1000) when unset. */ pageSize?: number }) {}

  get bucket(): string {
    return this.options.bucket;
  }

  async put(key: string, body: string | Uint8Array, options?: { contentType?: string }): Promise<void> {
    try {
      await this.options.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ...(options?.contentType === undefined ? {} : { ContentType: options.contentType }) }),
      );
    } catch (e) {
      throw translate(e, 'PutObject', this.bucket, key);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const r = await this.options.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return r.Body === undefined ? new Uint8Array() : await r.Body.transformToByteArray();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw translate(e, 'GetObject', this.bucket, key);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(this.options.pageSize === undefined ? {} : { MaxKeys: this.options.pageSize }), ...(token === undefined ? {} : { ContinuationToken: token }) }));
        for (const o of r.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = r.IsTruncated === true ? r.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (e) {
      throw translate(e, 'ListObjectsV2', this.bucket, prefix);
    }
    return keys;
  }

  async ping(): Promise<void> {
    try {
      await this.options.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      // HeadBucket has no body, so a missing bucket arrives as a bare 404 `NotFound`.
      if (isNotFound(e)) throw new BlobStoreError(BlobErrorCode.NO_BUCKET, `bucket ${this.bucket} does not exist`, { cause: e, details: { bucket: this.bucket } });
      throw translate(e, 'HeadBucket', this.bucket);
    }
  }

  /** Creates the bucket if missing. Local runtime and tests only: in AWS the CDK data stack owns buckets. */
  async ensureBucket(): Promise<void> {
    try {
      await this.ping();
      return;
    } catch (e) {
      if (!(e instanceof BlobStoreError && e.code === BlobErrorCode.NO_BUCKET)) throw e;
    }
    try {
      await this.options.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      if (e instanceof Error && (e.name === 'BucketAlreadyOwnedByYou' || e.name === 'BucketAlreadyExists')) return;
      throw translate(e, 'CreateBucket', this.bucket);
    }
  }
}
