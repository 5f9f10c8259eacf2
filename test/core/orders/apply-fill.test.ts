import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFill } from '../../../lib/core/orders/apply-fill.js';
import { FillMismatchError, IllegalOrderTransitionError, OverfillError } from '../../../lib/core/orders/errors.js';
import { divInt, mulInt, parseDecimal, sum, toDecimalString } from '../../../lib/core/money/fixed.js';
import { aFill, anOrder } from '../builders.js';

describe('applyFill', () => {
  it('moves a working order to PARTIALLY_FILLED then FILLED with the weighted average price', () => {
    const order = anOrder({ quantity: 30, version: 3 });
    const a = applyFill(order, aFill({ quantity: 10, price: '100.00' }));
    expect(a).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 10, avgFillPrice: '100', version: 4 });
    const b = applyFill(a, aFill({ quantity: 20, price: '100.15' }));
    expect(b).toMatchObject({ status: 'FILLED', filledQuantity: 30, avgFillPrice: '100.1', filledNotional: '3003', version: 5 });
  });

  it('fills a SUBMITTED order whose acknowledgement has not arrived yet', () => {
    expect(applyFill(anOrder({ status: 'SUBMITTED', quantity: 10 }), aFill({ quantity: 10 })).status).toBe('FILLED');
  });

  it('keeps a cancelled order cancelled on a late partial fill and completes it on a full one', () => {
    const cancelled = anOrder({ status: 'CANCELLED', quantity: 20, filledQuantity: 0 });
    const late = applyFill(cancelled, aFill({ quantity: 5 }));
    expect(late).toMatchObject({ status: 'CANCELLED', filledQuantity: 5 });
    expect(applyFill(late, aFill({ quantity: 15 })).status).toBe('FILLED');
  });

  it('keeps a pending cancel pending on a partial fill', () => {
    expect(applyFill(anOrder({ status: 'PENDING_CANCEL', quantity: 20 }), aFill({ quantity: 5 })).status).toBe('PENDING_CANCEL');
  });

  it('refuses an overfill', () => {
    const order = anOrder({ quantity: 10, filledQuantity: 8, status: 'PARTIALLY_FILLED', avgFillPrice: '187.2' });
    expect(() => applyFill(order, aFill({ quantity: 3 }))).toThrow(OverfillError);
    expect(() => applyFill(order, aFill({ quantity: 3 }))).toThrow(expect.objectContaining({ code: 'ORDER.OVERFILL' }));
  });

  it('refuses a fill for another order, symbol or side', () => {
    expect(() => applyFill(anOrder(), aFill({ clientOrderId: 'CO-OTHER' }))).toThrow(FillMismatchError);
    expect(() => applyFill(anOrder(), aFill({ brokerOrderId: '999' }))).toThrow(FillMismatchError);
    expect(() => applyFill(anOrder(), aFill({ symbol: 'MSFT' }))).toThrow(FillMismatchError);
    expect(() => applyFill(anOrder(), aFill({ side: 'SELL' }))).toThrow(expect.objectContaining({ code: 'ORDER.FILL_MISMATCH' }));
  });

  it('refuses a fill on an order that never reached the broker', () => {
    expect(() => applyFill(anOrder({ status: 'DENIED' }), aFill())).toThrow(IllegalOrderTransitionError);
    expect(() => applyFill(anOrder({ status: 'PROPOSED' }), aFill())).toThrow(IllegalOrderTransitionError);
  });

  it('never moves updatedAt backwards for an out-of-order fill', () => {
    const order = anOrder({ updatedAt: '2026-11-26T15:00:00.000Z' });
    expect(applyFill(order, aFill({ executedAt: '2026-11-26T14:59:00.000Z' })).updatedAt).toBe('2026-11-26T15:00:00.000Z');
  });

  it('averages any fill sequence to the correctly rounded exact average, whatever the order', () => {
    const fillsArb = fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 500 }), cents: fc.integer({ min: 1, max: 100_000_000 }) }), { minLength: 1, maxLength: 30 });
    fc.assert(fc.property(fillsArb, (legs) => {
      const total = legs.reduce((t, l) => t + l.quantity, 0);
      const fills = legs.map((l) => aFill({ quantity: l.quantity, price: toDecimalString(divInt(mulInt(parseDecimal('0.01'), l.cents), 1)) }));
      const forward = fills.reduce(applyFill, anOrder({ quantity: total }));
      const backward = [...fills].reverse().reduce(applyFill, anOrder({ quantity: total }));
      const notional = sum(fills.map((f) => mulInt(parseDecimal(f.price), f.quantity)));
      return forward.status === 'FILLED' && forward.avgFillPrice === toDecimalString(divInt(notional, total)) && backward.avgFillPrice === forward.avgFillPrice && forward.filledNotional === toDecimalString(notional);
    }), { numRuns: 200 });
  });
});
