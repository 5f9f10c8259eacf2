import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../lib/adapters/aws/clients.js';
import { S3BlobStore } from '../../../lib/adapters/s3/s3-blob-store.js';
import { startLocalAwsEmulator } from '../../../lib/local/servers/s3-local.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function withBlobs<T>(dataDir: string | undefined, fn: (blobs: S3BlobStore) => Promise<T>): Promise<T> {
  const server = await startLocalAwsEmulator(dataDir === undefined ? {} : { dataDir });
  const client = createS3Client({ region: server.region, endpoint: server.endpoint, localCredentials: true });
  try {
    const blobs = new S3BlobStore({ client, bucket: 'tradeops-local-backups' });
    await blobs.ensureBucket();
    return await fn(blobs);
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('startLocalAwsEmulator', () => {
  it('listens on a free loopback port', async () => {
    const [a, b] = await Promise.all([startLocalAwsEmulator(), startLocalAwsEmulator()]);
    try {
      expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps buckets and objects across a restart with a data directory, including overwrites', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeops-s3-'));
    dirs.push(dataDir);
    const deepKey = `audit/${'x'.repeat(300)}/entry.json`;

    await withBlobs(dataDir, async (blobs) => {
      await blobs.put('backups/a.json', 'first');
      await blobs.put('backups/a.json', 'second', { contentType: 'application/json' });
      await blobs.put(deepKey, new Uint8Array([0, 1, 2, 255]));
    });
    const after = await withBlobs(dataDir, async (blobs) => ({ a: await blobs.get('backups/a.json'), deep: await blobs.get(deepKey), keys: await blobs.list('') }));

    expect(new TextDecoder().decode(after.a)).toBe('second');
    expect(after.deep).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(after.keys.sort()).toEqual([deepKey, 'backups/a.json'].sort());
  });

  it('starts empty without a data directory', async () => {
    expect(await withBlobs(undefined, (blobs) => blobs.list(''))).toEqual([]);
  });
});
