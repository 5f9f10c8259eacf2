import { describe, expect, it } from 'vitest';
import { accountSummaryFromTags, accountValueToDecimal } from '../../../../fargate/gateway/mapping/account.js';
import { contractSymbol, instrumentToContract } from '../../../../fargate/gateway/mapping/contract.js';
import { decimalToDouble, doubleToDecimal, optionalDoubleToDecimal } from '../../../../fargate/gateway/mapping/decimal.js';
import { commissionOf, executionToFill } from '../../../../fargate/gateway/mapping/execution.js';
import { applyTick, completeQuote, emptyDraft } from '../../../../fargate/gateway/mapping/market-data.js';
import { ibSideToSide, toIbOrder } from '../../../../fargate/gateway/mapping/order.js';
import { ibPositionToPosition } from '../../../../fargate/gateway/mapping/position.js';
import { ibTimeToIso } from '../../../../fargate/gateway/mapping/time.js';
import { InstrumentSchema } from '../../../../lib/core/instruments/instrument.js';
import { OrderSchema } from '../../../../lib/core/orders/order.js';

const aapl = InstrumentSchema.parse({ symbol: 'AAPL', primaryExchange: 'NASDAQ', conId: 265598 });
const now = '2026-11-26T14:30:00.000Z';

describe('decimal mapping', () => {
  it.each([
    [187.2, '187.2'],
    [0.1 + 0.2, '0.3'],
    [100, '100'],
    [-12.5, '-12.5'],
    [-0, '0'],
    [1.23456789, '1.23456789'],
  ])('maps the double %d to %s', (n, s) => {
    expect(doubleToDecimal(n, 'x')).toBe(s);
  });

  it('refuses non-finite values with a coded error', () => {
    expect(() => doubleToDecimal(Number.POSITIVE_INFINITY, 'price')).toThrow(expect.objectContaining({ code: 'MAPPING.NOT_A_NUMBER' }));
    expect(() => doubleToDecimal(undefined, 'price')).toThrow(expect.objectContaining({ code: 'MAPPING.NOT_A_NUMBER' }));
  });

  it('keeps "not available" as undefined', () => {
    expect(optionalDoubleToDecimal(undefined, 'x')).toBeUndefined();
  });

  it('round-trips a limit price through the wire double', () => {
    expect(String(decimalToDouble('187.21'))).toBe('187.21');
  });
});

describe('ibTimeToIso', () => {
  it('reads the two-space form in the gateway zone (EST in November)', () => {
    expect(ibTimeToIso('20261126  09:30:05', 'America/New_York')).toBe('2026-11-26T14:30:05.000Z');
  });
  it('reads a trailing zone name', () => {
    expect(ibTimeToIso('20260715 09:30:05 US/Eastern', 'UTC')).toBe('2026-07-15T13:30:05.000Z');
  });
  it('reads the dash form as UTC', () => {
    expect(ibTimeToIso('20261126-14:30:05', 'America/New_York')).toBe('2026-11-26T14:30:05.000Z');
  });
  it('reads epoch seconds', () => {
    expect(ibTimeToIso('1764167405', 'America/New_York')).toBe('2025-11-26T14:30:05.000Z');
  });
  it('refuses garbage and impossible dates', () => {
    expect(() => ibTimeToIso('yesterday', 'UTC')).toThrow(expect.objectContaining({ code: 'MAPPING.BAD_TIME' }));
    expect(() => ibTimeToIso('20261340  09:30:05', 'UTC')).toThrow(expect.objectContaining({ code: 'MAPPING.BAD_TIME' }));
    expect(() => ibTimeToIso('20261126 09:30:05 Mars/Base', 'UTC')).toThrow(expect.objectContaining({ code: 'MAPPING.BAD_TIME_ZONE' }));
  });
});

