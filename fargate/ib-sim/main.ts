/**
 * CLI entry: `tsx fargate/ib-sim/main.ts --port 4002 --admin-port 4003 --seed 42 [--data-dir DIR]
 *   [--tick-ms 250] [--host 127.0.0.1] [--account DU1234567] [--cash 1000000]
 *   [--instruments '[{"symbol":"AAPL","price":"187.25"}]']`
 * Logs one JSON line per event on stdout; SIGINT/SIGTERM close it cleanly.
 *
 * Started by a parent with an IPC channel (the local runtime), it reports `{type: 'ready', port,
 * adminPort, adminUrl, accountId}` (or `{type: 'failed', error}`) on the channel, and stops when
 * the channel closes: a parent that dies does not leave a broker holding its ports.
 */
import { parseArgs } from 'node:util';
import { startIbSim, type IbSimOptions, type SimLogger } from './server.js';

const log =
  (level: string) =>
  (msg: string, fields?: object): void => {
    process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), component: 'ib-sim', msg, ...fields })}\n`);
  };
// A closed stdout (e.g. piped into `head`) must not crash the broker.
process.stdout.on('error', () => undefined);
const logger: SimLogger = { info: log('info'), warn: log('warn'), error: log('error') };

function intArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    process.stderr.write(`ib-sim: --${name} must be an integer, got "${v}"\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      'tick-ms': { type: 'string' },
      account: { type: 'string' },
      cash: { type: 'string' },
      instruments: { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const opts: IbSimOptions = { logger };
  const host = values.host ?? env.IB_SIM_HOST;
  const port = intArg('port', values.port ?? env.IB_SIM_PORT);
  const adminPort = intArg('admin-port', values['admin-port'] ?? env.IB_SIM_ADMIN_PORT);
  const seed = intArg('seed', values.seed ?? env.IB_SIM_SEED);
  const tick = intArg('tick-ms', values['tick-ms'] ?? env.IB_SIM_TICK_MS);
  const dataDir = values['data-dir'] ?? env.IB_SIM_DATA_DIR;
  const account = values.account ?? env.IB_SIM_ACCOUNT;
  const cash = values.cash ?? env.IB_SIM_CASH;
  if (host !== undefined) opts.host = host;
  if (port !== undefined) opts.port = port;
  if (adminPort !== undefined) opts.adminPort = adminPort;
  if (seed !== undefined) opts.seed = seed;
  if (tick !== undefined) opts.tickIntervalMs = tick;
  if (dataDir !== undefined) opts.dataDir = dataDir;
  if (account !== undefined) opts.accountId = account;
  if (cash !== undefined) opts.startingCash = cash;
  const instruments = values.instruments ?? env.IB_SIM_INSTRUMENTS;
  if (instruments !== undefined) opts.instruments = jsonArg('instruments', instruments) as IbSimOptions['instruments'];

  const sim = await startIbSim(opts);
  logger.info('ib-sim ready', { port: sim.port, adminUrl: sim.adminUrl, accountId: sim.accountId });
  process.send?.({ type: 'ready', port: sim.port, adminPort: sim.adminPort, adminUrl: sim.adminUrl, accountId: sim.accountId });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('ib-sim shutting down', { signal });
    sim.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error('ib-sim shutdown failed', { error: String(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('disconnect', () => stop('parent gone'));
}

// Options are validated by startIbSim (zod, naming the field); here the text must only be JSON.
function jsonArg(name: string, v: string): unknown {
  try {
    return JSON.parse(v);
  } catch (e) {
    process.stderr.write(`ib-sim: --${name} must be JSON: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

main().catch((e: unknown) => {
  const error = e instanceof Error ? e.message : String(e);
  logger.error('ib-sim failed to start', { error, code: (e as { code?: string }).code });
  if (process.send) process.send({ type: 'failed', error }, () => process.exit(1));
  else process.exit(1);
});
