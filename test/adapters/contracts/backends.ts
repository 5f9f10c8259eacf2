import { createDynamoDbStores } from '../../../lib/adapters/dynamodb/stores.js';
import { createMemoryStores } from '../../../lib/adapters/memory/stores.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { StateStores } from '../../../lib/ports/state-stores.js';
import { startLocalTable } from '../dynamodb/local-table.js';

/** Fresh, empty state stores of one backend; `close` releases them (stops the dynalite). */
export interface OpenStores {
  stores: StateStores;
  close(): Promise<void>;
}

/** A state backend the contract suites run against. */
export interface StoreBackend {
  name: string;
  open(): Promise<OpenStores>;
}

export const dynaliteBackend: StoreBackend = {
  name: 'dynalite',
  async open() {
    const t = await startLocalTable();
    return { stores: createDynamoDbStores(t, { clock: new ManualClock() }), close: () => t.close() };
  },
};

export const memoryBackend: StoreBackend = {
  name: 'memory',
  async open() {
    return { stores: createMemoryStores({ clock: new ManualClock() }), close: async () => {} };
  },
};

/**
 * Opens the backend once for a describe block: `h()` is the open stores inside the tests.
 * @example
 * const h = openOnce(backend); it('…', async () => { await h().stores.orders.create(o); });
 */
export function openOnce(backend: StoreBackend, hooks: { beforeAll(fn: () => Promise<void>): void; afterAll(fn: () => Promise<void>): void }): () => OpenStores {
  let open: OpenStores | undefined;
  hooks.beforeAll(async () => {
    open = await backend.open();
  });
  hooks.afterAll(async () => {
    await open?.close();
  });
  return () => {
    if (open === undefined) throw new Error('stores not open yet');
    return open;
  };
}

/** Runs `fn` with fresh stores of the backend (for tests that need an empty table), then closes them. */
export async function withFresh<T>(backend: StoreBackend, fn: (stores: StateStores) => Promise<T>): Promise<T> {
  const open = await backend.open();
  try {
    return await fn(open.stores);
  } finally {
    await open.close();
  }
}
