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

/** How long requests in flight may take to finish when the server closes. */
const CLOSE_GRACE_MS = 2_000;

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
  // Requests dynalite is still working on. A client that goes away mid-request (its socket destroyed
  // on shutdown) does not stop dynalite's handler, which goes on using the database: closing the
  // database under it is an uncaught "Database is closed". Counted until the handler ends its reply.
  let inFlight = 0;
  server.prependListener('request', (_req, res) => {
    inFlight += 1;
    const end = res.end.bind(res) as (...args: unknown[]) => unknown;
    let counted = true;
    (res as unknown as { end: (...args: unknown[]) => unknown }).end = (...args: unknown[]) => {
      if (counted) {
        counted = false;
        inFlight -= 1;
      }
      return end(...args);
    };
  });
  const settled = async (): Promise<void> => {
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close() {
      // dynalite closes its LevelDB when the server closes; a request still being served after that
      // throws "Database is closed" as an uncaught exception. So: stop accepting, let requests in
      // flight finish (their keep-alive sockets then close), drop idle sockets at once (SDK clients
      // keep them open, and dynalite's graceful close would wait 30 s), and only force the rest
      // after a grace period.
      closing ??= settled().then(
        () =>
          new Promise<void>((resolve, reject) => {
            const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
            force.unref();
            server.close((err?: Error) => {
              clearTimeout(force);
              if (err) reject(err);
              else resolve();
            });
            server.closeIdleConnections();
          }),
      );
      return closing;
    },
  };
}
