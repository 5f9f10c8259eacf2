import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * One in-process fauxqs server answers the S3, SQS and SNS APIs on a loopback port.
 *
 * The installed fauxqs (1.9.x) keeps everything in memory, so S3 persistence is added here: a
 * write-through mirror of every bucket and object under `dataDir`, reloaded at start. SQS and SNS
 * stay in memory (the local runtime uses the in-process queue and outbox notifier; the SQS/SNS
 * adapters are exercised against this server in tests only).
 */
export interface LocalAwsEmulator {
  /** `http://127.0.0.1:<port>` — the endpoint for the S3, SQS and SNS clients. */
  readonly endpoint: string;
  readonly port: number;
  /** The region fauxqs uses for ARNs and queue URLs. */
  readonly region: string;
  close(): Promise<void>;
}

export interface LocalAwsEmulatorOptions {
  /** Directory mirroring S3 buckets and objects; `undefined` keeps them in memory. */
  dataDir?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Region for ARNs; default `us-east-1`. */
  region?: string;
}

/** @internal The slice of fauxqs's S3Store that the persistence mirror wraps. */
interface S3StoreLike {
  createBucket(name: string): void;
  deleteBucket(name: string): void;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): { key: string };
  deleteObject(bucket: string, key: string): void;
  completeMultipartUpload(uploadId: string, parts: unknown[]): { key: string; body: Buffer; contentType: string; metadata: Record<string, string> };
  emptyBucket(name: string): void;
  clearObjects(): void;
  purgeAll(): void;
  multipartUploads: Map<string, { bucket: string }>;
}

interface FauxqsModules {
  buildApp: (options: Record<string, unknown>) => {
    listen(o: { port: number; host: string }): Promise<string>;
    server: { address(): AddressInfo | string | null };
    close(): Promise<void>;
  };
  SqsStore: new () => { host: string; region?: string };
  SnsStore: new () => { region?: string };
  S3Store: new () => S3StoreLike;
}

/**
 * fauxqs's `startFauxqs` binds 0.0.0.0 and builds its stores privately; we need loopback only and
 * our own S3 store instance, so we assemble it from `buildApp` and the store classes. The store
 * modules are not in fauxqs's `exports` map, so they are loaded by file URL next to the entry.
 */
async function loadFauxqs(): Promise<FauxqsModules> {
  const entry = import.meta.resolve('fauxqs');
  const app = (await import(entry)) as { buildApp: FauxqsModules['buildApp'] };
  const sqs = (await import(new URL('./sqs/sqsStore.js', entry).href)) as { SqsStore: FauxqsModules['SqsStore'] };
  const sns = (await import(new URL('./sns/snsStore.js', entry).href)) as { SnsStore: FauxqsModules['SnsStore'] };
  const s3 = (await import(new URL('./s3/s3Store.js', entry).href)) as { S3Store: FauxqsModules['S3Store'] };
  return { buildApp: app.buildApp, SqsStore: sqs.SqsStore, SnsStore: sns.SnsStore, S3Store: s3.S3Store };
}

/**
 * Starts the S3/SQS/SNS emulator in-process on 127.0.0.1.
 * @example
 * const aws = await startLocalAwsEmulator({ dataDir: '.data/s3' });
 * const s3 = createS3Client({ region: aws.region, endpoint: aws.endpoint, localCredentials: true });
 */
export async function startLocalAwsEmulator(options: LocalAwsEmulatorOptions = {}): Promise<LocalAwsEmulator> {
  const region = options.region ?? 'us-east-1';
  const fauxqs = await loadFauxqs();
  const sqsStore = new fauxqs.SqsStore();
  // Empty host: queue URLs use the request's Host (127.0.0.1:port), which needs no DNS.
  sqsStore.host = '';
  sqsStore.region = region;
  const snsStore = new fauxqs.SnsStore();
  snsStore.region = region;
  const s3Store = new fauxqs.S3Store();
  if (options.dataDir !== undefined) attachMirror(s3Store, options.dataDir);

  const app = fauxqs.buildApp({ logger: false, defaultRegion: region, stores: { sqsStore, snsStore, s3Store } });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region,
    close() {
      closing ??= app.close();
      return closing;
    },
  };
}

