import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Account } from '../../../fargate/ib-sim/account.js';
import { fmt, fx, mulQty, type Fixed } from '../../../fargate/ib-sim/fixed.js';

describe('Account', () => {
  it('tracks average cost and realised P&L through a partial close and a flip', () => {
    const a = new Account(fx('10000'));

    a.applyFill({ symbol: 'X', side: 'BUY', qty: 10, price: fx('100'), commission: fx('1') });
    a.applyFill({ symbol: 'X', side: 'BUY', qty: 10, price: fx('110'), commission: fx('1') });
    const close = a.applyFill({ symbol: 'X', side: 'SELL', qty: 5, price: fx('120'), commission: fx('1') });
    const flip = a.applyFill({ symbol: 'X', side: 'SELL', qty: 25, price: fx('90'), commission: fx('1') });

    expect(fmt(close.realized ?? 0n)).toBe('75');
    expect(fmt(flip.realized ?? 0n)).toBe('-225');
    expect(a.position('X').qty).toBe(-10);
    expect(fmt(a.avgCost('X'))).toBe('90');
    expect(fmt(a.cash)).toBe(String(10000 - 1000 - 1100 + 600 + 2250 - 4));
  });

  it('reports no realised P&L for an opening fill', () => {
    const a = new Account(fx('1000'));

    expect(a.applyFill({ symbol: 'X', side: 'SELL', qty: 1, price: fx('10'), commission: 0n }).realized).toBeUndefined();
  });

  it('refuses a non-positive or fractional quantity', () => {
    const a = new Account(fx('1000'));

    expect(() => a.applyFill({ symbol: 'X', side: 'BUY', qty: 0, price: fx('1'), commission: 0n })).toThrow(RangeError);
    expect(() => a.applyFill({ symbol: 'X', side: 'BUY', qty: 1.5, price: fx('1'), commission: 0n })).toThrow(RangeError);
  });

  it('conserves value: cash + positions at mark = start − commissions + realised + unrealised, exactly', () => {
    const fill = fc.record({
      symbol: fc.constantFrom('A', 'B', 'C'),
      side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
      qty: fc.integer({ min: 1, max: 5000 }),
      cents: fc.integer({ min: 1, max: 100_000 }),
      commissionMills: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 60 }), fc.integer({ min: 1, max: 100_000 }), (fills, markCents) => {
        const start = fx('1000000');
        const a = new Account(start);
        let commissions: Fixed = 0n;
        let realizedSum: Fixed = 0n;
        for (const f of fills) {
          const commission = BigInt(f.commissionMills) * fx('0.001');
          commissions += commission;
          const r = a.applyFill({ symbol: f.symbol, side: f.side, qty: f.qty, price: BigInt(f.cents) * fx('0.01'), commission });
          realizedSum += r.realized ?? 0n;
        }
        const mark = (): Fixed => BigInt(markCents) * fx('0.01');
        expect(a.realized()).toBe(realizedSum);
        expect(a.netLiquidation(mark)).toBe(start - commissions + a.realized() + a.unrealized(mark));
        // With every fill at the mark, nothing is gained or lost but commissions.
        const flat = new Account(start);
        for (const f of fills) flat.applyFill({ symbol: f.symbol, side: f.side, qty: f.qty, price: mark(), commission: 0n });
        expect(flat.netLiquidation(mark)).toBe(start);
        expect(flat.stockMarketValue(mark)).toBe(['A', 'B', 'C'].reduce((v, s) => v + mulQty(mark(), flat.position(s).qty), 0n));
      }),
    );
  });

  it('round-trips through its persisted state', () => {
    const a = new Account(fx('5000'));
    a.applyFill({ symbol: 'X', side: 'BUY', qty: 3, price: fx('12.34'), commission: fx('1') });

    const b = Account.restore(JSON.parse(JSON.stringify(a.toState())));

    expect(b.toState()).toEqual(a.toState());
  });
});

describe('fixed-point helpers', () => {
  it('parses and prints decimals without float drift', () => {
    expect(fmt(fx('0.1') + fx('0.2'))).toBe('0.3');
    expect(fmt(fx('-187.250'))).toBe('-187.25');
    expect(() => fx('1e5')).toThrow(RangeError);
    expect(() => fx('0.000000001')).toThrow(RangeError);
  });
});
