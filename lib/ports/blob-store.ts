/**
 * Object storage: S3 in AWS, the same S3 adapter against a local S3-API server on one machine.
 * @example
 * await blobs.put('backups/positions/2026-11-26T16:00.json', JSON.stringify(positions), { contentType: 'application/json' });
 */
export interface BlobStore {
  put(key: string, body: string | Uint8Array, options?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  list(prefix: string): Promise<string[]>;
  /** A cheap round trip for `/health`. */
  ping(): Promise<void>;
}
