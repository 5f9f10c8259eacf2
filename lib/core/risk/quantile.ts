import { RiskParameterError } from './errors.js';

/**
 * The lower-tail quantile of a P&L sample, by the rule VaR uses everywhere in this module:
 * **linear interpolation between order statistics, Hyndman–Fan type 7** (numpy's and R's default,
 * so an analyst can reproduce a figure with `np.quantile(pnl, 1 - confidence)`).
 *
 * With the sample sorted ascending, x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ (0-based), and tail probability α:
 *   h = α·(n − 1),  lo = ⌊h⌋,  f = h − lo,  q = x₍lo₎ + f·(x₍lo+1₎ − x₍lo₎)   (f = 0 ⇒ q = x₍lo₎)
 * e.g. n = 500, α = 1 %: h = 4.99, between the 5th and 6th worst day, 99 % of the way to the 6th.
 *
 * Runs in O(n) by selection (no sort), on a scratch copy: the input is left untouched. The two
 * order statistics are mapped back to scenario (day) indices so that callers can attribute the
 * quantile to positions; among tied P&L values the earliest index is taken (deterministic).
 * @example lowerQuantile(Float64Array.of(-5, 1, -2, 3), 0.5) // { value: -0.5, loIndex: 2, hiIndex: 1, weight: 0.5 }
 */
export interface QuantilePoint {
  /** The interpolated quantile q. */
  value: number;
  /** Scenario index of x₍lo₎. */
  loIndex: number;
  /** Scenario index of x₍lo+1₎ (equal to loIndex when f = 0 or n = 1). */
  hiIndex: number;
  /** f: the weight on x₍lo+1₎; q = (1 − f)·x[loIndex] + f·x[hiIndex]. */
  weight: number;
}

/**
 * See `QuantilePoint`. `alpha` is the tail probability (1 − confidence), in [0, 1].
 * @throws RiskParameterError on an empty sample or α outside [0, 1]
 */
export function lowerQuantile(sample: ArrayLike<number>, alpha: number, scratch?: Float64Array): QuantilePoint {
  const n = sample.length;
  if (n === 0) throw new RiskParameterError('sample', 'a quantile of no values');
  if (!(alpha >= 0 && alpha <= 1)) throw new RiskParameterError('alpha', `must be in [0, 1], got ${alpha}`);
  const h = alpha * (n - 1);
  const lo = Math.floor(h);
  const f = h - lo;
  const work = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) work[i] = sample[i]!;
  const xLo = selectInPlace(work, lo, n);
  let xHi = xLo;
  if (f > 0 && lo + 1 < n) {
    // After selection everything right of `lo` is ≥ x₍lo₎, so x₍lo+1₎ is their minimum.
    xHi = work[lo + 1]!;
    for (let i = lo + 2; i < n; i++) if (work[i]! < xHi) xHi = work[i]!;
  }
  const loIndex = indexOf(sample, xLo, -1);
  const hiIndex = f > 0 && lo + 1 < n ? indexOf(sample, xHi, loIndex) : loIndex;
  return { value: f > 0 ? xLo + f * (xHi - xLo) : xLo, loIndex, hiIndex, weight: f > 0 && lo + 1 < n ? f : 0 };
}

/** First index holding `value`, skipping `skip` (the other order statistic when both are tied). */
function indexOf(sample: ArrayLike<number>, value: number, skip: number): number {
  for (let i = 0; i < sample.length; i++) if (sample[i] === value && i !== skip) return i;
  return skip; // unreachable for values taken from the sample; keeps the type total
}

/**
 * Hoare-style quickselect with median-of-three (Numerical Recipes `select`): afterwards a[k] is the
 * k-th smallest of a[0..n), everything left of k is ≤ it and everything right is ≥ it.
 * @internal
 */
export function selectInPlace(a: Float64Array, k: number, n: number = a.length): number {
  let l = 0;
  let ir = n - 1;
  for (;;) {
    if (ir <= l + 1) {
      if (ir === l + 1 && a[ir]! < a[l]!) swap(a, l, ir);
      return a[k]!;
    }
    const mid = (l + ir) >>> 1;
    swap(a, mid, l + 1);
    if (a[l]! > a[ir]!) swap(a, l, ir);
    if (a[l + 1]! > a[ir]!) swap(a, l + 1, ir);
    if (a[l]! > a[l + 1]!) swap(a, l, l + 1);
    let i = l + 1;
    let j = ir;
    const pivot = a[l + 1]!;
    for (;;) {
      do i++;
      while (a[i]! < pivot);
      do j--;
      while (a[j]! > pivot);
      if (j < i) break;
      swap(a, i, j);
    }
    a[l + 1] = a[j]!;
    a[j] = pivot;
    if (j >= k) ir = j - 1;
    if (j <= k) l = i;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
