import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { IbSimAdminClient } from '../../../fargate/ib-sim/admin-client.js';
import type { IbSimOptions } from '../../../fargate/ib-sim/server.js';

const MAIN = fileURLToPath(new URL('../../../fargate/ib-sim/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** The simulator as the local runtime runs it: its own process, driven over TCP (TWS API) and its admin HTTP API. */
export interface IbSimProcess {
  readonly pid: number;
  readonly port: number;
  readonly adminPort: number;
  readonly adminUrl: string;
  readonly accountId: string;
  /** State inspection and fault injection (the admin API). */
  readonly admin: IbSimAdminClient;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. Safe to call twice. */
  close(): Promise<void>;
}

export class IbSimStartError extends Error {
  readonly code = 'IB_SIM.START_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'IbSimStartError';
  }
}

export interface IbSimProcessOptions extends Omit<IbSimOptions, 'logger' | 'adminPort' | 'commissionPerShare' | 'minCommission'> {
  /** 0 = a free port. The admin API is always on: it is how the runtime reaches the simulator. */
  adminPort: number;
  /** Every line the simulator logs (JSON), as written. */
  onLogLine: (line: string) => void;
  /** Called if the process exits without having been asked to (a crash). */
  onUnexpectedExit: (detail: { code: number | null; signal: NodeJS.Signals | null }) => void;
}

/**
 * Starts ib-sim (fargate/ib-sim/main.ts, the same entry as its container) as a child process
 * and resolves once it listens. Why a process and not in this one: it is the broker, a separate
 * system in production too (IB Gateway is its own JVM), and on its own core the simulator's
 * matching and market ticks no longer queue behind the agents' work in the runtime's event loop.
 * The child stops when this process goes away, however it goes (it watches its IPC channel).
 */
export async function startIbSimProcess(o: IbSimProcessOptions): Promise<IbSimProcess> {
  const args = ['--port', String(o.port ?? 0), '--admin-port', String(o.adminPort)];
  if (o.host !== undefined) args.push('--host', o.host);
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  if (o.tickIntervalMs !== undefined) args.push('--tick-ms', String(o.tickIntervalMs));
  if (o.accountId !== undefined) args.push('--account', o.accountId);
  if (o.startingCash !== undefined) args.push('--cash', o.startingCash);
  if (o.dataDir !== undefined) args.push('--data-dir', o.dataDir);
  if (o.instruments !== undefined) args.push('--instruments', JSON.stringify(o.instruments));

  const child = fork(MAIN, args, {
    cwd: REPO_ROOT,
    // The child is TypeScript like this process: load it the way `npm start` does.
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a terminal's Ctrl-C (or a supervisor's group kill) reaches the
    // runtime, which stops the simulator last, after the bridge has let go of it.
    detached: true,
  });
  createInterface({ input: child.stdout! }).on('line', o.onLogLine);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 20) stderr.shift();
  });

  let closing = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port: number; adminPort: number; adminUrl: string; accountId: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new IbSimStartError(`ib-sim did not report ready within ${READY_TIMEOUT_MS} ms${tail(stderr)}`));
    }, READY_TIMEOUT_MS);
    child.on('message', (m: unknown) => {
      const msg = m as { type?: string; error?: string; port?: number; adminPort?: number; adminUrl?: string; accountId?: string };
      if (msg.type === 'ready' && typeof msg.port === 'number' && typeof msg.adminUrl === 'string') {
        clearTimeout(timer);
        resolve({ port: msg.port, adminPort: msg.adminPort ?? 0, adminUrl: msg.adminUrl, accountId: msg.accountId ?? '' });
      } else if (msg.type === 'failed') {
        clearTimeout(timer);
        reject(new IbSimStartError(`ib-sim failed to start: ${msg.error ?? 'unknown error'}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new IbSimStartError(`ib-sim exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})${tail(stderr)}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new IbSimStartError(`ib-sim could not be started: ${e.message}`));
    });
  });
  child.once('exit', (code, signal) => {
    if (!closing) o.onUnexpectedExit({ code, signal });
  });

  return {
    pid: child.pid ?? 0,
    ...ready,
    admin: new IbSimAdminClient(ready.adminUrl),
    close: async () => {
      if (!closing) {
        closing = true;
        stop(child);
      }
      await exited;
    },
  };
}

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  kill.unref();
  child.once('exit', () => clearTimeout(kill));
}

function tail(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `; its stderr: ${lines.join(' | ')}`;
}
