import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentile, ratio, summarize } from '../../../bench/lib/stats.js';

describe('percentile', () => {
  it('returns the nearest-rank value of sorted samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.9)).toBe(90);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('rounds the rank up on small samples', () => {
    expect(percentile([10, 20, 30], 0.5)).toBe(20);
    expect(percentile([10, 20, 30], 0.99)).toBe(30);
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
  });

  it('refuses no samples and ranks outside [0, 1]', () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('summarises unsorted samples without reordering them', () => {
    const samples = [5, 1, 4, 2, 3];
    const d = summarize('x', samples, 'ms');
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(d).toMatchObject({ name: 'x', unit: 'ms', n: 5, mean: 3, min: 1, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(d.tailRatio).toBeCloseTo(5 / 3);
  });

  it('refuses no samples and non-finite samples', () => {
    expect(() => summarize('x', [], 'ms')).toThrow(/no samples/);
    expect(() => summarize('x', [1, Number.NaN], 'ms')).toThrow(/non-finite/);
    expect(() => summarize('x', [1, Infinity], 'ms')).toThrow(/non-finite/);
  });

  it('reports no tail ratio when the median is zero', () => {
    expect(summarize('x', [0, 0, 1], 'ns').tailRatio).toBeNull();
  });

  it('keeps min ≤ p50 ≤ p90 ≤ p99 ≤ max and min ≤ mean ≤ max for any samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
        const d = summarize('p', xs, 'ms');
        expect(d.n).toBe(xs.length);
        expect(d.min).toBeLessThanOrEqual(d.p50);
        expect(d.p50).toBeLessThanOrEqual(d.p90);
        expect(d.p90).toBeLessThanOrEqual(d.p99);
        expect(d.p99).toBeLessThanOrEqual(d.max);
        // Summation rounding may put the mean a hair outside [min, max]; allow one ulp-scale slack.
        expect(d.mean).toBeGreaterThanOrEqual(d.min - 1e-6);
        expect(d.mean).toBeLessThanOrEqual(d.max + 1e-6);
        expect(xs).toContain(d.p50);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ratio', () => {
  it('divides, and gives undefined for a zero or non-finite operand', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(Infinity, 2)).toBeUndefined();
  });
});
