import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldExecutionFacts } from '../../../lib/core/execution/record.js';
import { orderExecutionQuality, slippageOf } from '../../../lib/core/execution/quality.js';
import { mulInt, parseDecimal, sign, toDecimalString } from '../../../lib/core/money/fixed.js';
import { ID, commission, fill, proposed, submitted } from './facts.js';

describe('orderExecutionQuality', () => {
  it('measures volume-weighted slippage, fill ratio and times for a buy', () => {
    // Prepare: 60 @ 100.10 and 40 @ 100.20 against arrival 100 → avg 100.14 → 14 bps cost
    const r = foldExecutionFacts(ID, [
      proposed(), submitted('2026-11-26T14:30:01.000Z'),
      fill('E1', 60, '100.1', '2026-11-26T14:30:01.250Z'), fill('E2', 40, '100.2', '2026-11-26T14:30:03.000Z'),
      commission('E1', '0.3'), commission('E2', '0.2'),
    ]);

    // Act
    const q = orderExecutionQuality(r);

    // Assess
    expect(toDecimalString(q.avgFillPrice!)).toBe('100.14');
    expect(toDecimalString(q.slippageBps!)).toBe('14');
    expect(toDecimalString(q.slippageCost!)).toBe('14');
    expect(toDecimalString(q.fillRatio!)).toBe('1');
    expect(toDecimalString(q.commission)).toBe('0.5');
    expect(q).toMatchObject({ outcome: 'FILLED', timeToFirstFillMs: 250, timeToCompleteMs: 2000, completedAt: '2026-11-26T14:30:03.000Z' });
  });

  it('counts price improvement on a sell as negative slippage', () => {
    const r = foldExecutionFacts(ID, [proposed({ side: 'SELL' }), submitted(undefined, { side: 'SELL' }), fill('E1', 100, '100.05', '2026-11-26T14:30:02.000Z', { side: 'SELL' })]);

    expect(toDecimalString(orderExecutionQuality(r).slippageBps!)).toBe('-5');
  });

  it('leaves an inconsistent fill out of the figures and names it', () => {
    const r = foldExecutionFacts(ID, [proposed(), submitted(), fill('E1', 10, '100', '2026-11-26T14:30:02.000Z'), fill('E9', 10, '100', '2026-11-26T14:30:02.000Z', { symbol: 'MSFT' })]);

    const q = orderExecutionQuality(r);

    expect(q.filledQuantity).toBe(10);
    expect(q.anomalies).toEqual([expect.stringContaining('ORDER.FILL_MISMATCH: fill E9')]);
  });

  it('has no slippage without an arrival price', () => {
    const r = foldExecutionFacts(ID, [submitted(), fill('E1', 10, '100', '2026-11-26T14:30:02.000Z')]);

    expect(orderExecutionQuality(r).slippageBps).toBeUndefined();
  });
});

describe('slippageOf', () => {
  const price = fc.integer({ min: 1, max: 10_000_000 }).map((cents) => parseDecimal((cents / 100).toFixed(2)));

  it('is a cost for a buy above arrival and a sell below it, and flips sign with the side', () => {
    fc.assert(fc.property(price, price, fc.integer({ min: 1, max: 10_000 }), (arrival, fillPrice, qty) => {
      const notional = mulInt(fillPrice, qty);
      const buy = slippageOf('BUY', arrival, notional, qty)!;
      const sell = slippageOf('SELL', arrival, notional, qty)!;
      const expected = fillPrice > arrival ? 1 : fillPrice < arrival ? -1 : 0;
      expect(sign(buy.bps)).toBe(expected);
      expect(sell.bps).toBe(-buy.bps);
      expect(sell.cost).toBe(-buy.cost);
    }));
  });
});
