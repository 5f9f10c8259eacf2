import { describe, expect, it } from 'vitest';
import { aWorkingOrder, check, codes, NOW, NOW_MS, warningCodes } from './fixtures.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('compliance rules', () => {
  describe('restricted list', () => {
    it('denies a restricted symbol and passes others', () => {
      const r = check({}, { restrictedSymbols: ['AAPL'] });
      expect(r.reasons).toEqual([{ code: 'COMPLIANCE.RESTRICTED_INSTRUMENT', message: 'AAPL is on the restricted list' }]);
      expect(check({}, { restrictedSymbols: ['IBM'] }).approved).toBe(true);
    });
  });

  describe('blackout windows [from, to)', () => {
    const window = (fromMs: number, toMs: number) => ({ blackoutWindows: [{ symbol: 'AAPL', from: iso(fromMs), to: iso(toMs), reason: 'earnings' }] });
    it('denies from the first millisecond of the window', () => {
      const r = check({}, window(NOW_MS, NOW_MS + 60_000));
      expect(codes(r)).toEqual(['COMPLIANCE.BLACKOUT_WINDOW']);
      expect(r.reasons[0]?.message).toContain(NOW);
      expect(r.reasons[0]?.message).toContain('(earnings)');
    });

    it('passes one millisecond before it opens and when it has closed', () => {
      expect(check({}, window(NOW_MS + 1, NOW_MS + 60_000)).approved).toBe(true);
      expect(check({}, window(NOW_MS - 60_000, NOW_MS)).approved).toBe(true);
    });
  });

  describe('short sales (AAPL long 100)', () => {
    const sell = (quantity: number, extra: object = {}) => ({ side: 'SELL' as const, quantity, ...extra });
    it('treats selling up to the long position as a sale and one more as a short sale', () => {
      expect(check(sell(100)).approved).toBe(true);
      expect(codes(check(sell(101)))).toEqual(['COMPLIANCE.SHORT_SALE_DISABLED']);
    });

    it('counts working sells against the long position', () => {
      const ctx = { workingOrders: [aWorkingOrder({ side: 'SELL', quantity: 50, limitPrice: '101' })] };
      expect(check(sell(50, { limitPrice: '101' }), ctx).approved).toBe(true);
      expect(codes(check(sell(51, { limitPrice: '101' }), ctx))).toEqual(['COMPLIANCE.SHORT_SALE_DISABLED']);
    });

    it('denies a no-short symbol and a missing locate, with shorting enabled', () => {
      const ctx = { compliance: { shortSellingEnabled: true, requireLocate: true }, noShortSymbols: ['AAPL'] };
      expect(codes(check(sell(101), ctx))).toEqual(['COMPLIANCE.SHORT_SALE_RESTRICTED', 'COMPLIANCE.LOCATE_REQUIRED']);
      expect(codes(check(sell(101, { locate: true }), ctx))).toEqual(['COMPLIANCE.SHORT_SALE_RESTRICTED']);
      expect(check(sell(101, { locate: true }), { compliance: { shortSellingEnabled: true, requireLocate: true } }).approved).toBe(true);
    });

    it('lists every short-sale reason at once', () => {
      expect(codes(check(sell(101), { compliance: { requireLocate: true }, noShortSymbols: ['AAPL'] }))).toEqual(['COMPLIANCE.SHORT_SALE_DISABLED', 'COMPLIANCE.SHORT_SALE_RESTRICTED', 'COMPLIANCE.LOCATE_REQUIRED']);
    });
  });

  describe('order-to-trade ratio (max 50 once orders + cancels ≥ 100)', () => {
    const activity = (orders: number, cancels: number, fills: number, strategyId = 'momo') => ({ orderActivity: [{ strategyId, symbol: 'AAPL', orders, cancels, fills }] });
    it('passes a ratio of exactly 50 and denies 50.5', () => {
      expect(codes(check({}, activity(60, 40, 2)))).not.toContain('COMPLIANCE.ORDER_TO_TRADE_RATIO');
      const r = check({}, activity(61, 40, 2));
      expect(r.reasons.find((d) => d.code === 'COMPLIANCE.ORDER_TO_TRADE_RATIO')?.message).toBe('order-to-trade ratio of strategy momo in AAPL today is 50.5 (61 orders + 40 cancels / 2 fills), maximum 50');
    });

    it('does not judge fewer than 100 messages, and counts per strategy', () => {
      expect(check({}, activity(60, 39, 0)).approved).toBe(true);
      expect(codes(check({}, activity(100, 100, 0)))).toContain('COMPLIANCE.ORDER_TO_TRADE_RATIO');
      expect(check({}, activity(100, 100, 0, 'other')).approved).toBe(true);
    });

    it('warns when 90 % of at least 20 orders were cancelled', () => {
      expect(warningCodes(check({}, activity(20, 17, 3)))).not.toContain('COMPLIANCE.HIGH_CANCEL_RATIO');
      expect(warningCodes(check({}, activity(20, 18, 2)))).toContain('COMPLIANCE.HIGH_CANCEL_RATIO');
      expect(warningCodes(check({}, activity(19, 19, 0)))).not.toContain('COMPLIANCE.HIGH_CANCEL_RATIO');
    });
  });

  describe('wash trades', () => {
    const workingSell = (over: object = {}) => ({ workingOrders: [aWorkingOrder({ side: 'SELL', quantity: 5, limitPrice: '100.05', ...over })] });
    it('denies a buy at or above our working sell and passes one below', () => {
      const r = check({ limitPrice: '100.05' }, workingSell());
      expect(codes(r)).toEqual(['COMPLIANCE.WASH_TRADE']);
      expect(r.reasons[0]?.message).toMatch(/^BUY 10 AAPL at 100\.05 would cross our own working SELL CO-W-\d+ at 100\.05$/);
      expect(check({ limitPrice: '100.04' }, workingSell()).approved).toBe(true);
    });

    it('denies a market buy against a working sell at or inside the ask, and any buy against a working market sell', () => {
      // Ask 100.01: a market buy takes it, so our offer at 100.01 would be hit and one at 100.05 would not.
      expect(codes(check({ type: 'MKT', limitPrice: undefined }, workingSell({ limitPrice: '100.01' })))).toEqual(['COMPLIANCE.WASH_TRADE']);
      expect(check({ type: 'MKT', limitPrice: undefined }, workingSell()).approved).toBe(true);
      expect(codes(check({ symbol: 'NVDA', type: 'MKT', limitPrice: undefined }, { quotes: [{ symbol: 'NVDA', last: '50' }], ...workingSell({ symbol: 'NVDA', limitPrice: '80' }) }))).toContain('COMPLIANCE.WASH_TRADE');
      expect(codes(check({ limitPrice: '95' }, workingSell({ type: 'MKT', limitPrice: undefined })))).toEqual(['COMPLIANCE.WASH_TRADE']);
    });

    it('denies a sell at or below our working buy', () => {
      const ctx = { workingOrders: [aWorkingOrder({ side: 'BUY', quantity: 5, limitPrice: '99.98' })] };
      expect(codes(check({ side: 'SELL', limitPrice: '99.98' }, ctx))).toEqual(['COMPLIANCE.WASH_TRADE']);
      expect(check({ side: 'SELL', limitPrice: '99.99' }, ctx).approved).toBe(true);
    });
  });

  describe('layering (≥ 10 bps behind the touch: warn at 3, deny at 5)', () => {
    // Bid 99.99: 10 bps is 0.09999, so a buy at 99.89 counts and one at 99.90 does not.
    const buys = (n: number, price = '99.89') => ({ workingOrders: Array.from({ length: n }, (_, i) => aWorkingOrder({ side: 'BUY', quantity: 1 + i, limitPrice: price })) });
    const sell = { side: 'SELL' as const, limitPrice: '100' };
    it.each([
      [2, [], true],
      [3, ['COMPLIANCE.LAYERING_WARNING'], true],
      [4, ['COMPLIANCE.LAYERING_WARNING'], true],
      [5, [], false],
    ])('%i layered buys → warnings %j, approved %s', (n, warnings, approved) => {
      const r = check(sell, buys(n));
      expect(warningCodes(r)).toEqual(warnings);
      expect(r.approved).toBe(approved);
      if (!approved) expect(codes(r)).toEqual(['COMPLIANCE.LAYERING']);
    });

    it('does not count orders nearer the touch than the distance, or on the same side', () => {
      expect(check(sell, buys(6, '99.90')).approved).toBe(true);
      expect(check({ limitPrice: '99.5' }, buys(6)).approved).toBe(true);
    });
  });

  it('returns risk and compliance reasons together', () => {
    expect(codes(check({ quantity: 1001 }, { restrictedSymbols: ['AAPL'], messagesInWindow: 40 }))).toEqual(['RISK.MESSAGE_RATE', 'RISK.MAX_ORDER_QUANTITY', 'RISK.MAX_ORDER_NOTIONAL', 'COMPLIANCE.RESTRICTED_INSTRUMENT']);
  });
});
