import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CioConfig } from '../../../lib/core/cio/config.js';
import { decideOrder, type CioInput } from '../../../lib/core/cio/decide.js';
import { lte, mul, mulInt, parseDecimal } from '../../../lib/core/money/fixed.js';
import { aSignal } from '../../support/builders.js';
import { aQuote, baseConfig, NOW } from './fixtures.js';

const STRATEGIES = ['momentum-1', 'meanrev-1', 'carry-1'] as const;

const decimal = (lo: number, hi: number, dp: number) => fc.integer({ min: lo * 10 ** dp, max: hi * 10 ** dp }).map((n) => (n / 10 ** dp).toFixed(dp));

/** A whole decision input: up to three strategies' views, a position, a market and an account. */
const arbInput = fc
  .record({
    views: fc.array(fc.record({ w: decimal(-1, 1, 4), s: fc.integer({ min: 0, max: 100 }).map((n) => n / 100), b: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 3 }),
    current: fc.integer({ min: -5000, max: 5000 }),
    priceCents: fc.integer({ min: 100, max: 100_000 }),
    netLiq: fc.integer({ min: 1_000, max: 10_000_000 }),
    buyingPower: fc.integer({ min: 0, max: 40_000_000 }),
    lotSize: fc.constantFrom(1, 10, 100),
    maxWeight: decimal(0.01, 0.5, 3),
    mode: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const),
    vol: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n / 1000), { nil: undefined }),
  })
  .map((g): CioInput => {
    const signals = g.views.map((v, i) =>
      aSignal({ strategyId: STRATEGIES[i], symbol: 'XYZ', targetWeight: v.w, direction: Number(v.w) > 0 ? 'LONG' : Number(v.w) < 0 ? 'SHORT' : 'FLAT', strength: v.s, createdAt: '2026-11-26T15:00:00.000Z' }),
    );
    const price = (g.priceCents / 100).toFixed(2);
    const config: CioConfig = {
      ...baseConfig,
      riskBudgets: Object.fromEntries(g.views.map((v, i) => [STRATEGIES[i], v.b])),
      maxWeightPerName: g.maxWeight,
      instruments: { XYZ: { lotSize: g.lotSize, tickSize: '0.01' } },
      minOrderNotional: '0',
      volTargeting: { targetDailyVol: 0.01, maxScale: 3, dailyVolBySymbol: g.vol === undefined ? {} : { XYZ: g.vol } },
    };
    return {
      trigger: signals[0]!,
      signals: signals.slice(1),
      currentQuantity: g.current,
      quote: aQuote('XYZ', price, price),
      account: { netLiquidation: String(g.netLiq), buyingPower: String(g.buyingPower), totalCash: String(g.buyingPower) },
      tradingMode: g.mode,
      config,
      now: NOW,
      correlationId: 'c-prop',
    };
  });

/** The position after the proposed order fills, or undefined when nothing is proposed. */
function after(i: CioInput): number | undefined {
  const d = decideOrder(i);
  if (d.kind === 'skip') return undefined;
  return i.currentQuantity + (d.order.side === 'BUY' ? d.order.quantity : -d.order.quantity);
}

describe('decideOrder — properties', () => {
  it('never flips or grows a position under REDUCING', () => {
    fc.assert(
      fc.property(arbInput, (i0) => {
        const i = { ...i0, tradingMode: 'REDUCING' as const };
        const post = after(i);
        if (post === undefined) return;
        expect(Math.sign(post) * Math.sign(i.currentQuantity)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(post)).toBeLessThan(Math.abs(i.currentQuantity));
      }),
      { numRuns: 500 },
    );
  });

  it('never adds exposure beyond max weight per name', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const post = after(i);
        if (post === undefined || Math.abs(post) <= Math.abs(i.currentQuantity)) return;
        const value = mulInt(parseDecimal(i.quote!.bid!), Math.abs(post));
        const cap = mul(parseDecimal(i.config.maxWeightPerName), parseDecimal(i.account.netLiquidation));
        expect(lte(value, cap)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('proposes quantities that are positive whole multiples of the lot size', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decideOrder(i);
        if (d.kind === 'skip') return;
        const lot = i.config.instruments['XYZ']!.lotSize;
        expect(d.order.quantity).toBeGreaterThan(0);
        expect(d.order.quantity % lot).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('proposes nothing once the position is at the target', () => {
    fc.assert(
      fc.property(arbInput, (i0) => {
        // Capacity ample, so the first order reaches the target to within a lot.
        const i = { ...i0, account: { ...i0.account, buyingPower: '1000000000', totalCash: '1000000000' } };
        const post = after(i);
        if (post === undefined) return;
        expect(after({ ...i, currentQuantity: post })).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('never commits more than the available capacity to an increase', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const post = after(i);
        if (post === undefined) return;
        const flips = Math.sign(post) * Math.sign(i.currentQuantity) < 0;
        const added = flips ? Math.abs(post) : Math.max(0, Math.abs(post) - Math.abs(i.currentQuantity));
        expect(lte(mulInt(parseDecimal(i.quote!.bid!), added), parseDecimal(i.account.buyingPower))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
