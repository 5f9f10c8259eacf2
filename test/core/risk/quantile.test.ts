import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lowerQuantile } from '../../../lib/core/risk/quantile.js';
import { RiskErrorCode } from '../../../lib/core/risk/errors.js';

/** Type-7 quantile by sorting — the definition, written independently of the selection code. */
function type7(xs: readonly number[], alpha: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = alpha * (s.length - 1);
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

describe('lowerQuantile', () => {
  it('interpolates between the order statistics around h = α(n − 1)', () => {
    // Sorted: −5 (#0), −2 (#2), 1 (#1), 3 (#3); α = 0.5 → h = 1.5, halfway from −2 to 1.
    const q = lowerQuantile(Float64Array.of(-5, 1, -2, 3), 0.5);
    expect(q).toEqual({ value: -0.5, loIndex: 2, hiIndex: 1, weight: 0.5 });
  });

  it('returns the order statistic itself when h is an integer', () => {
    // n = 5, α = 0.25 → h = 1: the second smallest, no interpolation.
    expect(lowerQuantile([4, 0, 9, -1, 2], 0.25)).toEqual({ value: 0, loIndex: 1, hiIndex: 1, weight: 0 });
  });

  it('gives the minimum at α = 0 and the maximum at α = 1', () => {
    expect(lowerQuantile([3, -7, 2], 0).value).toBe(-7);
    expect(lowerQuantile([3, -7, 2], 1).value).toBe(3);
    expect(lowerQuantile([42], 0.01)).toEqual({ value: 42, loIndex: 0, hiIndex: 0, weight: 0 });
  });

  it('maps tied values to distinct, earliest scenario indices', () => {
    const q = lowerQuantile([5, -1, 7, -1, 9], 0.125); // h = 0.5: between the two −1s
    expect(q.value).toBe(-1);
    expect([q.loIndex, q.hiIndex]).toEqual([1, 3]);
  });

  it('leaves its input unchanged', () => {
    const xs = Float64Array.of(3, 1, 2, -4, 0);
    lowerQuantile(xs, 0.3);
    expect([...xs]).toEqual([3, 1, 2, -4, 0]);
  });

  it('agrees with the sorted-sample definition and points at scenarios holding the order statistics', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, alpha) => {
        const q = lowerQuantile(xs, alpha);
        expect(q.value).toBeCloseTo(type7(xs, alpha), 6);
        expect((1 - q.weight) * xs[q.loIndex]! + q.weight * xs[q.hiIndex]!).toBeCloseTo(q.value, 6);
      }),
    );
  });

  it('finds the same order statistics by insertion (deep tail) and by selection, ties included', () => {
    // Up to 2,000 values drawn from few distinct ones (many ties), α across both sides of the
    // insertion cut-off (lo + 2 ≤ 32 keeps the smallest values, beyond it quickselect).
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 2000 }), fc.double({ min: 0, max: 0.08, noNaN: true }), (ints, alpha) => {
        const xs = ints.map((k) => k * 0.37);
        const q = lowerQuantile(xs, alpha);
        const sorted = [...xs].sort((a, b) => a - b);
        const lo = Math.floor(alpha * (xs.length - 1));
        expect(xs[q.loIndex]).toBe(sorted[lo]);
        if (q.weight > 0) {
          expect(xs[q.hiIndex]).toBe(sorted[lo + 1]);
          expect(q.hiIndex).not.toBe(q.loIndex);
        }
        expect(q.value).toBeCloseTo(type7(xs, alpha), 9);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an empty sample and α outside [0, 1]', () => {
    expect(() => lowerQuantile([], 0.01)).toThrow(expect.objectContaining({ code: RiskErrorCode.INVALID_PARAMETER }));
    expect(() => lowerQuantile([1], 1.5)).toThrow(expect.objectContaining({ code: RiskErrorCode.INVALID_PARAMETER }));
  });
});
