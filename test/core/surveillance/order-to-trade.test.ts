import { describe, expect, it } from 'vitest';
import { detectOrderToTrade, orderToTradeAlert } from '../../../lib/core/surveillance/detectors.js';
import { ObservationKind } from '../../../lib/core/surveillance/observation.js';
import { exceedsOrderToTrade, orderToTradeTallyOf } from '../../../lib/core/surveillance/order-to-trade.js';
import { DEFAULT_SURVEILLANCE_RULES as RULES } from '../../../lib/core/surveillance/rules.js';
import { cancelled, fillObs, placed } from './obs.js';

describe('orderToTradeTallyOf', () => {
  it('counts placements, modifications and cancels as order messages and fills as fills, per strategy, symbol and trading day', () => {
    const key = { strategyId: 's1', symbol: 'AAPL', day: '2026-11-26' };
    expect(orderToTradeTallyOf(placed('O1', 'BUY', 1, '10', 0))).toEqual({ key, field: 'orderMessages' });
    expect(orderToTradeTallyOf(cancelled('O1', 'BUY', 1, '10', 0))).toEqual({ key, field: 'orderMessages' });
    expect(orderToTradeTallyOf({ ...placed('O1', 'BUY', 1, '10', 0), kind: ObservationKind.ORDER_MODIFIED })).toEqual({ key, field: 'orderMessages' });
    expect(orderToTradeTallyOf(fillObs('E1', 'BUY', 1, '10', 0))).toEqual({ key, field: 'fills' });
    expect(orderToTradeTallyOf({ ...placed('O1', 'BUY', 1, '10', 0), kind: ObservationKind.ORDER_REJECTED })).toBeUndefined();
  });

  it('puts an evening order in New York on its trading day, not on the next UTC day', () => {
    expect(orderToTradeTallyOf(placed('O1', 'BUY', 1, '10', 9.5 * 3600))?.key.day).toBe('2026-11-26'); // 19:30 New York, 00:30Z on the 27th
  });
});

describe('exceedsOrderToTrade', () => {
  it.each([
    [50, 2, false], [51, 2, true], [51, 0, true], [49, 0, false],
  ])('judges %i messages for %i fills', (orderMessages, fills, over) => {
    expect(exceedsOrderToTrade({ orderMessages, fills }, RULES)).toBe(over);
  });
});

describe('orderToTradeAlert', () => {
  it('is the alert detectOrderToTrade finds when the counters agree with the day', () => {
    const day = [
      ...Array.from({ length: 51 }, (_, i) => placed(`O${i}`, 'BUY', 1, '10', i)),
      fillObs('F1', 'BUY', 1, '10', 60), fillObs('F2', 'BUY', 1, '10', 61),
    ];

    const fromCounters = orderToTradeAlert(day[50]!, { orderMessages: 51, fills: 2 }, day, RULES);

    expect(detectOrderToTrade(day[50]!, day, RULES)).toEqual([fromCounters]);
    expect(fromCounters.evidence.metrics).toMatchObject({ orderMessages: '51', trades: '2', ratio: '25.50' });
  });
});
