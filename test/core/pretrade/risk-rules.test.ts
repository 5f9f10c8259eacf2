import { describe, expect, it } from 'vitest';
import { aWorkingOrder, baseContext, check, codes, NOW_MS, warningCodes } from './fixtures.js';

const limits = (over: Record<string, unknown>) => ({ limits: { ...baseContext().limits, ...over } });

describe('risk rules', () => {
  it('approves an ordinary order with no findings', () => {
    const r = check();
    expect(r).toEqual({ approved: true, reducesExposure: false, reasons: [], warnings: [] });
  });

  describe('max order quantity (maxOrderQuantity 1000)', () => {
    it('passes 1000 and denies 1001, naming both numbers', () => {
      expect(codes(check({ quantity: 1000, limitPrice: '99' }))).not.toContain('RISK.MAX_ORDER_QUANTITY');
      const r = check({ quantity: 1001, limitPrice: '99' });
      expect(r.approved).toBe(false);
      expect(r.reasons.find((d) => d.code === 'RISK.MAX_ORDER_QUANTITY')?.message).toBe('order quantity 1001 exceeds the maximum of 1000');
    });
  });

  describe('max order notional (maxOrderNotional 100000)', () => {
    it('passes exactly 100,000 and denies 100,000.01', () => {
      expect(codes(check({ quantity: 1000, limitPrice: '100' }))).not.toContain('RISK.MAX_ORDER_NOTIONAL');
      expect(codes(check({ quantity: 1, limitPrice: '100000.01' }, limits({ priceCollarBps: 10_000, maxOrderQuantity: 5 })))).toContain('RISK.MAX_ORDER_NOTIONAL');
    });

    it('values a market order at the mark (MSFT mid 200.01)', () => {
      expect(codes(check({ symbol: 'MSFT', type: 'MKT', limitPrice: undefined, quantity: 499 }))).not.toContain('RISK.MAX_ORDER_NOTIONAL');
      const r = check({ symbol: 'MSFT', type: 'MKT', limitPrice: undefined, quantity: 500 });
      expect(r.reasons.find((d) => d.code === 'RISK.MAX_ORDER_NOTIONAL')?.message).toBe('order notional 100005.00 (500 × 200.01) exceeds the maximum of 100000.00');
    });
  });

  describe('price collar (priceCollarBps 500 around last 100)', () => {
    it.each([
      ['105', true],
      ['105.000001', false],
      ['95', true],
      ['94.999999', false],
    ])('limit %s passes: %s', (price, passes) => {
      expect(codes(check({ quantity: 1, limitPrice: price })).includes('RISK.PRICE_COLLAR')).toBe(!passes);
    });

    it('collars against the mid when there is no last trade', () => {
      // MSFT mid 200.01: 5 % is 10.0005
      expect(codes(check({ symbol: 'MSFT', quantity: 1, limitPrice: '210.0105' }))).not.toContain('RISK.PRICE_COLLAR');
      expect(codes(check({ symbol: 'MSFT', quantity: 1, limitPrice: '210.0106' }))).toContain('RISK.PRICE_COLLAR');
    });

    it('denies limit and market orders in a symbol without a reference price', () => {
      expect(codes(check({ symbol: 'TSLA', quantity: 1, limitPrice: '300' }))).toContain('RISK.NO_REFERENCE_PRICE');
      expect(codes(check({ symbol: 'TSLA', quantity: 1, type: 'MKT', limitPrice: undefined }))).toContain('RISK.NO_REFERENCE_PRICE');
    });
  });

  describe('max position notional per instrument (200000)', () => {
    const ctx = { positions: [{ symbol: 'AAPL', quantity: 1500, avgCost: '90' }] };
    it('passes a position of exactly 200,000 after the order and denies above', () => {
      expect(codes(check({ quantity: 500 }, ctx))).not.toContain('RISK.MAX_POSITION_NOTIONAL');
      expect(codes(check({ quantity: 501 }, ctx))).toContain('RISK.MAX_POSITION_NOTIONAL');
    });
  });

  describe('gross exposure (50,002 before the order)', () => {
    it('passes 59,902 and denies 60,002 against a maximum of 60,000', () => {
      expect(codes(check({ quantity: 99 }, limits({ maxGrossExposure: '60000' })))).not.toContain('RISK.MAX_GROSS_EXPOSURE');
      expect(codes(check({ quantity: 100 }, limits({ maxGrossExposure: '60000' })))).toContain('RISK.MAX_GROSS_EXPOSURE');
    });
  });

  describe('net exposure (−30,002 before the order)', () => {
    it('passes −49,952 and denies −50,002 against a maximum of 50,000', () => {
      const order = (q: number) => ({ symbol: 'NVDA', side: 'SELL' as const, quantity: q, limitPrice: '50' });
      expect(codes(check(order(399), limits({ maxNetExposure: '50000' })))).not.toContain('RISK.MAX_NET_EXPOSURE');
      expect(codes(check(order(400), limits({ maxNetExposure: '50000' })))).toContain('RISK.MAX_NET_EXPOSURE');
    });
  });

  describe('buying power', () => {
    it('passes a notional equal to buying power and denies one cent more', () => {
      const ctx = { account: { netLiquidation: '1000000', buyingPower: '50000' } };
      expect(codes(check({ quantity: 500 }, ctx))).not.toContain('RISK.INSUFFICIENT_BUYING_POWER');
      expect(codes(check({ quantity: 500, limitPrice: '100.01' }, ctx))).toContain('RISK.INSUFFICIENT_BUYING_POWER');
    });
  });

  describe('leverage (warning 1.5×, critical 1.8×, net liquidation 40,000)', () => {
    const ctx = { account: { netLiquidation: '40000', buyingPower: '2000000' } };
    it('warns from 1.5× and not below', () => {
      expect(warningCodes(check({ quantity: 99 }, ctx))).not.toContain('RISK.LEVERAGE_WARNING');
      const r = check({ quantity: 100 }, ctx);
      expect(r.approved).toBe(true);
      expect(warningCodes(r)).toContain('RISK.LEVERAGE_WARNING');
    });

    it('denies above 1.8× and passes at 71,902 / 40,000', () => {
      expect(codes(check({ quantity: 219 }, ctx))).not.toContain('RISK.LEVERAGE_CRITICAL');
      const r = check({ quantity: 220 }, ctx);
      expect(r.reasons.find((d) => d.code === 'RISK.LEVERAGE_CRITICAL')?.message).toBe('leverage after the order 1.8001× (gross 72002.00 / net liquidation 40000.00) is above the critical 1.8×');
    });

    it('passes a reducing order while leverage is critical', () => {
      const over = { account: { netLiquidation: '20000', buyingPower: '2000000' } };
      expect(check({ side: 'SELL', quantity: 50 }, over).approved).toBe(true);
      expect(codes(check({ quantity: 1 }, over))).toContain('RISK.LEVERAGE_CRITICAL');
    });

    it('denies an increasing order when net liquidation is not positive', () => {
      const over = { account: { netLiquidation: '0', buyingPower: '2000000' } };
      expect(codes(check({ quantity: 1 }, over))).toContain('RISK.NO_NET_LIQUIDATION');
      expect(check({ side: 'SELL', quantity: 1 }, over).approved).toBe(true);
    });
  });

  describe('daily loss limit (20000)', () => {
    it('passes a loss of 19,999.99 and denies at 20,000', () => {
      expect(codes(check({}, { dailyPnl: { realized: '-10000', unrealized: '-9999.99' } }))).not.toContain('RISK.DAILY_LOSS_LIMIT');
      expect(codes(check({}, { dailyPnl: { realized: '-10000', unrealized: '-10000' } }))).toContain('RISK.DAILY_LOSS_LIMIT');
    });

    it('lets a reducing order through once breached', () => {
      expect(check({ side: 'SELL', quantity: 100 }, { dailyPnl: { realized: '-30000', unrealized: '0' } }).approved).toBe(true);
    });
  });

  describe('VaR utilisation after the order (limit 50000, warning 80 %, critical 90 %)', () => {
    const ctx = { var: { current: '30000' } };
    it.each([
      ['9999.99', [], true],
      ['10000', ['RISK.VAR_WARNING'], true],
      ['15000', ['RISK.VAR_WARNING'], true],
      ['15000.01', [], false],
    ])('marginal VaR %s → warnings %j, approved %s', (marginalVar, warnings, approved) => {
      const r = check({ marginalVar }, ctx);
      expect(r.approved).toBe(approved);
      expect(warningCodes(r)).toEqual(warnings);
      if (!approved) expect(codes(r)).toEqual(['RISK.VAR_CRITICAL']);
    });

    it('warns that VaR was not checked when the context has none', () => {
      expect(warningCodes(check({}, { var: undefined }))).toEqual(['RISK.VAR_UNAVAILABLE']);
    });
  });

  describe('message rate (maxMessagesPerSecond 40)', () => {
    it('passes with 39 in the window and denies with 40', () => {
      expect(check({}, { messagesInWindow: 39 }).approved).toBe(true);
      expect(codes(check({}, { messagesInWindow: 40 }))).toEqual(['RISK.MESSAGE_RATE']);
    });
  });

  describe('active orders per contract and side (20)', () => {
    const working = (n: number) => Array.from({ length: n }, (_, i) => aWorkingOrder({ quantity: 1 + i, limitPrice: '99.95' }));
    it('passes with 19 working and denies with 20, on the same side only', () => {
      expect(check({}, { workingOrders: working(19) }).approved).toBe(true);
      expect(codes(check({}, { workingOrders: working(20) }))).toEqual(['RISK.MAX_ACTIVE_ORDERS']);
      expect(codes(check({ side: 'SELL', limitPrice: '100' }, { workingOrders: working(20) }))).not.toContain('RISK.MAX_ACTIVE_ORDERS');
    });

    it('does not count finished orders', () => {
      const done = working(20).map((o) => ({ ...o, status: 'FILLED' as const, filledQuantity: o.quantity }));
      expect(check({}, { workingOrders: done }).approved).toBe(true);
    });
  });

  describe('duplicates (duplicateWindowSeconds 10)', () => {
    const placed = (agoMs: number) => aWorkingOrder({ quantity: 10, limitPrice: '100', createdAt: new Date(NOW_MS - agoMs).toISOString() });
    it('denies the same order placed 10 s ago and passes one placed 10.001 s ago', () => {
      expect(codes(check({}, { workingOrders: [placed(10_000)] }))).toEqual(['RISK.DUPLICATE_ORDER']);
      expect(check({}, { workingOrders: [placed(10_001)] }).approved).toBe(true);
    });

    it('does not call an order with a different quantity or price a duplicate', () => {
      expect(check({ quantity: 11 }, { workingOrders: [placed(1)] }).approved).toBe(true);
      expect(check({ limitPrice: '100.01' }, { workingOrders: [placed(1)] }).approved).toBe(true);
    });

    it('denies a reused clientOrderId, working or seen earlier today', () => {
      expect(codes(check({ clientOrderId: 'CO-OLD' }, { knownClientOrderIds: ['CO-OLD'] }))).toEqual(['RISK.DUPLICATE_CLIENT_ORDER_ID']);
      expect(codes(check({ clientOrderId: 'CO-W-X' }, { workingOrders: [aWorkingOrder({ clientOrderId: 'CO-W-X', quantity: 3 })] }))).toEqual(['RISK.DUPLICATE_CLIENT_ORDER_ID']);
    });
  });

  describe('trading state', () => {
    it('HALTED denies even a reducing order', () => {
      const r = check({ side: 'SELL', quantity: 10 }, { tradingMode: 'HALTED' });
      expect(r.reducesExposure).toBe(true);
      expect(codes(r)).toEqual(['TRADING_STATE.HALTED']);
    });

    it('REDUCING passes a reducing order and denies an increasing one', () => {
      expect(check({ side: 'SELL', quantity: 100 }, { tradingMode: 'REDUCING' }).approved).toBe(true);
      expect(codes(check({ side: 'SELL', quantity: 101 }, { tradingMode: 'REDUCING', compliance: { shortSellingEnabled: true } }))).toEqual(['TRADING_STATE.REDUCING_ONLY']);
      expect(codes(check({ quantity: 1 }, { tradingMode: 'REDUCING' }))).toEqual(['TRADING_STATE.REDUCING_ONLY']);
    });

    it('REDUCING counts working orders of the same side toward the position', () => {
      const ctx = { tradingMode: 'REDUCING' as const, workingOrders: [aWorkingOrder({ side: 'SELL', quantity: 60, limitPrice: '101' })] };
      expect(check({ side: 'SELL', quantity: 40, limitPrice: '101' }, ctx).approved).toBe(true);
      expect(codes(check({ side: 'SELL', quantity: 41, limitPrice: '101' }, ctx))).toContain('TRADING_STATE.REDUCING_ONLY');
    });
  });

  it('returns every failing reason, not only the first', () => {
    const r = check({ quantity: 1001, limitPrice: '120' }, { messagesInWindow: 45, tradingMode: 'REDUCING' });
    expect(codes(r)).toEqual(['TRADING_STATE.REDUCING_ONLY', 'RISK.MESSAGE_RATE', 'RISK.MAX_ORDER_QUANTITY', 'RISK.PRICE_COLLAR', 'RISK.MAX_ORDER_NOTIONAL']);
  });
});
