import { describe, expect, it } from 'vitest';
import { CioSkip, decideOrder, type CioDecision } from '../../../lib/core/cio/decide.js';
import { proposalClientOrderId } from '../../../lib/core/cio/proposal-id.js';
import { aSignal } from '../../support/builders.js';
import { aQuote, baseConfig, input } from './fixtures.js';

const at = '2026-11-26T15:00:00.000Z';
const mom = (o: Record<string, unknown> = {}) => aSignal({ strategyId: 'momentum-1', createdAt: at, ...o });
const rev = (o: Record<string, unknown> = {}) => aSignal({ strategyId: 'meanrev-1', agentId: 'meanrev-agent', createdAt: at, ...o });

function proposed(d: CioDecision) {
  if (d.kind !== 'propose') throw new Error(`expected a proposal, got ${d.code}: ${d.message}`);
  return d.order;
}
const signedQty = (d: CioDecision) => {
  const o = proposed(d);
  return o.side === 'BUY' ? o.quantity : -o.quantity;
};
const skipped = (d: CioDecision) => (d.kind === 'skip' ? d.code : `proposed ${d.order.side} ${d.order.quantity}`);

describe('decideOrder — netting', () => {
  it.each([
    // W = Σ b·s·w / Σ b with equal budgets; 1 % of 1,000,000 at 200 is 50 sh
    ['one strategy, full strength: s·w = 5 %', [{ w: '0.05', s: 1 }], 0, 250],
    ['strength scales the weight: 2.5 %', [{ w: '0.05', s: 0.5 }], 0, 125],
    ['equal and opposite views cancel: 0 %, closing the open position', [{ w: '0.05', s: 1 }, { w: '-0.05', s: 1 }], 100, -100],
    ['a weak short against a strong long: (0.05 − 0.5·0.02) / 2 = 2 %', [{ w: '0.05', s: 1 }, { w: '-0.02', s: 0.5 }], 0, 100],
    ['a FLAT view dilutes: (0.05 + 0) / 2 = 2.5 %', [{ w: '0.05', s: 1 }, { w: '0', s: 1 }], 0, 125],
  ])('%s', (_name, views, current, expectedDelta) => {
    const [first, second] = views;
    const trigger = mom({ targetWeight: first!.w, strength: first!.s });
    const direction = (w: string) => (Number(w) < 0 ? 'SHORT' : Number(w) > 0 ? 'LONG' : 'FLAT');
    const others = second === undefined ? [] : [rev({ targetWeight: second.w, direction: direction(second.w), strength: second.s })];

    const d = decideOrder(input(trigger, { signals: others, currentQuantity: current }));

    expect(signedQty(d)).toBe(expectedDelta);
  });

  it('weights strategies by their risk budgets', () => {
    const config = { ...baseConfig, riskBudgets: { 'momentum-1': 3, 'meanrev-1': 1 } };
    const d = decideOrder(input(mom({ targetWeight: '0.05' }), { config, signals: [rev({ targetWeight: '-0.05', direction: 'SHORT' })] }));

    // (3·0.05 − 1·0.05) / 4 = 0.025 → 125 sh
    expect(signedQty(d)).toBe(125);
    expect(d.kind === 'propose' && d.sizing.netWeight).toBe('0.025');
  });

  it('gives a direction-only signal the configured direction weight', () => {
    const d = decideOrder(input(mom({ targetWeight: undefined, direction: 'SHORT' })));

    expect(signedQty(d)).toBe(-250);
  });

  it('ignores strategies without a budget', () => {
    const d = decideOrder(input(aSignal({ strategyId: 'stranger', createdAt: at })));

    expect(skipped(d)).toBe(CioSkip.NO_CHANGE);
  });

  it('nets only the latest unexpired signal of each strategy', () => {
    const older = mom({ targetWeight: '0.10', createdAt: '2026-11-26T14:00:00.000Z' });
    const expiredShort = rev({ targetWeight: '-0.05', direction: 'SHORT', horizon: 'intraday', createdAt: '2026-11-25T15:00:00.000Z' });
    const d = decideOrder(input(mom({ targetWeight: '0.02' }), { signals: [older, expiredShort] }));

    expect(signedQty(d)).toBe(100);
    expect(proposed(d).origin!.signalIds).toHaveLength(1);
  });

  it('records every contributing signal, the dominant strategy and a rationale naming each', () => {
    const trigger = mom({ targetWeight: '0.05' });
    const other = rev({ targetWeight: '-0.02', direction: 'SHORT', strength: 0.5 });

    const order = proposed(decideOrder(input(trigger, { signals: [other] })));

    expect(order.origin).toMatchObject({ strategyId: 'momentum-1', agentId: 'cio-agent', agentVersion: '1.2.3' });
    expect([...order.origin!.signalIds].sort()).toEqual([trigger.signalId, other.signalId].sort());
    expect(order.origin!.rationale).toContain('momentum-1');
    expect(order.origin!.rationale).toContain('meanrev-1');
  });

  it("names the origin 'multi' when no strategy holds more than half of the contribution", () => {
    const order = proposed(decideOrder(input(mom({ targetWeight: '0.05' }), { signals: [rev({ targetWeight: '0.05' })] })));

    expect(order.origin!.strategyId).toBe('multi');
  });
});

