import type { BlobStore } from '../../lib/ports/blob-store.js';

/** BlobStore in a Map, for unit tests; `failNextPut` makes the next put throw (archive-failure paths). */
export class InMemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, Uint8Array>();
  failNextPut: Error | undefined;

  async put(key: string, body: string | Uint8Array): Promise<void> {
    if (this.failNextPut) {
      const e = this.failNextPut;
      this.failNextPut = undefined;
      throw e;
    }
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async ping(): Promise<void> {}

  json(key: string): unknown {
    const b = this.objects.get(key);
    return b === undefined ? undefined : JSON.parse(new TextDecoder().decode(b));
  }
}
