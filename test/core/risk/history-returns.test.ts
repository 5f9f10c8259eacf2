import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { returnsFromCloses } from '../../../lib/core/risk/history-returns.js';
import { RiskErrorCode } from '../../../lib/core/risk/errors.js';
import { mergeCloses, type DailyClose } from '../../../lib/core/market/price-history.js';

/** Days d00 … dNN (strings sort like the calendar days they stand for). */
const day = (i: number): string => `2026-01-${String(i + 1).padStart(2, '0')}`;
const series = (prices: ReadonlyArray<string | number>, start = 0): DailyClose[] => prices.map((p, i) => ({ day: day(start + i), close: String(p) }));
const row = (m: { days: number; data: Float64Array }, i: number): number[] => Array.from(m.data.subarray(i * m.days, (i + 1) * m.days));

describe('returnsFromCloses', () => {
  it('computes simple returns over the last window of closes, aligned by day', () => {
    // Prepare: A 100 → 110 → 99 → 99; B 50 → 50 → 55 → 44
    const h = new Map([
      ['A', series(['100', '110', '99', '99'])],
      ['B', series(['50', '50', '55', '44'])],
    ]);
    // Act
    const r = returnsFromCloses(h, ['A', 'B'], { window: 3 });
    // Assess
    expect(r.covered).toEqual(['A', 'B']);
    expect(r.gaps).toEqual([]);
    expect(r.from).toBe(day(0));
    expect(r.asOf).toBe(day(3));
    expect(row(r.matrix!, 0).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.1, -0.1, 0]);
    expect(row(r.matrix!, 1).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0, 0.1, -0.2]);
  });

  it('uses only the most recent window + 1 closes', () => {
    const r = returnsFromCloses(new Map([['A', series([1, 2, 4, 8, 8])]]), ['A'], { window: 2 });
    expect(r.from).toBe(day(2));
    expect(row(r.matrix!, 0)).toEqual([1, 0]);
  });

  it('marks a symbol with no history, or one too short for the window, as a gap and leaves it out', () => {
    const h = new Map([
      ['OLD', series([10, 11, 12, 13, 14])],
      ['NEW', series([20, 21], 3)],
    ]);
    const r = returnsFromCloses(h, ['OLD', 'NEW', 'NONE'], { window: 4 });
    expect(r.covered).toEqual(['OLD']);
    expect(r.matrix?.symbols).toEqual(['OLD']);
    expect(r.gaps).toEqual([
      { symbol: 'NEW', reason: 'too_short', closesInWindow: 2 },
      { symbol: 'NONE', reason: 'no_history', closesInWindow: 0 },
    ]);
  });

  it('marks every symbol too short when the history holds fewer days than the window needs', () => {
    const r = returnsFromCloses(new Map([['A', series([1, 2, 3])]]), ['A'], { window: 5 });
    expect(r.matrix).toBeUndefined();
    expect(r.window).toBe(0);
    expect(r.from).toBeUndefined();
    expect(r.gaps).toEqual([{ symbol: 'A', reason: 'too_short', closesInWindow: 3 }]);
  });

  it('carries a missing close forward up to maxMissingDays, and refuses a symbol missing more', () => {
    const full = series([100, 101, 102, 103, 104, 105]);
    const holey = full.filter((_, i) => i !== 2 && i !== 3); // misses two days
    const h = new Map([
      ['FULL', full],
      ['HOLEY', holey],
    ]);
    const lenient = returnsFromCloses(h, ['FULL', 'HOLEY'], { window: 5, maxMissingDays: 2 });
    expect(lenient.covered).toEqual(['FULL', 'HOLEY']);
    // day 2 and 3 repeat day 1's close (0 return), day 4 takes the whole move 101 → 104
    expect(row(lenient.matrix!, 1).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.01, 0, 0, Math.round((104 / 101 - 1) * 1e12) / 1e12, Math.round((105 / 104 - 1) * 1e12) / 1e12]);
    const strict = returnsFromCloses(h, ['FULL', 'HOLEY'], { window: 5, maxMissingDays: 1 });
    expect(strict.covered).toEqual(['FULL']);
    expect(strict.gaps).toEqual([{ symbol: 'HOLEY', reason: 'too_many_gaps', closesInWindow: 4 }]);
  });

  it('refuses a window below 2 or a negative gap allowance', () => {
    expect(() => returnsFromCloses(new Map(), ['A'], { window: 1 })).toThrow(expect.objectContaining({ code: RiskErrorCode.INVALID_PARAMETER }));
    expect(() => returnsFromCloses(new Map(), ['A'], { window: 5, maxMissingDays: -1 })).toThrow(expect.objectContaining({ code: RiskErrorCode.INVALID_PARAMETER }));
  });

  // Prices in cents between $1 and $10,000, as decimal strings like the store keeps them.
  const price = fc.integer({ min: 100, max: 1_000_000 }).map((c) => (c / 100).toFixed(2));
  const history = fc.array(price, { minLength: 3, maxLength: 60 });

  it('compounds back to the price change over the window (no return lost or invented)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 2, max: 59 }), (prices, w) => {
        fc.pre(w + 1 <= prices.length);
        const r = returnsFromCloses(new Map([['X', series(prices)]]), ['X'], { window: w });
        const growth = row(r.matrix!, 0).reduce((g, x) => g * (1 + x), 1);
        const expected = Number(prices.at(-1)) / Number(prices.at(-1 - w));
        expect(growth / expected).toBeCloseTo(1, 9);
      }),
    );
  });

  it('keeps the total move when days are missing (carried forward), as long as the gap allowance holds', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { maxLength: 5 }), (prices, drops) => {
        const full = series(prices);
        // never drop the first or the last day: those anchor the window
        const dropped = new Set(drops.map((d) => 1 + (d % Math.max(1, prices.length - 2))).filter((i) => i < prices.length - 1));
        const holey = full.filter((_, i) => !dropped.has(i));
        const w = prices.length - 1;
        const r = returnsFromCloses(new Map([['REF', full], ['H', holey]]), ['REF', 'H'], { window: w, maxMissingDays: 5 });
        expect(r.covered).toEqual(['REF', 'H']);
        const growth = row(r.matrix!, 1).reduce((g, x) => g * (1 + x), 1);
        expect(growth / (Number(prices.at(-1)) / Number(prices[0]))).toBeCloseTo(1, 9);
      }),
    );
  });

  it("gives a symbol the same returns whatever else is asked for with it (alignment does not leak across rows)", () => {
    fc.assert(
      fc.property(history, history, fc.boolean(), (a, b, reversed) => {
        const n = Math.min(a.length, b.length);
        const h = new Map([['A', series(a.slice(0, n))], ['B', series(b.slice(0, n))]]);
        const alone = returnsFromCloses(h, ['A'], { window: n - 1 });
        const both = returnsFromCloses(h, reversed ? ['B', 'A'] : ['A', 'B'], { window: n - 1 });
        expect(both.matrix!.symbols).toEqual(reversed ? ['B', 'A'] : ['A', 'B']);
        expect(row(both.matrix!, reversed ? 1 : 0)).toEqual(row(alone.matrix!, 0));
      }),
    );
  });
});

describe('mergeCloses', () => {
  it('merges by day, oldest first, the later series winning a shared day', () => {
    expect(mergeCloses(series([1, 2, 3]), series([9, 4], 2))).toEqual([...series([1, 2]), { day: day(2), close: '9' }, { day: day(3), close: '4' }]);
  });
});
