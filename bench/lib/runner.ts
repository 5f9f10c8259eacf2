import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchOutcome, Benchmark } from './types.js';

/** One benchmark's entry in `latest.json`. */
export interface BenchResult extends BenchOutcome {
  name: string;
  description: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Failure message (status `failed`). */
  error?: string;
  durationMs: number;
}

export interface RunOptions {
  quick: boolean;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
}

/**
 * Runs one benchmark with its own temp folder and time budget. A failure or an overrun becomes a
 * `failed` result instead of ending the run, so one broken benchmark does not hide the others.
 */
/** A benchmark that produced no outcome: thrown, over budget, or its process gone. */
export function failedResult(bench: { name: string; description: string }, error: string, durationMs: number): BenchResult {
  return { name: bench.name, description: bench.description, distributions: [], figures: [], ratios: [], notes: [], status: 'failed', error, durationMs };
}

export async function runBenchmark(bench: Benchmark, options: RunOptions): Promise<BenchResult> {
  const tmpDir = mkdtempSync(join(tmpdir(), `tradeops-bench-${bench.name}-`));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`${bench.name} exceeded its ${bench.budgetMs} ms budget`)), bench.budgetMs);
  const ctx: BenchContext = {
    quick: options.quick,
    iterations: (full, quick) => (options.quick ? quick : full),
    tmpDir,
    signal: abort.signal,
    checkpoint: () => abort.signal.throwIfAborted(),
    log: (m) => options.log(`  [${bench.name}] ${m}`),
  };
  const started = performance.now();
  const base = { name: bench.name, description: bench.description };
  try {
    const overrun = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason as Error), { once: true }));
    const running = bench.run(ctx);
    // Whichever loses the race still settles later; neither may become an unhandled rejection.
    overrun.catch(() => undefined);
    running.catch(() => undefined);
    const outcome = await Promise.race([running, overrun]);
    return { ...base, ...outcome, status: outcome.skipped === undefined ? 'ok' : 'skipped', durationMs: performance.now() - started };
  } catch (e) {
    options.log(`  [${bench.name}] FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return failedResult(base, e instanceof Error ? e.message : String(e), performance.now() - started);
  } finally {
    clearTimeout(timer);
    abort.abort(new Error('benchmark finished'));
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
