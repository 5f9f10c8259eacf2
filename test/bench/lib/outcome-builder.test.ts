import { describe, expect, it } from 'vitest';
import { OutcomeBuilder } from '../../../bench/lib/types.js';

describe('OutcomeBuilder.trend', () => {
  it('is the median of the last fifth over the median of the first, in sample order', () => {
    const rising = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const out = new OutcomeBuilder().trend('40/s', rising).trend('flat', [5, 5, 5, 5, 5]).build();
    expect(out.ratios.map((r) => [r.name, r.value])).toEqual([
      ['40/s: latency trend (p50 last fifth / first fifth)', 9],
      ['flat: latency trend (p50 last fifth / first fifth)', 1],
    ]);
  });
});
