import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FLAT, aggregatePnl, applyFillToPosition, applyLateCommission, applyTrade, averageCost, isFlat, markPosition, unrealizedAt, type PositionLedger, type Trade,
} from '../../../lib/core/positions/pnl.js';
import { ZERO, add, fromUnits, mulInt, neg, parseDecimal, sub, toDecimalString, type Fixed } from '../../../lib/core/money/fixed.js';
import { PositionSchema, type Position } from '../../../lib/core/positions/position.js';
import { aFill } from '../builders.js';

const D = parseDecimal;
const s = toDecimalString;
const run = (trades: readonly Trade[], from: PositionLedger = FLAT): PositionLedger => trades.reduce((l, t) => applyTrade(l, t).ledger, from);
/** Σ cash flows: a buy pays q × p + commission, a sell receives q × p − commission. */
const cashFlow = (trades: readonly Trade[]): Fixed =>
  trades.reduce((acc, t) => {
    const notional = mulInt(t.price, t.quantity);
    return sub(t.side === 'BUY' ? sub(acc, notional) : add(acc, notional), t.commission ?? ZERO);
  }, ZERO);

const priceArb = fc.integer({ min: 1, max: 100_000_000 }).map((n) => fromUnits(BigInt(n) * 100_000_000n)); // 0.01 … 1,000,000 in cents
const oddPriceArb = fc.bigInt({ min: 1n, max: 10n ** 16n }).map(fromUnits); // any 10-place price up to 1,000,000
const tradeArb: fc.Arbitrary<Trade> = fc.record({
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  quantity: fc.integer({ min: 1, max: 5_000 }),
  price: fc.oneof(priceArb, oddPriceArb),
  commission: fc.option(fc.bigInt({ min: 0n, max: 100_000_000_000n }).map(fromUnits), { nil: undefined }),
});

