import { join } from 'node:path';
import type { z } from 'zod';
import { LOCAL_STATE_BACKENDS, LocalStateBackendSchema } from '../config/schema.js';
import { createDynamoDbClients, createDynamoDbStores, ensureTables } from '../adapters/dynamodb/index.js';
import { createMemoryStores } from '../adapters/memory/stores.js';
import type { Clock } from '../core/shared/clock.js';
import type { StateStores } from '../ports/state-stores.js';
import { startLocalDynamo } from './servers/dynamodb-local.js';

/**
 * Where the local runtime keeps its state: `dynalite` (default) is the DynamoDB API on LevelDB,
 * persistent across restarts and faithful to AWS; `memory` is the stores in process memory, for
 * latency benchmarks, fast demos and tests: no DynamoDB CPU cost, and nothing survives the process.
 */
export type StateBackendKind = z.infer<typeof LocalStateBackendSchema>;
/** Overrides config `local.state` (a `--state` flag or the startLocalSystem option wins over it). */
export const LOCAL_STATE_ENV = 'TRADEOPS_STATE';

/** The backend of this run: the option (flag), else TRADEOPS_STATE, else config `local.state`. */
export function resolveStateBackend(option: StateBackendKind | undefined, env: NodeJS.ProcessEnv, configured: StateBackendKind): StateBackendKind {
  if (option !== undefined) return option;
  const fromEnv = env[LOCAL_STATE_ENV];
  if (fromEnv === undefined || fromEnv === '') return configured;
  const parsed = LocalStateBackendSchema.safeParse(fromEnv);
  if (!parsed.success) throw new TypeError(`${LOCAL_STATE_ENV}=${fromEnv}: expected one of ${LOCAL_STATE_BACKENDS.join(', ')}`);
  return parsed.data;
}

export interface LocalStateBackend {
  readonly kind: StateBackendKind;
  readonly stores: StateStores;
  /** dynalite's endpoint; undefined in memory. */
  readonly endpoint: string | undefined;
  /** What /health and /ready say about the backend. */
  readonly detail: { kind: string; persistent: boolean; table?: string; note?: string };
  /** A live round trip to the store (the health probe). */
  probe(): Promise<{ status: 'ok'; detail: Record<string, unknown> }>;
}

/**
 * Opens the state backend; `onStop` receives what must be stopped, in start order.
 * @example
 * const state = await openLocalStateBackend('memory', { dataDir, env, clock, region }, (name, stop) => stops.push({ name, stop }));
 */
export async function openLocalStateBackend(
  kind: StateBackendKind,
  o: { dataDir: string; env: string; clock: Clock; region: string },
  onStop: (name: string, stop: () => Promise<void>) => void,
): Promise<LocalStateBackend> {
  if (kind === 'memory') {
    const stores = createMemoryStores({ clock: o.clock });
    const detail = { kind: 'memory', persistent: false, note: 'state is lost when the process stops' };
    return { kind, stores, endpoint: undefined, detail, probe: () => roundTrip(stores, detail) };
  }
  const dynamo = await startLocalDynamo({ dataDir: join(o.dataDir, 'dynamodb') });
  onStop('dynamodb-local', () => dynamo.close());
  const { client, doc } = createDynamoDbClients({ region: o.region, endpoint: dynamo.endpoint, localCredentials: true });
  onStop('dynamodb-client', async () => client.destroy());
  const tableName = await ensureTables(client, o.env);
  const stores = createDynamoDbStores({ doc, tableName }, { clock: o.clock });
  const detail = { kind: 'dynamodb (dynalite)', persistent: true, table: tableName };
  return { kind, stores, endpoint: dynamo.endpoint, detail, probe: () => roundTrip(stores, detail) };
}

async function roundTrip(stores: StateStores, detail: LocalStateBackend['detail']): Promise<{ status: 'ok'; detail: Record<string, unknown> }> {
  const started = performance.now();
  await stores.tradingState.get();
  return { status: 'ok', detail: { ...detail, roundTripMs: Math.round((performance.now() - started) * 100) / 100 } };
}
