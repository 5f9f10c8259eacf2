import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historicalVar } from '../../../lib/core/risk/var-historical.js';
import { returnsMatrix, returnsMatrixFromRows } from '../../../lib/core/risk/returns-matrix.js';
import { RiskErrorCode } from '../../../lib/core/risk/errors.js';
import { syntheticReturns } from '../../../lib/core/risk/synthetic-returns.js';

// Two assets, ten days. With exposures A = 1,000 and B = 500 the daily P&L is
//   5, −15, 40, −25, −10, 20, −5, 45, −20, −15   (day 0 … 9)
// sorted: −25 (d3), −20 (d8), −15 (d1), −15 (d9), −10 (d4), −5, 5, 20, 40, 45.
const A = [0.01, -0.02, 0.03, -0.04, 0.0, 0.02, -0.01, 0.05, -0.03, 0.01];
const B = [-0.01, 0.01, 0.02, 0.03, -0.02, 0.0, 0.01, -0.01, 0.02, -0.05];
const twoAssets = returnsMatrixFromRows(['A', 'B'], [A, B]);
const exposures = Float64Array.of(1000, 500);

const sum = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0);

describe('historicalVar', () => {
  it('computes the hand-worked 90 % VaR of two assets over ten days', () => {
    // α = 0.1, h = 0.9: 90 % of the way from −25 (day 3) to −20 (day 8) → q = −20.5.
    const r = historicalVar(twoAssets, exposures, { confidence: 0.9 });
    expect(r.var).toBeCloseTo(20.5, 10);
    expect(r.scenario).toEqual({ loDay: 3, hiDay: 8, weight: expect.closeTo(0.9, 12) });
    expect([...r.pnl].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([5, -15, 40, -25, -10, 20, -5, 45, -20, -15]);
    // A lost 1,000 × (0.1 × 4 % + 0.9 × 3 %) = 31; B gained 500 × (0.1 × 3 % + 0.9 × 2 %) = 10.5.
    expect(r.components[0]).toBeCloseTo(31, 10);
    expect(r.components[1]).toBeCloseTo(-10.5, 10);
    expect(r.marginal[0]).toBeCloseTo(0.031, 12);
    expect(r.marginal[1]).toBeCloseTo(-0.021, 12);
  });

  it('takes the earliest of tied scenarios as the upper neighbour', () => {
    // α = 0.2, h = 1.8: from −20 (day 8) towards −15, which days 1 and 9 share → day 1; q = −16.
    const r = historicalVar(twoAssets, exposures, { confidence: 0.8 });
    expect(r.var).toBeCloseTo(16, 10);
    expect(r.scenario).toMatchObject({ loDay: 8, hiDay: 1 });
  });

  it('uses only the most recent days of a shorter window', () => {
    // Last five days: 20, −5, 45, −20, −15; α = 0.1, h = 0.4 → −20 + 0.4 × 5 = −18.
    const r = historicalVar(twoAssets, exposures, { confidence: 0.9, window: 5 });
    expect(r.window).toBe(5);
    expect(r.var).toBeCloseTo(18, 10);
    expect(r.scenario.loDay).toBe(3);
  });

  it('returns zero for a zero portfolio', () => {
    const r = historicalVar(twoAssets, new Float64Array(2));
    expect(r.var).toBe(0);
    expect([...r.components]).toEqual([0, 0]);
  });

  it('scales linearly with the exposures (positive homogeneity)', () => {
    const m = syntheticReturns({ symbols: ['A', 'B', 'C', 'D', 'E'], days: 250, seed: 11 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (e, k) => {
        const base = historicalVar(m, e).var;
        expect(historicalVar(m, e.map((x) => x * k)).var).toBeCloseTo(base * k, 6);
      }),
      { numRuns: 50 },
    );
  });

  it('does not change when a perfectly hedged pair is added', () => {
    const hedgeRow = [0.02, -0.03, 0.01, 0.04, -0.05, 0.0, 0.01, -0.02, 0.03, 0.0];
    const withPair = returnsMatrixFromRows(['A', 'B', 'L', 'S'], [A, B, hedgeRow, hedgeRow]);
    const r = historicalVar(withPair, Float64Array.of(1000, 500, 250_000, -250_000), { confidence: 0.9 });
    expect(r.var).toBeCloseTo(20.5, 8);
    expect(r.components[2]! + r.components[3]!).toBeCloseTo(0, 8);
  });

  it('attributes the whole VaR: components sum to the total', () => {
    const m = syntheticReturns({ symbols: ['A', 'B', 'C', 'D'], days: 500, seed: 3, tailDof: 4 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.constantFrom(0.95, 0.975, 0.99), (e, confidence) => {
        const r = historicalVar(m, e, { confidence });
        expect(sum(r.components)).toBeCloseTo(r.var, 6);
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ['a confidence outside (0.5, 1)', () => historicalVar(twoAssets, exposures, { confidence: 1.2 }), RiskErrorCode.INVALID_PARAMETER],
    ['a window longer than the history', () => historicalVar(twoAssets, exposures, { window: 11 }), RiskErrorCode.INVALID_PARAMETER],
    ['exposures of the wrong length', () => historicalVar(twoAssets, Float64Array.of(1)), RiskErrorCode.SHAPE_MISMATCH],
    ['a NaN exposure', () => historicalVar(twoAssets, Float64Array.of(1, Number.NaN)), RiskErrorCode.NON_FINITE_INPUT],
    ['a NaN return', () => returnsMatrix(['A'], 2, Float64Array.of(0.01, Number.NaN)), RiskErrorCode.NON_FINITE_INPUT],
    ['a matrix of the wrong size', () => returnsMatrix(['A', 'B'], 3, new Float64Array(5)), RiskErrorCode.SHAPE_MISMATCH],
  ])('refuses %s', (_name, act, code) => {
    expect(act).toThrow(expect.objectContaining({ code }));
  });
});