/** S3 only, for callers that do not care about SQS/SNS (same server). */
export const startLocalS3 = startLocalAwsEmulator;
export type LocalS3 = LocalAwsEmulator;

interface ObjectMeta {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
}

/**
 * Mirrors the store to disk: `<dataDir>/<bucket>/<sha256(key)>.{bin,json}` (hashed names: S3
 * keys may be longer than a file name or contain `/`). Writes go to a temp file then rename, so a
 * crash leaves the old or the new object, never half of one.
 * @internal
 */
function attachMirror(store: S3StoreLike, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const bucketDir = (bucket: string) => join(dataDir, encodeURIComponent(bucket));
  const objectBase = (bucket: string, key: string) => join(bucketDir(bucket), createHash('sha256').update(key).digest('hex'));
  const writeAtomic = (path: string, data: string | Buffer) => {
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  };
  const persist = (bucket: string, key: string, body: Buffer, meta: ObjectMeta) => {
    const base = objectBase(bucket, key);
    writeAtomic(`${base}.bin`, body);
    writeAtomic(`${base}.json`, JSON.stringify(meta));
  };

  // Reload before wrapping, so loading does not rewrite every file.
  for (const dirName of readdirSync(dataDir)) {
    const bucket = decodeURIComponent(dirName);
    store.createBucket(bucket);
    for (const file of readdirSync(join(dataDir, dirName))) {
      if (!file.endsWith('.json')) continue;
      const base = join(dataDir, dirName, file.slice(0, -'.json'.length));
      if (!existsSync(`${base}.bin`)) continue;
      const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as ObjectMeta;
      store.putObject(bucket, meta.key, readFileSync(`${base}.bin`), meta.contentType, meta.metadata);
    }
  }

  const original = {
    createBucket: store.createBucket.bind(store),
    deleteBucket: store.deleteBucket.bind(store),
    putObject: store.putObject.bind(store),
    deleteObject: store.deleteObject.bind(store),
    completeMultipartUpload: store.completeMultipartUpload.bind(store),
    emptyBucket: store.emptyBucket.bind(store),
    clearObjects: store.clearObjects.bind(store),
    purgeAll: store.purgeAll.bind(store),
  };
  store.createBucket = (name) => {
    original.createBucket(name);
    mkdirSync(bucketDir(name), { recursive: true });
  };
  store.deleteBucket = (name) => {
    original.deleteBucket(name);
    rmSync(bucketDir(name), { recursive: true, force: true });
  };
  store.putObject = (bucket, key, body, contentType, metadata) => {
    const obj = original.putObject(bucket, key, body, contentType, metadata);
    persist(bucket, key, body, { key, contentType: contentType ?? 'application/octet-stream', metadata: metadata ?? {} });
    return obj;
  };
  store.deleteObject = (bucket, key) => {
    original.deleteObject(bucket, key);
    const base = objectBase(bucket, key);
    rmSync(`${base}.json`, { force: true });
    rmSync(`${base}.bin`, { force: true });
  };
  store.completeMultipartUpload = (uploadId, parts) => {
    const bucket = store.multipartUploads.get(uploadId)?.bucket;
    const obj = original.completeMultipartUpload(uploadId, parts);
    if (bucket !== undefined) persist(bucket, obj.key, obj.body, { key: obj.key, contentType: obj.contentType, metadata: obj.metadata });
    return obj;
  };
  const wipeObjects = (bucket: string) => {
    const dir = bucketDir(bucket);
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) rmSync(join(dir, file), { force: true });
  };
  store.emptyBucket = (name) => {
    original.emptyBucket(name);
    wipeObjects(name);
  };
  store.clearObjects = () => {
    original.clearObjects();
    for (const dirName of readdirSync(dataDir)) wipeObjects(decodeURIComponent(dirName));
  };
  store.purgeAll = () => {
    original.purgeAll();
    for (const dirName of readdirSync(dataDir)) rmSync(join(dataDir, dirName), { recursive: true, force: true });
  };
}
