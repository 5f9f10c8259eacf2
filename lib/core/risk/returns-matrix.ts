import { RiskParameterError, RiskShapeError, assertFinite } from './errors.js';

/**
 * Daily returns of a universe of instruments over a window of days, in ONE contiguous
 * Float64Array, **instrument-major** (row i = instrument i, its `days` returns contiguous, oldest
 * first): `data[i * days + t]` is the simple return of instrument i on day t.
 *
 * Why instrument-major: every hot loop here is "for each instrument, sweep its days" — portfolio
 * P&L per scenario (`pnl[t] += e_i · r[i, t]`), the covariance-times-exposure product and the
 * covariance matrix (dot products of two contiguous rows). Sweeping a contiguous row keeps the
 * inner loop sequential in memory and lets V8 keep `e_i` in a register; the day-major layout would
 * stride by `instruments` on every step.
 *
 * `symbols[i]` names row i; exposure vectors are aligned with it (see `exposureVector`).
 * @example
 * const m = returnsMatrixFromRows(['AAPL', 'MSFT'], [[0.01, -0.02, 0.003], [0.004, -0.01, 0.0]]);
 * m.data[1 * m.days + 0] // 0.004 (MSFT, day 0)
 */
export interface ReturnsMatrix {
  readonly symbols: readonly string[];
  readonly instruments: number;
  readonly days: number;
  readonly data: Float64Array;
}

/**
 * Wraps an instrument-major Float64Array after checking its shape and that every value is finite.
 * @throws RiskShapeError `RISK.SHAPE_MISMATCH`, NonFiniteRiskInputError `RISK.NON_FINITE_INPUT`
 */
export function returnsMatrix(symbols: readonly string[], days: number, data: Float64Array): ReturnsMatrix {
  if (!Number.isInteger(days) || days < 1) throw new RiskParameterError('days', `must be a positive integer, got ${days}`);
  if (data.length !== symbols.length * days) {
    throw new RiskShapeError(`returns data has ${data.length} values, expected ${symbols.length} instruments × ${days} days`, { length: data.length, instruments: symbols.length, days });
  }
  if (new Set(symbols).size !== symbols.length) throw new RiskShapeError('duplicate symbols in a returns matrix', { symbols: [...symbols] });
  assertFinite(data, 'returns');
  return { symbols: [...symbols], instruments: symbols.length, days, data };
}

/** Builds a matrix from one array of returns per instrument (all the same length). */
export function returnsMatrixFromRows(symbols: readonly string[], rows: ReadonlyArray<ArrayLike<number>>): ReturnsMatrix {
  if (rows.length !== symbols.length) throw new RiskShapeError(`${rows.length} rows for ${symbols.length} symbols`, { rows: rows.length, symbols: symbols.length });
  const days = rows[0]?.length ?? 0;
  const data = new Float64Array(symbols.length * days);
  rows.forEach((row, i) => {
    if (row.length !== days) throw new RiskShapeError(`row ${i} (${symbols[i]}) has ${row.length} days, expected ${days}`, { row: i, days: row.length, expected: days });
    for (let t = 0; t < days; t++) data[i * days + t] = row[t]!;
  });
  return returnsMatrix(symbols, days, data);
}

/**
 * The last `window` days of `m` (a copy). VaR windows are "the most recent N days".
 * @throws RiskParameterError when the window is < 2 or longer than the history
 */
export function lastDays(m: ReturnsMatrix, window: number): ReturnsMatrix {
  if (!Number.isInteger(window) || window < 2 || window > m.days) throw new RiskParameterError('window', `must be an integer in [2, ${m.days}], got ${window}`);
  if (window === m.days) return m;
  const data = new Float64Array(m.instruments * window);
  for (let i = 0; i < m.instruments; i++) data.set(m.data.subarray(i * m.days + m.days - window, (i + 1) * m.days), i * window);
  return { symbols: m.symbols, instruments: m.instruments, days: window, data };
}

/**
 * Checks that an exposure vector matches the matrix (one finite value per instrument).
 * @internal
 */
export function assertExposures(m: { instruments: number }, exposures: ArrayLike<number>): void {
  if (exposures.length !== m.instruments) throw new RiskShapeError(`${exposures.length} exposures for ${m.instruments} instruments`, { exposures: exposures.length, instruments: m.instruments });
  assertFinite(exposures, 'exposures');
}
