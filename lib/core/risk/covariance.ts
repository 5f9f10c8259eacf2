import { RiskParameterError } from './errors.js';
import type { ReturnsMatrix } from './returns-matrix.js';

/**
 * How the covariance of returns is estimated from a window of days.
 * - `sample`: mean-centred, divided by (T − 1) — the unbiased sample covariance.
 * - `ewma`: RiskMetrics exponentially weighted, zero mean (daily means are noise next to daily
 *   volatility), weights ωₜ ∝ λ^(T−1−t) normalised to sum to 1 over the window (the most recent
 *   day weighs most). λ = 0.94 is RiskMetrics' daily decay.
 */
export type CovarianceEstimator = { kind: 'sample' } | { kind: 'ewma'; lambda?: number };

/** Per-day weights and per-instrument means implementing an estimator. @internal */
export interface EstimatorWeights {
  /** Weight of day t's cross product (length T). */
  weights: Float64Array;
  /** Whether returns are centred on their window mean first. */
  centred: boolean;
}

/** @internal */
export function estimatorWeights(estimator: CovarianceEstimator, window: number): EstimatorWeights {
  const weights = new Float64Array(window);
  if (estimator.kind === 'sample') {
    weights.fill(1 / (window - 1));
    return { weights, centred: true };
  }
  const lambda = estimator.lambda ?? 0.94;
  if (!(lambda > 0 && lambda < 1)) throw new RiskParameterError('lambda', `must be in (0, 1), got ${lambda}`);
  let total = 0;
  for (let t = 0; t < window; t++) total += weights[t] = Math.pow(lambda, window - 1 - t);
  for (let t = 0; t < window; t++) weights[t]! /= total;
  return { weights, centred: false };
}

/**
 * The full covariance matrix of the last `window` days, row-major n × n (symmetric, both halves
 * filled). O(n²·T): for 1,000 instruments × 500 days about 250 M multiply-adds — a scheduled job,
 * not a per-order one. Parametric VaR does not need it (see `parametricVar`); Monte Carlo does.
 * @example const cov = covarianceMatrix(m, { kind: 'ewma', lambda: 0.94 }); cov[i * n + j]
 */
export function covarianceMatrix(returns: ReturnsMatrix, estimator: CovarianceEstimator = { kind: 'sample' }, window: number = returns.days): Float64Array {
  const { instruments: n, days, data } = returns;
  if (!Number.isInteger(window) || window < 2 || window > days) throw new RiskParameterError('window', `must be an integer in [2, ${days}], got ${window}`);
  const { weights, centred } = estimatorWeights(estimator, window);
  const offset = days - window;
  // Pre-scale each centred row by √ωₜ so that every entry is a plain dot product of two rows.
  const x = new Float64Array(n * window);
  for (let i = 0; i < n; i++) {
    const base = i * days + offset;
    let mean = 0;
    if (centred) {
      for (let t = 0; t < window; t++) mean += data[base + t]!;
      mean /= window;
    }
    for (let t = 0; t < window; t++) x[i * window + t] = (data[base + t]! - mean) * Math.sqrt(weights[t]!);
  }
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const bi = i * window;
    for (let j = 0; j <= i; j++) {
      const bj = j * window;
      let s = 0;
      for (let t = 0; t < window; t++) s += x[bi + t]! * x[bj + t]!;
      cov[i * n + j] = s;
      cov[j * n + i] = s;
    }
  }
  return cov;
}