describe('decideOrder — sizing and caps', () => {
  it('caps the weight at maxWeightPerName', () => {
    expect(signedQty(decideOrder(input(mom({ targetWeight: '0.5' }))))).toBe(500);
  });

  it.each([
    ['scales down a volatile name', 0.02, 125],
    ['scales up a quiet name, at most maxScale', 0.005, 375],
    ['does not lever up a name of unknown volatility', undefined, 250],
  ])('volatility targeting %s', (_name, vol, expected) => {
    const config = { ...baseConfig, volTargeting: { targetDailyVol: 0.01, maxScale: 1.5, dailyVolBySymbol: (vol === undefined ? {} : { AAPL: vol }) as Record<string, number> } };

    expect(signedQty(decideOrder(input(mom(), { config })))).toBe(expected);
  });

  it.each([
    ['buying power limits the increase', { buyingPower: '20000' }, undefined, 'buyingPower', 100],
    ['working orders reserve capacity', { buyingPower: '20000' }, '10000', 'buyingPower', 50],
    ['cash mode uses total cash', { totalCash: '30000' }, undefined, 'cash', 150],
  ] as const)('%s', (_name, account, reserved, capacity, expected) => {
    const d = decideOrder(input(mom(), { account: { netLiquidation: '1000000', buyingPower: '4000000', totalCash: '1000000', ...account }, reservedNotional: reserved, config: { ...baseConfig, capacity } }));

    expect(signedQty(d)).toBe(expected);
  });

  it('reports no capacity when an increase is wanted and nothing is left', () => {
    const d = decideOrder(input(mom(), { currentQuantity: 50, account: { netLiquidation: '1000000', buyingPower: '0', totalCash: '0' } }));

    expect(skipped(d)).toBe(CioSkip.NO_CAPACITY);
  });

  it('lets a reduction through with no capacity left', () => {
    const d = decideOrder(input(mom(), { currentQuantity: 400, account: { netLiquidation: '1000000', buyingPower: '0', totalCash: '0' } }));

    expect(signedQty(d)).toBe(-150);
  });

  it.each([
    ['rounds a buy down to whole lots', 0, 100],
    ['rounds a sell toward zero too', 300, -100],
    ['skips less than one lot', 30, 0],
  ])('%s', (_name, current, expected) => {
    // MSFT: lot 100, mid 400, 5 % → 125 sh
    const d = decideOrder(input(mom({ symbol: 'MSFT' }), { currentQuantity: current, quote: aQuote('MSFT', '399.99', '400.01') }));

    if (expected === 0) expect(skipped(d)).toBe(CioSkip.NO_CHANGE);
    else expect(signedQty(d)).toBe(expected);
  });

  it('skips an order below the minimum notional', () => {
    const tiny = mom({ targetWeight: '0.0003' }); // 1.5 sh → 1 sh = 200 of notional
    expect(signedQty(decideOrder(input(tiny)))).toBe(1);
    expect(skipped(decideOrder(input(tiny, { config: { ...baseConfig, minOrderNotional: '500' } })))).toBe(CioSkip.BELOW_MIN_NOTIONAL);
  });

  it('proposes nothing when the position already is the target', () => {
    expect(skipped(decideOrder(input(mom(), { currentQuantity: 250 })))).toBe(CioSkip.NO_CHANGE);
  });
});

