import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { covarianceMatrix } from '../../../lib/core/risk/covariance.js';
import { parametricVar, parametricVarFromCovariance } from '../../../lib/core/risk/var-parametric.js';
import { returnsMatrixFromRows } from '../../../lib/core/risk/returns-matrix.js';
import { syntheticReturns } from '../../../lib/core/risk/synthetic-returns.js';

const Z99 = 2.3263478740408408;
const sum = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0);

describe('parametricVar', () => {
  it('computes the hand-worked VaR of two uncorrelated assets', () => {
    // Means 0; var_A = var_B = 4·(1 %)² / 3; cov_AB = (1 − 1 − 1 + 1)·(1 %)² / 3 = 0.
    // σₚ² = 1,000²·4e-4/3 + 2,000²·4e-4/3 = 2,000/3.
    const m = returnsMatrixFromRows(['A', 'B'], [[0.01, -0.01, 0.01, -0.01], [0.01, 0.01, -0.01, -0.01]]);
    const r = parametricVar(m, Float64Array.of(1000, 2000));
    const sigma = Math.sqrt(2000 / 3);
    expect(r.sigma).toBeCloseTo(sigma, 10);
    expect(r.var).toBeCloseTo(Z99 * sigma, 9);
    // cᵢ = eᵢ·z·(Σe)ᵢ/σ: A 1,000·1,000·4e-4/3 = 400/3, B 2,000·2,000·4e-4/3 = 1,600/3.
    expect(r.components[0]).toBeCloseTo((Z99 * 400) / 3 / sigma, 9);
    expect(r.components[1]).toBeCloseTo((Z99 * 1600) / 3 / sigma, 9);
    expect(r.marginal[0]).toBeCloseTo((Z99 * 0.4) / 3 / sigma, 12);
  });

  it('weights recent days more with EWMA (RiskMetrics, zero mean)', () => {
    const lambda = 0.94;
    const a = [0.01, -0.02, 0.015, 0.03];
    const m = returnsMatrixFromRows(['A'], [a]);
    const weights = [lambda ** 3, lambda ** 2, lambda, 1];
    const total = sum(weights);
    const variance = a.reduce((s, r, t) => s + (weights[t]! / total) * (1e6 * r) ** 2, 0);
    const r = parametricVar(m, Float64Array.of(1e6), { estimator: { kind: 'ewma', lambda } });
    expect(r.sigma).toBeCloseTo(Math.sqrt(variance), 8);
  });

  it.each([{ kind: 'sample' as const }, { kind: 'ewma' as const, lambda: 0.94 }])('matches the explicit covariance route ($kind)', (estimator) => {
    const m = syntheticReturns({ symbols: ['A', 'B', 'C', 'D', 'E', 'F'], days: 120, seed: 5 });
    const e = Float64Array.of(1e5, -2e5, 5e4, 0, 3e5, -1e4);
    const direct = parametricVar(m, e, { estimator, window: 100 });
    const viaCov = parametricVarFromCovariance(covarianceMatrix(m, estimator, 100), e);
    expect(direct.var).toBeCloseTo(viaCov.var, 6);
    for (let i = 0; i < e.length; i++) expect(direct.components[i]).toBeCloseTo(viaCov.components[i]!, 6);
  });

  it('decomposes exactly: components sum to the total (Euler)', () => {
    const m = syntheticReturns({ symbols: ['A', 'B', 'C', 'D', 'E'], days: 250, seed: 8 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.boolean(), (e, ewma) => {
        const r = parametricVar(m, e, { estimator: ewma ? { kind: 'ewma' } : { kind: 'sample' } });
        expect(sum(r.components)).toBeCloseTo(r.var, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('scales linearly with the exposures and is zero for no exposure', () => {
    const m = syntheticReturns({ symbols: ['A', 'B', 'C'], days: 60, seed: 2 });
    const e = Float64Array.of(3e5, -1e5, 2e5);
    expect(parametricVar(m, e.map((x) => x * 7)).var).toBeCloseTo(7 * parametricVar(m, e).var, 6);
    const zero = parametricVar(m, new Float64Array(3));
    expect(zero.var).toBe(0);
    expect([...zero.components]).toEqual([0, 0, 0]);
  });

  it('does not change when a perfectly hedged pair is added', () => {
    const base = syntheticReturns({ symbols: ['A', 'B', 'H'], days: 100, seed: 4 });
    const h = base.data.subarray(200, 300);
    const withPair = returnsMatrixFromRows(['A', 'B', 'L', 'S'], [base.data.subarray(0, 100), base.data.subarray(100, 200), h, h]);
    const e = Float64Array.of(1e5, 2e5);
    expect(parametricVar(withPair, Float64Array.of(1e5, 2e5, 5e6, -5e6)).var).toBeCloseTo(parametricVar(base, Float64Array.of(...e, 0)).var, 6);
  });
});