describe('applyTrade', () => {
  it('opens, adds to and reduces a long with average cost and realised P&L', () => {
    let l = run([{ side: 'BUY', quantity: 10, price: D('100') }, { side: 'BUY', quantity: 30, price: D('104') }]);
    expect([l.quantity, s(l.costBasis), s(averageCost(l))]).toEqual([40, '4120', '103']);
    const r = applyTrade(l, { side: 'SELL', quantity: 10, price: D('110') });
    l = r.ledger;
    expect([l.quantity, s(l.costBasis), s(r.realized), s(l.realized), s(averageCost(l))]).toEqual([30, '3090', '70', '70', '103']);
  });

  it('handles a short: selling opens, buying back realises', () => {
    const short = run([{ side: 'SELL', quantity: 5, price: D('50') }]);
    expect([short.quantity, s(short.costBasis), s(averageCost(short))]).toEqual([-5, '-250', '50']);
    const r = applyTrade(short, { side: 'BUY', quantity: 5, price: D('45') });
    expect([r.ledger.quantity, s(r.realized), isFlat(r.ledger)]).toEqual([0, '25', true]);
  });

  it('flips long to short through zero, realising only the closed part', () => {
    const long = run([{ side: 'BUY', quantity: 10, price: D('100') }]);
    const r = applyTrade(long, { side: 'SELL', quantity: 15, price: D('110'), commission: D('3') });
    expect(r).toMatchObject({ closedQuantity: 10, openedQuantity: 5 });
    // commission 3 split 2 (closing 10/15) : 1 (opening 5/15)
    expect([r.ledger.quantity, s(r.realized), s(r.ledger.costBasis), s(averageCost(r.ledger))]).toEqual([-5, '98', '-549', '109.8']);
  });

  it('flips short to long through zero', () => {
    const r = applyTrade(run([{ side: 'SELL', quantity: 4, price: D('20') }]), { side: 'BUY', quantity: 10, price: D('18') });
    expect([r.ledger.quantity, s(r.realized), s(r.ledger.costBasis)]).toEqual([6, '8', '108']);
  });

  it('puts an opening commission into the cost and a closing one against realised P&L', () => {
    const l = run([{ side: 'BUY', quantity: 100, price: D('10'), commission: D('1') }]);
    expect(s(averageCost(l))).toBe('10.01');
    const r = applyTrade(l, { side: 'SELL', quantity: 100, price: D('11'), commission: D('1') });
    expect(s(r.realized)).toBe('98');
  });

  it('leaves no cost behind when a position closes after uneven partial closes', () => {
    let l = run([{ side: 'BUY', quantity: 3, price: D('10') }, { side: 'BUY', quantity: 4, price: D('10.01') }]);
    for (const q of [1, 2, 4]) l = applyTrade(l, { side: 'SELL', quantity: q, price: D('10.5') }).ledger;
    expect(isFlat(l)).toBe(true);
    expect(s(l.realized)).toBe(s(sub(mulInt(D('10.5'), 7), add(mulInt(D('10'), 3), mulInt(D('10.01'), 4)))));
  });

  it('keeps realised + unrealised equal to cash-flow P&L for any fill sequence, exactly', () => {
    fc.assert(fc.property(fc.array(tradeArb, { minLength: 1, maxLength: 60 }), fc.oneof(priceArb, oddPriceArb), (trades, mark) => {
      const l = run(trades);
      const qty = trades.reduce((q, t) => q + (t.side === 'BUY' ? t.quantity : -t.quantity), 0);
      return l.quantity === qty && add(l.realized, unrealizedAt(l, mark)) === add(cashFlow(trades), mulInt(mark, qty));
    }), { numRuns: 400 });
  });

  it('leaves zero cost basis whenever the position is flat', () => {
    fc.assert(fc.property(fc.array(tradeArb, { minLength: 1, maxLength: 40 }), (trades) => {
      let l = FLAT;
      for (const t of trades) {
        l = applyTrade(l, t).ledger;
        if (l.quantity === 0 && l.costBasis !== ZERO) return false;
      }
      return true;
    }), { numRuns: 300 });
  });

  it('does not depend on the order of fills at one price', () => {
    const samePrice = fc.tuple(priceArb, fc.array(fc.record({ side: fc.constantFrom('BUY' as const, 'SELL' as const), quantity: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1, maxLength: 25 }));
    fc.assert(fc.property(samePrice, fc.infiniteStream(fc.nat()).map((st) => [...st.take(25)]), ([price, legs], perm) => {
      const trades = legs.map((l) => ({ ...l, price }));
      const shuffled = [...trades].sort((a, b) => (perm[trades.indexOf(a)] ?? 0) - (perm[trades.indexOf(b)] ?? 0));
      const a = run(trades);
      const b = run(shuffled);
      return a.quantity === b.quantity && a.costBasis === b.costBasis && a.realized === b.realized && a.realized === ZERO && a.costBasis === mulInt(price, a.quantity);
    }), { numRuns: 300 });
  });

  it('does not depend on the order of fills that only add to a position', () => {
    fc.assert(fc.property(fc.constantFrom('BUY' as const, 'SELL' as const), fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 1000 }), price: oddPriceArb, commission: fc.constant(undefined) }), { minLength: 2, maxLength: 20 }), (side, legs) => {
      const trades = legs.map((l) => ({ ...l, side }));
      const a = run(trades);
      const b = run([...trades].reverse());
      return a.costBasis === b.costBasis && a.quantity === b.quantity && a.realized === ZERO;
    }));
  });

  it('realises the same total on a flip as a close followed by an open', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), priceArb, priceArb, (held, extra, entry, exit) => {
      const long = run([{ side: 'BUY', quantity: held, price: entry }]);
      const flip = applyTrade(long, { side: 'SELL', quantity: held + extra, price: exit });
      const twoStep = run([{ side: 'SELL', quantity: held, price: exit }, { side: 'SELL', quantity: extra, price: exit }], long);
      return flip.ledger.quantity === -extra && flip.ledger.realized === twoStep.realized && flip.ledger.costBasis === twoStep.costBasis
        && flip.realized === mulInt(sub(exit, entry), held) && flip.ledger.costBasis === neg(mulInt(exit, extra));
    }));
  });
});

