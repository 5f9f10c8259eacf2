import type { Distribution, Unit } from './stats.js';
import { percentile, summarize } from './stats.js';

/**
 * The shape of one benchmark and of its result. A benchmark is a named async function that gets a
 * context (iteration scale, a private temp folder, a cancellation signal) and returns what it
 * measured; the runner times it, catches its failure and writes the report.
 */

/** A scalar result: a count, a memory figure, a pass/fail check. `goal` says what it is judged against. */
export interface Figure {
  name: string;
  value: number | string | boolean;
  unit?: string;
  /** The target, in words (e.g. `< 600 MB`), when the issue sets one. */
  goal?: string;
  /** Whether the goal is met; absent when there is no goal. */
  met?: boolean;
}

/** A ratio between two measured figures, e.g. µs/entry at 100k over µs/entry at 10k. */
export interface Ratio {
  name: string;
  value: number;
  /** What it divides, e.g. `p50(100k) / p50(10k)`. */
  of: string;
}

export interface BenchOutcome {
  distributions: Distribution[];
  figures: Figure[];
  ratios: Ratio[];
  /** Names of the distributions for the report's headline table; default the first one. */
  headlines?: string[];
  /** Method notes a reader needs to interpret the numbers (what is timed, what is excluded). */
  notes: string[];
  /** Set when the benchmark could not run here (e.g. a port taken); nothing is measured then. */
  skipped?: string;
}

export interface BenchContext {
  /** `--quick`: fewer iterations for a fast look; results are still distributions, just smaller n. */
  readonly quick: boolean;
  /** The iteration count for this mode. */
  iterations(full: number, quick: number): number;
  /** A folder of this benchmark's own, removed after it ends. */
  readonly tmpDir: string;
  /** Aborted when the benchmark exceeds its time budget; long loops call `checkpoint()`. */
  readonly signal: AbortSignal;
  /** Throws if the budget is spent, so a slow benchmark stops instead of running on. */
  checkpoint(): void;
  /** Progress line on stderr (stdout carries the report). */
  log(message: string): void;
}

/**
 * A named benchmark in the registry (`bench/registry.ts`). Later issues add entries; names are
 * stable because `--only` and result comparisons use them.
 * @example
 * export const patternMatch: Benchmark = { name: 'pattern-match', description: '…', budgetMs: 20_000, run: async (ctx) => { const out = new OutcomeBuilder(); …; return out.build(); } };
 */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Wall-clock budget on 2 cores in full mode; exceeding it fails the benchmark. */
  readonly budgetMs: number;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}

/** Collects a benchmark's results as it goes. */
export class OutcomeBuilder {
  private readonly outcome: BenchOutcome = { distributions: [], figures: [], ratios: [], notes: [] };

  /** Adds the distribution of `samples` and returns it (for ratios); `headline` puts it in the report's summary. */
  dist(name: string, samples: readonly number[], unit: Unit, options: { headline?: boolean } = {}): Distribution {
    const d = summarize(name, samples, unit);
    this.outcome.distributions.push(d);
    if (options.headline) (this.outcome.headlines ??= []).push(name);
    return d;
  }

  figure(f: Figure): this {
    this.outcome.figures.push(f);
    return this;
  }

  /** Adds `a / b` as a ratio unless b is 0. */
  ratio(name: string, a: number, b: number, of: string): this {
    if (b !== 0 && Number.isFinite(a) && Number.isFinite(b)) this.outcome.ratios.push({ name, value: a / b, of });
    return this;
  }

  /**
   * Steady state or a growing queue? The median of the last fifth of `samples` (in time order)
   * over that of the first fifth, as the ratio `<label>: latency trend (…)`.
   */
  trend(label: string, samples: readonly number[]): this {
    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
    return this.ratio(`${label}: latency trend (p50 last fifth / first fifth)`, median(samples.slice(-fifth)), median(samples.slice(0, fifth)), '≈1 steady; ≫1 a queue builds up at this rate');
  }

  note(text: string): this {
    this.outcome.notes.push(text);
    return this;
  }

  skip(reason: string): BenchOutcome {
    return { ...this.outcome, skipped: reason };
  }

  build(): BenchOutcome {
    return this.outcome;
  }
}
