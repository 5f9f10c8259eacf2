import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/** A running local DynamoDB-API server (dynalite), bound to 127.0.0.1. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` — pass as the DynamoDB client's endpoint. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops accepting requests, closes open connections and the LevelDB store. */
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Directory of the persistent LevelDB store; `undefined` keeps everything in memory. */
  dataDir?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

/**
 * Starts dynalite in-process: the DynamoDB API on a loopback port, with table status changes
 * immediate (dynalite's default 500 ms CREATING phase would only slow tests and start-up).
 * dynalite has no transactions, TTL or streams — the adapters do not rely on them.
 * @example
 * const ddb = await startLocalDynamo({ dataDir: '.data/dynamodb' });
 * const client = createDynamoDbClient({ region: 'us-east-1', endpoint: ddb.endpoint, localCredentials: true });
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  // dynalite is CommonJS with no types; load it through require to keep the import typed here.
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close() {
      // SDK clients keep sockets alive; without closing them dynalite's graceful close waits 30 s.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
