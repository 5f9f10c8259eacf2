import { estimatorWeights, type CovarianceEstimator } from './covariance.js';
import { RiskParameterError, RiskShapeError, assertConfidence, assertFinite } from './errors.js';
import { normalQuantile } from './random.js';
import { assertExposures, type ReturnsMatrix } from './returns-matrix.js';
import { scenarioPnl, type VarOptions } from './var-historical.js';

/** Parametric (variance–covariance, delta-normal) VaR and its Euler decomposition. */
export interface ParametricVar {
  method: 'parametric';
  confidence: number;
  window: number;
  estimator: CovarianceEstimator;
  /** VaR = z·σₚ with z = Φ⁻¹(confidence) and σₚ = √(eᵀΣe); zero mean (1-day horizon). */
  var: number;
  /** σₚ, the 1-day standard deviation of portfolio P&L. */
  sigma: number;
  /** z, the normal quantile used. */
  z: number;
  /** Marginal VaR ∂VaR/∂eᵢ = z·(Σe)ᵢ / σₚ (0 for all when σₚ = 0, where the derivative does not exist). */
  marginal: Float64Array;
  /** Component VaR cᵢ = eᵢ·z·(Σe)ᵢ / σₚ; by Euler's theorem (VaR is homogeneous of degree 1) Σᵢ cᵢ = VaR. */
  components: Float64Array;
}

export interface ParametricOptions extends VarOptions {
  /** Default: the sample covariance. */
  estimator?: CovarianceEstimator;
}

/**
 * Parametric VaR from the returns window, WITHOUT forming the n × n covariance: with pₜ the
 * (centred for `sample`) portfolio P&L on day t, σₚ² = Σₜ ωₜ pₜ² and (Σe)ᵢ = Σₜ ωₜ rᵢₜ pₜ — both
 * O(n·T), where Σ itself costs O(n²·T). Algebraically identical to `parametricVarFromCovariance`
 * over `covarianceMatrix(returns, estimator, window)` (tested).
 * @example parametricVar(m, exposures, { confidence: 0.99, estimator: { kind: 'ewma', lambda: 0.94 } }).components
 */
export function parametricVar(returns: ReturnsMatrix, exposures: ArrayLike<number>, options: ParametricOptions = {}): ParametricVar {
  const confidence = options.confidence ?? 0.99;
  assertConfidence(confidence);
  assertExposures(returns, exposures);
  const estimator = options.estimator ?? { kind: 'sample' };
  const { instruments: n, days, data } = returns;
  const window = options.window ?? days;
  if (!Number.isInteger(window) || window < 2 || window > days) throw new RiskParameterError('window', `must be an integer in [2, ${days}], got ${window}`);
  const { weights, centred } = estimatorWeights(estimator, window);
  const offset = days - window;

  const p = scenarioPnl(returns, exposures, window);
  if (centred) {
    let mean = 0;
    for (let t = 0; t < window; t++) mean += p[t]!;
    mean /= window;
    for (let t = 0; t < window; t++) p[t]! -= mean;
  }
  // ωₜ·pₜ once, so (Σe)ᵢ is a plain dot product with row i (centring rᵢ is unnecessary: Σₜ pₜ = 0).
  const wp = new Float64Array(window);
  let variance = 0;
  for (let t = 0; t < window; t++) {
    wp[t] = weights[t]! * p[t]!;
    variance += wp[t]! * p[t]!;
  }
  const sigmaE = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * days + offset;
    let s = 0;
    for (let t = 0; t < window; t++) s += data[base + t]! * wp[t]!;
    sigmaE[i] = s;
  }
  return decompose(confidence, window, estimator, variance, sigmaE, exposures);
}

/**
 * Parametric VaR from a given covariance (row-major n × n), e.g. one estimated elsewhere or the
 * one a Monte Carlo run uses. O(n²).
 */
export function parametricVarFromCovariance(covariance: Float64Array, exposures: ArrayLike<number>, options: { confidence?: number; window?: number; estimator?: CovarianceEstimator } = {}): ParametricVar {
  const confidence = options.confidence ?? 0.99;
  assertConfidence(confidence);
  const n = exposures.length;
  if (covariance.length !== n * n) throw new RiskShapeError(`covariance has ${covariance.length} entries for ${n} exposures`, { covariance: covariance.length, exposures: n });
  assertFinite(exposures, 'exposures');
  const sigmaE = new Float64Array(n);
  let variance = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += covariance[i * n + j]! * exposures[j]!;
    sigmaE[i] = s;
    variance += exposures[i]! * s;
  }
  return decompose(confidence, options.window ?? 0, options.estimator ?? { kind: 'sample' }, variance, sigmaE, exposures);
}


function decompose(confidence: number, window: number, estimator: CovarianceEstimator, variance: number, sigmaE: Float64Array, exposures: ArrayLike<number>): ParametricVar {
  const z = normalQuantile(confidence);
  // A covariance estimate is PSD, but rounding can leave −1e-30 for a hedged book: that is zero.
  const sigma = variance > 0 ? Math.sqrt(variance) : 0;
  const n = sigmaE.length;
  const marginal = new Float64Array(n);
  const components = new Float64Array(n);
  if (sigma > 0) {
    const k = z / sigma;
    for (let i = 0; i < n; i++) {
      marginal[i] = k * sigmaE[i]!;
      components[i] = exposures[i]! * marginal[i]!;
    }
  }
  return { method: 'parametric', confidence, window, estimator, var: z * sigma, sigma, z, marginal, components };
}
