/**
 * Summary statistics for benchmark samples. Percentiles use the nearest-rank method on the sorted
 * samples (the value at rank ⌈q·n⌉), so every reported percentile is a value that was actually
 * observed — no interpolation that would invent a latency nobody saw. Same method as the local
 * bus's consumer statistics.
 */

/** Units a distribution is recorded in; samples are converted before they reach `summarize`. */
export type Unit = 'ns' | 'µs' | 'ms' | 's' | 'MB';

/** A sample distribution as it appears in `bench/results/latest.json`. */
export interface Distribution {
  /** What was measured, e.g. `GET /health` or `send → FillReport`. */
  name: string;
  unit: Unit;
  n: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** p99 / p50: how heavy the tail is (1 = flat); null when p50 is 0. */
  tailRatio: number | null;
}

/**
 * The value at nearest rank ⌈q·n⌉ of ascending `sorted` samples (q in [0, 1]).
 * @throws RangeError on an empty array or q outside [0, 1]
 * @example percentile([1, 2, 3, 4], 0.5) // 2
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile rank ${q} outside [0, 1]`);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Summarises samples (left unchanged) into n, mean, min, p50/p90/p99 and max.
 * @throws RangeError on no samples or a non-finite sample (a broken timer must not pass as a result)
 * @example summarize('GET /health', [1.2, 0.9, 1.1], 'ms').p50 // 1.1
 */
export function summarize(name: string, samples: readonly number[], unit: Unit): Distribution {
  if (samples.length === 0) throw new RangeError(`${name}: no samples`);
  const bad = samples.find((s) => !Number.isFinite(s));
  if (bad !== undefined) throw new RangeError(`${name}: non-finite sample ${bad}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  return {
    name,
    unit,
    n: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0]!,
    p50,
    p90: percentile(sorted, 0.9),
    p99,
    max: sorted[sorted.length - 1]!,
    tailRatio: ratio(p99, p50) ?? null,
  };
}

/** `a / b`, or `undefined` when b is 0 (a ratio against nothing is not a result). */
export function ratio(a: number, b: number): number | undefined {
  return b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? undefined : a / b;
}