describe('decideOrder — trading state', () => {
  it('proposes nothing while HALTED, even a reduction', () => {
    expect(skipped(decideOrder(input(mom({ targetWeight: '0', direction: 'FLAT' }), { currentQuantity: 100, tradingMode: 'HALTED' })))).toBe(CioSkip.HALTED);
  });

  it.each([
    ['lets a partial reduction through', 300, '0.05', -50],
    ['clips a flip at flat', 100, '-0.05', -100],
    ['clips a short flip at flat', -100, '0.05', 100],
    ['refuses to grow a position', 100, '0.05', 'REDUCING_ONLY'],
    ['refuses to open a position', 0, '0.05', 'REDUCING_ONLY'],
  ] as const)('REDUCING %s', (_name, current, weight, expected) => {
    const d = decideOrder(input(mom({ targetWeight: weight, direction: Number(weight) < 0 ? 'SHORT' : 'LONG' }), { currentQuantity: current, tradingMode: 'REDUCING' }));

    if (typeof expected === 'number') expect(signedQty(d)).toBe(expected);
    else expect(skipped(d)).toBe(CioSkip.REDUCING_ONLY);
  });
});

describe('decideOrder — inputs it refuses to trade on', () => {
  it.each([
    ['an instrument outside the universe', { trigger: mom({ symbol: 'TSLA' }) }, CioSkip.UNKNOWN_INSTRUMENT],
    ['no quote', { quote: undefined }, CioSkip.NO_PRICE],
    ['a crossed quote without a last price', { quote: aQuote('AAPL', '201', '199') }, CioSkip.NO_PRICE],
    ['a non-positive net liquidation', { account: { netLiquidation: '-5', buyingPower: '1', totalCash: '1' } }, CioSkip.NO_NET_LIQUIDATION],
  ] as const)('skips %s', (_name, overrides, code) => {
    const trigger = 'trigger' in overrides ? overrides.trigger : mom();
    expect(skipped(decideOrder(input(trigger, overrides)))).toBe(code);
  });

  it('sizes on the last price when there is no two-sided quote', () => {
    const d = decideOrder(input(mom(), { quote: aQuote('AAPL', '0', '0', { bid: undefined, ask: undefined, last: '250' }) }));

    expect(signedQty(d)).toBe(200);
    expect(proposed(d).arrivalPrice).toBe('250');
  });

  it('skips a trigger superseded by a later signal of its strategy', () => {
    const later = mom({ createdAt: '2026-11-26T15:10:00.000Z' });
    expect(skipped(decideOrder(input(mom(), { signals: [later] })))).toBe(CioSkip.SIGNAL_SUPERSEDED);
  });

  it('skips an expired trigger', () => {
    expect(skipped(decideOrder(input(mom({ horizon: 'intraday', createdAt: '2026-11-25T20:00:00.000Z' }))))).toBe(CioSkip.SIGNAL_EXPIRED);
  });
});

describe('decideOrder — the proposed order', () => {
  it('is a PROPOSED marketable limit at mid ± collar with arrival price = mid', () => {
    const buy = proposed(decideOrder(input(mom())));
    const sell = proposed(decideOrder(input(mom({ targetWeight: '-0.05', direction: 'SHORT' }))));

    expect(buy).toMatchObject({ status: 'PROPOSED', type: 'LMT', side: 'BUY', limitPrice: '200.4', arrivalPrice: '200', tif: 'DAY', correlationId: 'c-trigger', version: 0, filledQuantity: 0 });
    expect(sell).toMatchObject({ side: 'SELL', limitPrice: '199.6', quantity: 250 });
  });

  it('rounds a limit away from the mid onto the tick grid', () => {
    const order = proposed(decideOrder(input(mom(), { quote: aQuote('AAPL', '100.00', '100.01') })));

    // mid 100.005 × 1.002 = 100.20501 → up to 100.21
    expect(order.limitPrice).toBe('100.21');
  });

  it('is a market order without a limit when configured', () => {
    const order = proposed(decideOrder(input(mom(), { config: { ...baseConfig, orderType: 'MKT' } })));

    expect(order.type).toBe('MKT');
    expect(order.limitPrice).toBeUndefined();
  });

  it('is the same for the same inputs, with an id derived from the trigger', () => {
    const trigger = mom();
    const first = decideOrder(input(trigger));
    const again = decideOrder(input(structuredClone(trigger)));
    const other = decideOrder(input(mom()));

    expect(again).toEqual(first);
    expect(proposed(first).clientOrderId).toBe(proposalClientOrderId(trigger));
    expect(proposed(other).clientOrderId).not.toBe(proposed(first).clientOrderId);
  });
});
