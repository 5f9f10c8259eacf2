import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOrder } from '../../../lib/core/pretrade/check.js';
import { prepareContext, type ContextOrder, type PretradeContextInput } from '../../../lib/core/pretrade/context.js';
import { reducesExposure } from '../../../lib/core/pretrade/exposure.js';
import { prepareOrder, type PretradeOrderInput } from '../../../lib/core/pretrade/order.js';
import { EXPOSURE_REASONS } from '../../../lib/core/pretrade/reason-codes.js';
import { NOW, NOW_MS } from './fixtures.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;
const money = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
const cents = (min: number, max: number) => fc.integer({ min, max });

const quoteArb = (symbol: string) =>
  fc.record({ mid: cents(100, 100_000), spread: cents(1, 50), hasLast: fc.boolean(), hasQuote: fc.double({ min: 0, max: 1, noNaN: true }) }).map(({ mid, spread, hasLast, hasQuote }) =>
    hasQuote < 0.1 ? undefined : { symbol, bid: money(mid), ask: money(mid + spread), ...(hasLast ? { last: money(mid + Math.floor(spread / 2)) } : {}) },
  );

const workingArb: fc.Arbitrary<ContextOrder> = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  quantity: fc.integer({ min: 1, max: 500 }),
  isMarket: fc.boolean(),
  price: cents(100, 100_000),
  agoMs: fc.integer({ min: 0, max: 60_000 }),
  id: fc.integer({ min: 0, max: 1_000_000 }),
}).map((w) => ({ clientOrderId: `W-${w.id}`, symbol: w.symbol, side: w.side, quantity: w.quantity, filledQuantity: 0, type: w.isMarket ? 'MKT' : 'LMT', ...(w.isMarket ? {} : { limitPrice: money(w.price) }), status: 'ACCEPTED', createdAt: new Date(NOW_MS - w.agoMs).toISOString(), origin: { strategyId: 's1' } }));

const contextArb: fc.Arbitrary<PretradeContextInput> = fc.record({
  tradingMode: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const, 'HALTED' as const),
  positions: fc.tuple(...SYMBOLS.map(() => fc.integer({ min: -2000, max: 2000 }))),
  quotes: fc.tuple(...SYMBOLS.map((s) => quoteArb(s))),
  working: fc.array(workingArb, { maxLength: 8 }),
  maxOrderQuantity: fc.integer({ min: 1, max: 3000 }),
  maxOrderNotional: cents(100, 50_000_000),
  collar: fc.integer({ min: 1, max: 2000 }),
  maxPos: cents(100, 100_000_000),
  maxGross: cents(100, 500_000_000),
  maxNet: cents(100, 500_000_000),
  dailyLoss: cents(100, 5_000_000),
  varLimit: cents(100, 10_000_000),
  netLiq: cents(-1_000_000, 200_000_000),
  buyingPower: cents(0, 400_000_000),
  pnl: cents(-10_000_000, 10_000_000),
  varNow: fc.option(cents(0, 10_000_000)),
  messages: fc.integer({ min: 0, max: 60 }),
  shorting: fc.boolean(),
  restricted: fc.subarray([...SYMBOLS]),
  activity: fc.array(fc.record({ symbol: fc.constantFrom(...SYMBOLS), orders: fc.integer({ min: 0, max: 300 }), cancels: fc.integer({ min: 0, max: 300 }), fills: fc.integer({ min: 0, max: 20 }) }), { maxLength: 3 }),
}).map((g) => ({
  asOf: NOW,
  tradingMode: g.tradingMode,
  limits: {
    maxOrderQuantity: g.maxOrderQuantity,
    maxOrderNotional: money(g.maxOrderNotional),
    priceCollarBps: g.collar,
    maxPositionNotionalPerInstrument: money(g.maxPos),
    maxGrossExposure: money(g.maxGross),
    maxNetExposure: money(g.maxNet),
    dailyLossLimit: money(g.dailyLoss),
    varLimit: money(g.varLimit),
  },
  compliance: { shortSellingEnabled: g.shorting },
  account: { netLiquidation: money(g.netLiq), buyingPower: money(g.buyingPower) },
  positions: SYMBOLS.map((symbol, i) => ({ symbol, quantity: g.positions[i]!, avgCost: '50' })),
  quotes: g.quotes.filter((q) => q !== undefined),
  workingOrders: g.working,
  dailyPnl: { realized: money(g.pnl), unrealized: '0' },
  ...(g.varNow === null ? {} : { var: { current: money(g.varNow) } }),
  messagesInWindow: g.messages,
  restrictedSymbols: g.restricted,
  orderActivity: g.activity.map((a) => ({ ...a, strategyId: 's1' })),
}));

