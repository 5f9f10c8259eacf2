import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '../../lib/local/runtime.js';
import type { BenchContext } from './types.js';

/**
 * The local system as the benchmarks use it: the real composition root (`startLocalSystem`) on
 * free loopback ports, fresh state in the benchmark's temp folder, logs discarded (writing them
 * would measure the disk, and a full log is not what is being benchmarked).
 */
export function startBenchSystem(ctx: BenchContext, name: string, extra: Partial<LocalSystemOptions> = {}): Promise<LocalSystem> {
  return startLocalSystem({
    apiPort: 0,
    ibSimPort: 0,
    ibSimAdminPort: 0,
    dataDir: join(ctx.tmpDir, name),
    fresh: true,
    // Measured orders only: the demo strategies would add their own signals and orders.
    demoStrategies: false,
    logStream: new PassThrough().resume(),
    ...extra,
  });
}

/**
 * Polls `GET <apiUrl>/ready` every `intervalMs` until it answers 200; resolves with the time
 * (performance.now) the 200 arrived. Throws after `timeoutMs` with the last status seen.
 */
export async function waitReady(apiUrl: string, options: { timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  let last: string;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const res = await fetch(`${apiUrl}/ready`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now();
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (performance.now() > deadline) throw new Error(`/ready not 200 within ${options.timeoutMs} ms (last: ${last})`);
    await sleep(options.intervalMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs: number; intervalMs: number }): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`${what}: not reached within ${options.timeoutMs} ms`);
    await sleep(options.intervalMs);
  }
}

/** A port free on 127.0.0.1 right now (the OS picks it; there is a small race until it is used). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True if `port` can be bound on 127.0.0.1 now (nothing else listens there). */
export async function isLoopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export const MB = 2 ** 20;