describe('contract and order mapping', () => {
  it('maps an instrument to an IB contract', () => {
    expect(instrumentToContract(aapl)).toEqual({ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD' });
  });

  it('maps an ETF to an IB stock', () => {
    expect(instrumentToContract(InstrumentSchema.parse({ symbol: 'SPY', secType: 'ETF' })).secType).toBe('STK');
  });

  it('reads the symbol of a contract', () => {
    expect(contractSymbol({ symbol: 'msft' })).toBe('MSFT');
    expect(() => contractSymbol({})).toThrow(expect.objectContaining({ code: 'MAPPING.BAD_SYMBOL' }));
  });

  it('maps a limit order with orderRef = clientOrderId and transmit', () => {
    const order = OrderSchema.parse({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '187.20', status: 'APPROVED', correlationId: 'c-1', createdAt: now, updatedAt: now, version: 0 });
    const { contract, order: ib } = toIbOrder(order, aapl, 'DU1');
    expect(contract.symbol).toBe('AAPL');
    expect(ib).toEqual({ action: 'BUY', totalQuantity: 10, orderType: 'LMT', lmtPrice: 187.2, tif: 'DAY', orderRef: 'CO-1', transmit: true, account: 'DU1' });
  });

  it('refuses a limit order without a price', () => {
    const order = OrderSchema.parse({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', status: 'APPROVED', correlationId: 'c-1', createdAt: now, updatedAt: now, version: 0 });
    expect(() => toIbOrder(order, aapl, undefined)).toThrow(expect.objectContaining({ code: 'MAPPING.MISSING_LIMIT_PRICE' }));
  });

  it.each([
    ['BOT', 'BUY'],
    ['SLD', 'SELL'],
    ['SELL', 'SELL'],
  ])('maps side %s to %s', (ib, ours) => {
    expect(ibSideToSide(ib)).toBe(ours);
  });
});

describe('execution mapping', () => {
  const execution = { execId: '0000e0d5.00000001.01.01', orderId: 1001, side: 'BOT', shares: 10, price: 187.2, time: '20261126  09:30:05', acctNumber: 'DU1', exchange: 'ISLAND', orderRef: 'CO-7' };

  it('maps an execution to a fill, taking the clientOrderId from orderRef', () => {
    const fill = executionToFill({ symbol: 'AAPL', currency: 'USD' }, execution, { timeZone: 'America/New_York' });
    expect(fill).toEqual({ execId: '0000e0d5.00000001.01.01', clientOrderId: 'CO-7', brokerOrderId: '1001', account: 'DU1', symbol: 'AAPL', side: 'BUY', quantity: 10, price: '187.2', currency: 'USD', venue: 'ISLAND', executedAt: '2026-11-26T14:30:05.000Z' });
  });

  it('prefers the clientOrderId known from the order store', () => {
    const fill = executionToFill({ symbol: 'AAPL' }, execution, { timeZone: 'America/New_York', clientOrderId: 'CO-9' as never });
    expect(fill.clientOrderId).toBe('CO-9');
  });

  it('refuses fractional shares and missing ids', () => {
    expect(() => executionToFill({ symbol: 'AAPL' }, { ...execution, shares: 1.5 }, { timeZone: 'UTC' })).toThrow(expect.objectContaining({ code: 'MAPPING.NOT_WHOLE' }));
    expect(() => executionToFill({ symbol: 'AAPL' }, { ...execution, execId: undefined }, { timeZone: 'UTC' })).toThrow(expect.objectContaining({ code: 'MAPPING.MISSING_EXEC_ID' }));
  });

  it('maps a commission report', () => {
    expect(commissionOf({ execId: 'x.1', commission: 1.0000001, currency: 'USD' })).toEqual({ execId: 'x.1', commission: '1.0000001', currency: 'USD' });
  });
});

describe('position and account mapping', () => {
  it('maps a position', () => {
    expect(ibPositionToPosition('DU1', { symbol: 'AAPL', currency: 'USD' }, -100, 187.25, now)).toEqual({ account: 'DU1', symbol: 'AAPL', quantity: -100, avgCost: '187.25', currency: 'USD', realizedPnl: '0', updatedAt: now });
  });

  it('builds an account summary once every tag is present', () => {
    const rows = new Map([
      ['NetLiquidation', { value: '100000.00', currency: 'USD' }],
      ['TotalCashValue', { value: '81,280.5', currency: 'USD' }],
      ['BuyingPower', { value: '4.0E5', currency: 'USD' }],
    ]);
    expect(accountSummaryFromTags('DU1', rows, now)).toBeUndefined();
    rows.set('GrossPositionValue', { value: '18719.5', currency: 'USD' });
    expect(accountSummaryFromTags('DU1', rows, now)).toEqual({ account: 'DU1', currency: 'USD', netLiquidation: '100000.00', totalCash: '81280.5', buyingPower: '400000.00', grossPositionValue: '18719.5', updatedAt: now });
  });

  it('refuses a non-numeric account value', () => {
    expect(() => accountValueToDecimal('n/a', 'NetLiquidation')).toThrow(expect.objectContaining({ code: 'MAPPING.BAD_ACCOUNT_VALUE' }));
  });
});

describe('market-data mapping', () => {
  it('builds a quote from ticks and ignores the ones we do not keep', () => {
    let d = emptyDraft('AAPL' as never);
    expect(completeQuote(d)).toBeUndefined();
    d = applyTick(d, 'price', 1, 187.1, now);
    d = applyTick(d, 'price', 2, 187.3, now);
    d = applyTick(d, 'size', 0, 300, now);
    const same = applyTick(d, 'price', 9, 180, now);
    expect(same).toBe(d);
    expect(applyTick(d, 'price', 1, -1, now)).toBe(d);
    expect(completeQuote(d)).toEqual({ symbol: 'AAPL', bid: '187.1', ask: '187.3', bidSize: 300, at: now });
  });
});
