import { assertConfidence } from './errors.js';
import { lowerQuantile } from './quantile.js';
import { assertExposures, type ReturnsMatrix } from './returns-matrix.js';
import { RiskParameterError } from './errors.js';

/** Options shared by the VaR methods. */
export interface VarOptions {
  /** One-sided confidence, e.g. 0.99 for the runbook's 99 % VaR. Default 0.99. */
  confidence?: number;
  /** Use the most recent `window` days of the matrix (default: all of them). */
  window?: number;
}

/**
 * Historical-simulation VaR with its attribution to positions. All money figures are in the
 * account currency of the exposures; a loss is positive.
 */
export interface HistoricalVar {
  method: 'historical';
  confidence: number;
  /** Days (scenarios) used. */
  window: number;
  /** VaR = −q, q the (1 − confidence) quantile of scenario P&L (`lowerQuantile`'s rule). Negative only if even the tail scenario is a gain. */
  var: number;
  /** The VaR scenario: q = (1 − weight)·P&L[loDay] + weight·P&L[hiDay]; day indices within the window, oldest = 0. */
  scenario: { loDay: number; hiDay: number; weight: number };
  /** Portfolio P&L per scenario (length `window`), Σᵢ eᵢ·rᵢₜ. */
  pnl: Float64Array;
  /**
   * Component VaR per position, aligned with the matrix's symbols: the position's loss in the VaR
   * scenario, cᵢ = −eᵢ·((1 − w)·rᵢ,lo + w·rᵢ,hi). Because the quantile is that same interpolation of
   * two scenarios' P&L, Σᵢ cᵢ = VaR exactly (up to rounding) — the historical analogue of the Euler
   * allocation. Single-scenario attribution is noisy from day to day; that is the price of exactness.
   */
  components: Float64Array;
  /** Marginal VaR ∂VaR/∂eᵢ = −((1 − w)·rᵢ,lo + w·rᵢ,hi): VaR change per unit of extra exposure, holding the scenario fixed. */
  marginal: Float64Array;
}

/**
 * 1-day historical-simulation VaR: portfolio P&L per past day is Σᵢ eᵢ·rᵢₜ (exposures held
 * constant, returns replayed), and VaR is minus its (1 − confidence) quantile.
 *
 * Cost O(instruments × window): one sequential sweep per instrument over its contiguous row, then
 * an O(window) selection. Instruments with zero exposure are skipped.
 * @param exposures signed market value per instrument (account currency), aligned with `returns.symbols`
 * @throws RiskShapeError, RiskParameterError, NonFiniteRiskInputError
 * @example
 * const r = historicalVar(returnsMatrixFromRows(['A', 'B'], [rowsA, rowsB]), Float64Array.of(1e6, -5e5), { confidence: 0.99 });
 * r.var; // a positive loss in account currency
 */
export function historicalVar(returns: ReturnsMatrix, exposures: ArrayLike<number>, options: VarOptions = {}): HistoricalVar {
  const confidence = options.confidence ?? 0.99;
  assertConfidence(confidence);
  assertExposures(returns, exposures);
  const window = options.window ?? returns.days;
  if (!Number.isInteger(window) || window < 2 || window > returns.days) throw new RiskParameterError('window', `must be an integer in [2, ${returns.days}], got ${window}`);

  const pnl = scenarioPnl(returns, exposures, window);
  const q = lowerQuantile(pnl, 1 - confidence);
  const n = returns.instruments;
  const days = returns.days;
  const offset = days - window;
  const w = q.weight;
  const components = new Float64Array(n);
  const marginal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * days + offset;
    const m = -((1 - w) * returns.data[base + q.loIndex]! + w * returns.data[base + q.hiIndex]!);
    marginal[i] = m;
    const e = exposures[i]!;
    components[i] = e === 0 ? 0 : e * m; // no −0 for a flat position
  }
  return {
    method: 'historical',
    confidence,
    window,
    var: q.value === 0 ? 0 : -q.value,
    scenario: { loDay: q.loIndex, hiDay: q.hiIndex, weight: w },
    pnl,
    components,
    marginal,
  };
}

/**
 * Portfolio P&L for each of the last `window` days: pnl[t] = Σᵢ eᵢ·rᵢ,(days−window+t).
 * @internal exported for the parametric method and the benchmarks
 */
export function scenarioPnl(returns: ReturnsMatrix, exposures: ArrayLike<number>, window: number): Float64Array {
  const { instruments: n, days, data } = returns;
  const offset = days - window;
  const pnl = new Float64Array(window);
  // Four instruments per sweep: pnl[t] is loaded and stored once per four rows instead of per row,
  // which is what bounds this loop (memory traffic, not arithmetic).
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const e0 = exposures[i]!;
    const e1 = exposures[i + 1]!;
    const e2 = exposures[i + 2]!;
    const e3 = exposures[i + 3]!;
    if (e0 === 0 && e1 === 0 && e2 === 0 && e3 === 0) continue;
    const b0 = i * days + offset;
    const b1 = b0 + days;
    const b2 = b1 + days;
    const b3 = b2 + days;
    for (let t = 0; t < window; t++) pnl[t]! += e0 * data[b0 + t]! + e1 * data[b1 + t]! + e2 * data[b2 + t]! + e3 * data[b3 + t]!;
  }
  for (; i < n; i++) {
    const e = exposures[i]!;
    if (e === 0) continue;
    const base = i * days + offset;
    for (let t = 0; t < window; t++) pnl[t]! += e * data[base + t]!;
  }
  return pnl;
}
