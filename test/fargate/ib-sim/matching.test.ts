import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fx } from '../../../fargate/ib-sim/fixed.js';
import { commissionFor, match, type MatchQuote } from '../../../fargate/ib-sim/matching.js';

const quote: MatchQuote = { bid: fx('100.00'), ask: fx('100.02'), bidSize: 300, askSize: 200 };
const tick = fx('0.01');

describe('match', () => {
  it('fills a small market buy at the ask, removing liquidity', () => {
    expect(match({ side: 'BUY', orderType: 'MKT', remaining: 50, resting: false, quote, tick })).toEqual([{ qty: 50, price: fx('100.02'), liquidity: 2 }]);
  });

  it('walks the book for a large market sell, so slippage grows with size', () => {
    const fills = match({ side: 'SELL', orderType: 'MKT', remaining: 700, resting: false, quote, tick });

    expect(fills).toEqual([
      { qty: 300, price: fx('100.00'), liquidity: 2 },
      { qty: 300, price: fx('99.99'), liquidity: 2 },
      { qty: 100, price: fx('99.98'), liquidity: 2 },
    ]);
  });

  it('leaves what five levels cannot absorb for later (partial fill)', () => {
    const fills = match({ side: 'BUY', orderType: 'MKT', remaining: 5000, resting: false, quote, tick });

    expect(fills.reduce((n, f) => n + f.qty, 0)).toBe(1000);
  });

  it('does not fill a limit buy below the ask', () => {
    expect(match({ side: 'BUY', orderType: 'LMT', remaining: 10, limit: fx('100.01'), resting: true, quote, tick })).toEqual([]);
  });

  it('fills a marketable limit at the touch, never beyond its limit', () => {
    const fills = match({ side: 'BUY', orderType: 'LMT', remaining: 1000, limit: fx('100.03'), resting: false, quote, tick });

    expect(fills).toEqual([
      { qty: 200, price: fx('100.02'), liquidity: 2 },
      { qty: 200, price: fx('100.03'), liquidity: 2 },
    ]);
  });

  it('fills a resting limit at its own price once the market crosses it', () => {
    expect(match({ side: 'SELL', orderType: 'LMT', remaining: 100, limit: fx('99.95'), resting: true, quote, tick })).toEqual([{ qty: 100, price: fx('99.95'), liquidity: 1 }]);
  });

  it('never fills more than remaining, nor at a price worse than the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
        fc.constantFrom<'MKT' | 'LMT'>('MKT', 'LMT'),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 9_900, max: 10_100 }),
        fc.boolean(),
        (side, orderType, remaining, limitCents, resting) => {
          const limit = BigInt(limitCents) * tick;
          const fills = match({ side, orderType, remaining, ...(orderType === 'LMT' ? { limit } : {}), resting, quote, tick });
          expect(fills.reduce((n, f) => n + f.qty, 0)).toBeLessThanOrEqual(remaining);
          for (const f of fills) {
            expect(f.qty).toBeGreaterThan(0);
            if (orderType === 'LMT') expect(side === 'BUY' ? f.price <= limit : f.price >= limit).toBe(true);
          }
        },
      ),
    );
  });
});

describe('commissionFor', () => {
  const schedule = { perShare: fx('0.005'), minimum: fx('1'), maxBpsOfValue: 100 };

  it('charges the per-order minimum once, then per share beyond it', () => {
    const first = commissionFor(schedule, 100, fx('10000'), 0n);
    const second = commissionFor(schedule, 300, fx('30000'), first);
    const third = commissionFor(schedule, 1000, fx('100000'), first + second);

    expect([first, second, third]).toEqual([fx('1'), fx('0.5'), fx('3.5')]);
  });

  it('caps commission at 1% of trade value but not below the minimum', () => {
    expect(commissionFor(schedule, 1000, fx('50'), 0n)).toBe(fx('1'));
    expect(commissionFor(schedule, 10000, fx('3000'), 0n)).toBe(fx('30'));
  });
});