const orderArb: fc.Arbitrary<PretradeOrderInput> = fc.record({
  symbol: fc.constantFrom(...SYMBOLS, 'ZZZ'),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  quantity: fc.integer({ min: 1, max: 4000 }),
  isMarket: fc.boolean(),
  price: cents(1, 120_000),
  marginalVar: fc.option(cents(-1_000_000, 1_000_000)),
  locate: fc.boolean(),
}).map((o) => ({ clientOrderId: 'P-1', symbol: o.symbol, side: o.side, quantity: o.quantity, type: o.isMarket ? 'MKT' : 'LMT', ...(o.isMarket ? {} : { limitPrice: money(o.price) }), strategyId: 's1', locate: o.locate, ...(o.marginalVar === null ? {} : { marginalVar: money(o.marginalVar) }) }));

/** The position and same-side working quantity the order meets, read from the raw inputs. */
function independentReduces(order: PretradeOrderInput, ctx: PretradeContextInput): boolean {
  const position = ctx.positions.find((p) => p.symbol === order.symbol)?.quantity ?? 0;
  const working = ctx.workingOrders.filter((w) => w.symbol === order.symbol && w.side === order.side).reduce((s, w) => s + w.quantity - (w.filledQuantity ?? 0), 0);
  return reducesExposure(position, order.side === 'BUY' ? 1 : -1, order.quantity, working);
}

const run = (order: PretradeOrderInput, ctx: PretradeContextInput) => checkOrder(prepareOrder(order), prepareContext(ctx));

describe('pre-trade properties', () => {
  it('never throws on valid input, and approves exactly when there is no reason', () => {
    fc.assert(
      fc.property(orderArb, contextArb, (order, ctx) => {
        const r = run(order, ctx);
        expect(r.approved).toBe(r.reasons.length === 0);
        expect(r.reducesExposure).toBe(independentReduces(order, ctx));
        for (const x of [...r.reasons, ...r.warnings]) expect(x.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('never denies a reducing order for exposure, leverage, VaR or daily-loss reasons', () => {
    const reducingArb = fc.tuple(contextArb, fc.constantFrom(...SYMBOLS), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), cents(1, 120_000)).map(([ctx, symbol, frac, isMarket, price]) => {
      const position = ctx.positions.find((p) => p.symbol === symbol)!.quantity || 1;
      const positions = ctx.positions.map((p) => (p.symbol === symbol ? { ...p, quantity: position } : p));
      const side = position > 0 ? ('SELL' as const) : ('BUY' as const);
      const workingOrders = ctx.workingOrders.filter((w) => !(w.symbol === symbol && w.side === side));
      const quantity = Math.max(1, Math.floor(frac * Math.abs(position)));
      const order: PretradeOrderInput = { clientOrderId: 'P-1', symbol, side, quantity, type: isMarket ? 'MKT' : 'LMT', ...(isMarket ? {} : { limitPrice: money(price) }), strategyId: 's1', marginalVar: '1000000' };
      return { order, ctx: { ...ctx, positions, workingOrders } };
    });
    fc.assert(
      fc.property(reducingArb, ({ order, ctx }) => {
        const r = run(order, ctx);
        expect(r.reducesExposure).toBe(true);
        expect(r.reasons.filter((d) => EXPOSURE_REASONS.has(d.code))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('HALTED denies every order', () => {
    fc.assert(
      fc.property(orderArb, contextArb, (order, ctx) => {
        const r = run(order, { ...ctx, tradingMode: 'HALTED' });
        expect(r.approved).toBe(false);
        expect(r.reasons.map((d) => d.code)).toContain('TRADING_STATE.HALTED');
      }),
      { numRuns: 500 },
    );
  });

  it('REDUCING never approves an order that does not reduce exposure', () => {
    fc.assert(
      fc.property(orderArb, contextArb, (order, ctx) => {
        const input = { ...ctx, tradingMode: 'REDUCING' as const };
        const r = run(order, input);
        if (!independentReduces(order, input)) {
          expect(r.approved).toBe(false);
          expect(r.reasons.map((d) => d.code)).toContain('TRADING_STATE.REDUCING_ONLY');
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each(['RISK.MAX_ORDER_QUANTITY', 'RISK.MAX_ORDER_NOTIONAL'])('is monotone in quantity for %s', (code) => {
    fc.assert(
      fc.property(orderArb, contextArb, (order, ctxInput) => {
        const ctx = prepareContext(ctxInput);
        const denied = (q: number) => checkOrder(prepareOrder({ ...order, quantity: q }), ctx).reasons.some((d) => d.code === code);
        if (denied(order.quantity)) expect(denied(order.quantity + 1)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
