import { parseLocalRunArgs, LOCAL_USAGE, type LocalRunOptions } from '../lib/local/runtime-options.js';
import { startLocalSystem, type LocalSystem } from '../lib/local/runtime.js';
import { ConfigError } from '../lib/config/index.js';
import { formatBanner } from '../lib/local/banner.js';

// `npm start`: the whole system on this machine. The composition lives in lib/local/runtime.ts.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`TradeOps needs Node 22 or later (this is ${process.version}). Run it through npm (npm start), which uses the Node 22 from node_modules.\n`);
  process.exit(1);
}

let options: LocalRunOptions;
try {
  options = parseLocalRunArgs(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error && 'issues' in e ? (e as { issues: Array<{ path: PropertyKey[]; message: string }> }).issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n') : String(e instanceof Error ? e.message : e);
  process.stderr.write(`${message}\n\n${LOCAL_USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${LOCAL_USAGE}\n`);
  process.exit(0);
}

process.stdout.write(`TradeOps: starting the local system (env ${options.env})…\n`);
let system: LocalSystem;
try {
  system = await startLocalSystem(options);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`configuration error — nothing was started:\n${e.message}\n`);
    process.exit(1);
  }
  const code = (e as { code?: string }).code;
  process.stderr.write(`start failed${code ? ` [${code}]` : ''}: ${e instanceof Error ? e.message : String(e)}\n`);
  if (code === 'EADDRINUSE') process.stderr.write('A port is taken — is another `npm start` running? Use --api-port / --port to pick others.\n');
  process.exit(1);
}

process.stdout.write(formatBanner(system, process.memoryUsage().rss));

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping (API, bridge, agents, bus, stores, then the simulator)…\n`);
  await system.stop();
  process.stdout.write('stopped cleanly.\n');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
