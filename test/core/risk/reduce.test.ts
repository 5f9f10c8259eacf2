import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReducePlanCode, reduceForVarPlan, reducePositionPlan } from '../../../lib/core/risk/reduce.js';
import { parametricVar } from '../../../lib/core/risk/var-parametric.js';
import { historicalVar } from '../../../lib/core/risk/var-historical.js';
import { syntheticReturns } from '../../../lib/core/risk/synthetic-returns.js';

const positions = [
  { symbol: 'AAPL', quantity: 100 },
  { symbol: 'MSFT', quantity: -35 },
  { symbol: 'SPY', quantity: 0 },
];

describe('reducePositionPlan', () => {
  it('sells half of a long for a target of 0.5', () => {
    const plan = reducePositionPlan(positions, { AAPL: '187.20' }, { symbol: 'AAPL', targetFraction: 0.5 });
    expect(plan).toEqual({ ok: true, value: { symbol: 'AAPL', currentQuantity: 100, resultingQuantity: 50, orders: [{ symbol: 'AAPL', side: 'SELL', quantity: 50, reducesExposure: true, estimatedNotional: '9360.00', reason: expect.any(String) }] } });
  });

  it('buys back a short, rounding the cut up to the lot size', () => {
    // 35 short, target 0.5 → cut 17.5 → 20 in lots of 10; 15 left short.
    const plan = reducePositionPlan(positions, {}, { symbol: 'MSFT', targetFraction: 0.5, lotSize: 10 });
    expect(plan.ok && plan.value).toMatchObject({ resultingQuantity: -15, orders: [{ side: 'BUY', quantity: 20 }] });
  });

  it('closes the whole position, odd lot included, for a target of 0', () => {
    const plan = reducePositionPlan(positions, {}, { symbol: 'MSFT', targetFraction: 0, lotSize: 10 });
    expect(plan.ok && plan.value.orders).toEqual([expect.objectContaining({ side: 'BUY', quantity: 35 })]);
  });

  it('does not round 0.3 × 100 up to 31', () => {
    const plan = reducePositionPlan(positions, {}, { symbol: 'AAPL', targetFraction: 0.7 });
    expect(plan.ok && plan.value.orders[0]?.quantity).toBe(30);
  });

  it('plans nothing for a target of 1', () => {
    expect(reducePositionPlan(positions, {}, { symbol: 'AAPL', targetFraction: 1 })).toMatchObject({ ok: true, value: { orders: [] } });
  });

  it('never flips or adds to a position', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }).filter((q) => q !== 0), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 500 }), (q, f, lot) => {
        const plan = reducePositionPlan([{ symbol: 'X', quantity: q }], {}, { symbol: 'X', targetFraction: f, lotSize: lot });
        if (!plan.ok) throw new Error(plan.error.message);
        const { resultingQuantity, orders } = plan.value;
        expect(Math.sign(resultingQuantity) === Math.sign(q) || resultingQuantity === 0).toBe(true);
        expect(Math.abs(resultingQuantity)).toBeLessThanOrEqual(Math.abs(q) * f + 1e-6);
        for (const o of orders) expect(o.side).toBe(q > 0 ? 'SELL' : 'BUY');
      }),
    );
  });

  it.each([
    ['a flat position', { symbol: 'SPY', targetFraction: 0.5 }, ReducePlanCode.NO_POSITION],
    ['an unknown symbol', { symbol: 'NOPE', targetFraction: 0.5 }, ReducePlanCode.NO_POSITION],
    ['a target above 1', { symbol: 'AAPL', targetFraction: 1.5 }, ReducePlanCode.INVALID_TARGET],
    ['a fractional lot size', { symbol: 'AAPL', targetFraction: 0.5, lotSize: 0.5 }, ReducePlanCode.INVALID_LOT_SIZE],
  ])('refuses %s', (_name, request, code) => {
    expect(reducePositionPlan(positions, {}, request)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('reduceForVarPlan', () => {
  const symbols = ['A', 'B', 'C', 'D', 'H'];
  const m = syntheticReturns({ symbols, days: 500, seed: 17, tailDof: 5 });
  const book = [
    { symbol: 'A', quantity: 5000 },
    { symbol: 'B', quantity: 2000, lotSize: 100 },
    { symbol: 'C', quantity: -1000 },
    { symbol: 'D', quantity: 300 },
    { symbol: 'H', quantity: 0 },
    { symbol: 'ZZZ', quantity: 10 },
  ];
  const marks = { A: '100', B: '50', C: '80', D: '200', ZZZ: '1' };

  it.each([
    ['parametric', (e: Float64Array) => parametricVar(m, e)],
    ['historical', (e: Float64Array) => historicalVar(m, e)],
  ])('brings %s VaR back under the warning level by cutting, never flipping', (_name, evaluate) => {
    const start = evaluate(Float64Array.of(500_000, 100_000, -80_000, 60_000, 0)).var;
    const limit = start / 0.95; // utilisation 0.95: var_critical
    const plan = reduceForVarPlan({ positions: book, marks, symbols, evaluate, limit });
    expect(plan.before.utilization).toBeCloseTo(0.95, 9);
    expect(plan.reached).toBe(true);
    expect(plan.after.utilization).toBeLessThan(0.8);
    expect(plan.untouched).toEqual(['ZZZ']);
    for (const o of plan.orders) {
      const held = book.find((p) => p.symbol === o.symbol)!.quantity;
      expect(o.quantity).toBeLessThanOrEqual(Math.abs(held));
      expect(o.side).toBe(held > 0 ? 'SELL' : 'BUY');
    }
    // The first cut is the largest contributor at the start.
    const first = evaluate(Float64Array.of(500_000, 100_000, -80_000, 60_000, 0)).components;
    expect(plan.steps[0]?.symbol).toBe(symbols[first.indexOf(Math.max(...first))]);
  });

  it('plans nothing when VaR is already under the target', () => {
    const evaluate = (e: Float64Array) => parametricVar(m, e);
    const plan = reduceForVarPlan({ positions: book, marks, symbols, evaluate, limit: evaluate(Float64Array.of(500_000, 100_000, -80_000, 60_000, 0)).var * 10 });
    expect(plan).toMatchObject({ reached: true, orders: [], steps: [] });
  });

  it('respects lot sizes in what it cuts', () => {
    const evaluate = (e: Float64Array) => parametricVar(m, e);
    const plan = reduceForVarPlan({ positions: [{ symbol: 'B', quantity: 2000, lotSize: 100 }], marks, symbols, evaluate, limit: evaluate(Float64Array.of(0, 100_000, 0, 0, 0)).var / 0.95 });
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]!.quantity % 100).toBe(0);
    expect(plan.reached).toBe(true);
  });
});
