import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../lib/adapters/aws/clients.js';
import { S3BlobStore } from '../../../lib/adapters/s3/s3-blob-store.js';
import { startLocalS3, type LocalS3 } from '../../../lib/local/servers/s3-local.js';

describe('S3BlobStore against the local S3 emulator', () => {
  let server: LocalS3;
  let client: S3Client;
  beforeAll(async () => {
    server = await startLocalS3();
    client = createS3Client({ region: server.region, endpoint: server.endpoint, localCredentials: true });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('creates its bucket once and answers ping', async () => {
    const blobs = new S3BlobStore({ client, bucket: 'tradeops-test-backups' });

    await blobs.ensureBucket();
    await blobs.ensureBucket();

    await expect(blobs.ping()).resolves.toBeUndefined();
  });

  it('stores text and bytes and reads them back exactly', async () => {
    const blobs = new S3BlobStore({ client, bucket: 'tradeops-test-roundtrip' });
    await blobs.ensureBucket();
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);

    await blobs.put('backups/positions/2026-11-26.json', '{"AAPL":10}', { contentType: 'application/json' });
    await blobs.put('reports/blob.bin', bytes);

    expect(new TextDecoder().decode(await blobs.get('backups/positions/2026-11-26.json'))).toBe('{"AAPL":10}');
    expect(await blobs.get('reports/blob.bin')).toEqual(bytes);
    expect(await blobs.get('backups/none.json')).toBeUndefined();
  });

  it('lists keys under a prefix across pages', async () => {
    const blobs = new S3BlobStore({ client, bucket: 'tradeops-test-list', pageSize: 3 });
    await blobs.ensureBucket();
    const keys = Array.from({ length: 10 }, (_, i) => `audit/2026/${String(i).padStart(5, '0')}.json`);
    await Promise.all(keys.map((k) => blobs.put(k, '{}')));
    await blobs.put('other/x.json', '{}');

    const listed = await blobs.list('audit/');

    expect(listed).toEqual(keys);
  });

  it('turns a missing bucket into BLOB.NO_SUCH_BUCKET', async () => {
    const blobs = new S3BlobStore({ client, bucket: 'tradeops-test-missing' });

    await expect(blobs.ping()).rejects.toMatchObject({ code: 'BLOB.NO_SUCH_BUCKET' });
    await expect(blobs.put('k', 'v')).rejects.toMatchObject({ code: 'BLOB.NO_SUCH_BUCKET' });
  });

  it('turns an unreachable endpoint into BLOB.UNAVAILABLE', async () => {
    const dead = createS3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', localCredentials: true, maxAttempts: 1 });
    try {
      await expect(new S3BlobStore({ client: dead, bucket: 'b' }).get('k')).rejects.toMatchObject({ code: 'BLOB.UNAVAILABLE' });
    } finally {
      dead.destroy();
    }
  });
});
