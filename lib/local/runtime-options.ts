import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LocalStateBackendSchema } from '../config/schema.js';

/**
 * `npm start -- [flags]`: flags override the local config for this run only.
 * Parsed with zod, so `--port abc` fails with the flag named, like a bad config value.
 */
export const LocalRunOptionsSchema = z.strictObject({
  env: z.string().regex(/^[a-z][a-z0-9-]*$/).default('local'),
  broker: z.enum(['sim', 'ib']).optional(),
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(1).max(65535).optional(),
  clientId: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  apiPort: z.coerce.number().int().min(0).max(65535).optional(),
  dataDir: z.string().min(1).optional(),
  configDir: z.string().min(1).optional(),
  state: LocalStateBackendSchema.optional(),
  fresh: z.boolean().default(false),
  help: z.boolean().default(false),
});
export type LocalRunOptions = z.infer<typeof LocalRunOptionsSchema>;

export const LOCAL_USAGE = `usage: npm start -- [options]

  --broker sim|ib     sim (default): the built-in IB simulator on 127.0.0.1:4002;
                      ib: your own IB Gateway or TWS (paper account), e.g. --broker ib --port 4002
  --host HOST         broker host (default 127.0.0.1)
  --port N            broker API port (default 4002: IB Gateway paper)
  --client-id N       broker API client id (default from config)
  --api-port N        ops API port (default 8080)
  --data-dir DIR      where state, logs and the outbox live (default .data/<env>)
  --fresh             start from empty state (deletes the data dir of this env first)
  --state KIND        dynalite (default: persistent) or memory (fast, lost on stop); also TRADEOPS_STATE
  --env NAME          config/<NAME>.yaml (default local)
  --config-dir DIR    read <DIR>/<env>.yaml instead of the repository's config/`;

export function parseLocalRunArgs(argv: readonly string[]): LocalRunOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      env: { type: 'string' },
      broker: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'client-id': { type: 'string' },
      'api-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'config-dir': { type: 'string' },
      state: { type: 'string' },
      fresh: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { 'client-id': clientId, 'api-port': apiPort, 'data-dir': dataDir, 'config-dir': configDir, ...rest } = values;
  return LocalRunOptionsSchema.parse({ ...rest, clientId, apiPort, dataDir, configDir });
}