describe('position records', () => {
  const base = { account: 'DU1234567', symbol: 'AAPL', currency: 'USD' };

  it('builds and updates a position from fills, exact and schema-valid', () => {
    let p = applyFillToPosition(undefined, aFill({ side: 'BUY', quantity: 3, price: '100', commission: '1' }));
    p = applyFillToPosition(p, aFill({ side: 'BUY', quantity: 3, price: '100.01' }));
    expect(PositionSchema.parse(p)).toEqual(p);
    expect(p).toMatchObject({ ...base, quantity: 6, costBasis: '601.03', avgCost: '100.1716666667', realizedPnl: '0' });
    p = applyFillToPosition(p, aFill({ side: 'SELL', quantity: 6, price: '101', executedAt: '2026-11-26T15:00:00.000Z' }));
    expect(p).toMatchObject({ quantity: 0, costBasis: '0', avgCost: '0', realizedPnl: '4.97', updatedAt: '2026-11-26T15:00:00.000Z' });
  });

  it('values a position at a mark and keeps the mark across fills', () => {
    let p = markPosition(applyFillToPosition(undefined, aFill({ quantity: 10, price: '100' })), '101.5');
    expect(p).toMatchObject({ marketPrice: '101.5', marketValue: '1015', unrealizedPnl: '15' });
    p = applyFillToPosition(p, aFill({ side: 'SELL', quantity: 4, price: '102' }));
    expect(p).toMatchObject({ quantity: 6, marketValue: '609', unrealizedPnl: '9', realizedPnl: '8' });
  });

  it('values a short with negative market value', () => {
    const p = markPosition(applyFillToPosition(undefined, aFill({ side: 'SELL', quantity: 10, price: '50' })), '48');
    expect(p).toMatchObject({ quantity: -10, marketValue: '-480', unrealizedPnl: '20', avgCost: '50' });
  });

  it('reads a broker snapshot without cost basis from its average cost', () => {
    const snapshot = PositionSchema.parse({ ...base, quantity: 10, avgCost: '187.3', realizedPnl: '0', updatedAt: '2026-11-26T14:00:00.000Z' });
    expect(markPosition(snapshot, '190').unrealizedPnl).toBe('27');
  });

  it('charges a late commission to realised P&L', () => {
    const p = applyLateCommission(applyFillToPosition(undefined, aFill({ quantity: 10, price: '100' })), '1.25');
    expect(p).toMatchObject({ realizedPnl: '-1.25', avgCost: '100' });
  });

  it('refuses a fill for another symbol or account', () => {
    const p = applyFillToPosition(undefined, aFill());
    expect(() => applyFillToPosition(p, aFill({ symbol: 'MSFT' }))).toThrow(expect.objectContaining({ code: 'POSITION.FILL_MISMATCH' }));
    expect(() => applyFillToPosition(p, aFill({ account: 'DU999' }))).toThrow(expect.objectContaining({ code: 'POSITION.FILL_MISMATCH' }));
  });

  it('aggregates P&L and exposure, listing unmarked positions', () => {
    const aapl = markPosition(applyFillToPosition(undefined, aFill({ quantity: 10, price: '100' })), '110');
    const msft = markPosition(applyFillToPosition(undefined, aFill({ symbol: 'MSFT', side: 'SELL', quantity: 5, price: '400' })), '390');
    const closed = applyFillToPosition(applyFillToPosition(undefined, aFill({ symbol: 'IBM', quantity: 1, price: '10' })), aFill({ symbol: 'IBM', side: 'SELL', quantity: 1, price: '12' }));
    const unmarked = applyFillToPosition(undefined, aFill({ symbol: 'NVDA', quantity: 1, price: '10' }));
    expect(aggregatePnl([aapl, msft, closed, unmarked] as Position[])).toEqual({
      currency: 'USD', realizedPnl: '2', unrealizedPnl: '150', totalPnl: '152', marketValue: '-850', grossExposure: '3050', positions: 4, unmarked: ['NVDA'],
    });
    expect(aggregatePnl([])).toMatchObject({ currency: undefined, totalPnl: '0', positions: 0 });
  });

  it('refuses to sum currencies', () => {
    const usd = applyFillToPosition(undefined, aFill());
    const eur = applyFillToPosition(undefined, aFill({ symbol: 'SAP', currency: 'EUR' }));
    expect(() => aggregatePnl([usd, eur])).toThrow(expect.objectContaining({ code: 'POSITION.MIXED_CURRENCIES' }));
  });
});
