/**
 * Encoders checked with the client's own Decoder (the 505 oracle offline), and decoders fed
 * with what the client's own Encoder produces at server version 193.
 */
import { Decoder } from '@stoqey/ib/dist/core/io/decoder.js';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder.js';
import { OrderAction, OrderType, SecType } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { encodeFrame, splitPayload, type WireField } from '../../../fargate/ib-sim/framing.js';
import { decodeRequest } from '../../../fargate/ib-sim/messages/in.js';
import * as out from '../../../fargate/ib-sim/messages/out.js';

const AAPL: out.WireContract = { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD', localSymbol: 'AAPL', tradingClass: 'NMS' };

/** Runs server fields through the wire and the client's Decoder; returns events and 505s. */
function decodeWithClient(fields: WireField[]): { events: Array<[string, ...unknown[]]>; problems: string[] } {
  const events: Array<[string, ...unknown[]]> = [];
  const problems: string[] = [];
  const decoder = new Decoder({
    serverVersion: 193,
    emitEvent: (name: string, ...args: unknown[]) => events.push([name, ...args]),
    // A server error is delivered through emitError too; only 505 means a layout problem.
    emitError: (message: string, code: number) => (code === 505 ? problems.push(message) : events.push(['error', code, message])),
    emitInfo: (message: string, code: number) => events.push(['info', code, message]),
  } as never);
  decoder.enqueueMessage(splitPayload(encodeFrame(fields).subarray(4)));
  decoder.process();
  return { events, problems };
}

/** Tokens the client's Encoder sends for one API call, as strings on the wire. */
function clientSends(call: (e: Record<string, (...a: unknown[]) => void>) => void): string[] {
  const sent: unknown[][] = [];
  const encoder = new Encoder({ serverVersion: 193, sendMsg: (tokens: unknown[]) => sent.push(tokens), emitError: (m: string) => sent.push(['ERROR', m]) } as never);
  call(encoder as unknown as Record<string, (...a: unknown[]) => void>);
  const tokens = (sent[0] ?? []).flat() as WireField[];
  return splitPayload(encodeFrame(tokens).subarray(4));
}

describe('server → client encoders (checked by the client decoder)', () => {
  const order: out.WireOrder = { orderId: 1001, clientId: 7, permId: 1_000_000_005, action: 'BUY', totalQuantity: 10, orderType: 'LMT', lmtPrice: '187.2', tif: 'DAY', account: 'DU1234567', orderRef: 'ref-1', outsideRth: false, status: 'Submitted' };
  const cases: Array<[string, WireField[], number]> = [
    ['OPEN_ORDER', out.openOrder(AAPL, order), 133],
    ['ORDER_STATUS', out.orderStatus({ orderId: 1001, status: 'Filled', filled: 10, remaining: 0, avgFillPrice: '187.2', permId: 5, parentId: 0, lastFillPrice: '187.2', clientId: 7 }), 12],
    ['EXECUTION_DATA', out.executionData(-1, AAPL, { orderId: 1001, execId: 'a.1.01.01', time: '20250102 10:00:00 UTC', account: 'DU1234567', exchange: 'NASDAQ', side: 'BOT', shares: 10, price: '187.2', permId: 5, clientId: 7, cumQty: 10, avgPrice: '187.2', orderRef: '', lastLiquidity: 2 }), 32],
    ['POSITION', out.position('DU1234567', AAPL, 100, '187.25'), 16],
    ['PORTFOLIO_VALUE', out.portfolioValue(AAPL, { position: 1, marketPrice: '1', marketValue: '1', averageCost: '1', unrealizedPnl: '0', realizedPnl: '0' }, 'DU1234567'), 20],
    ['ERR_MSG', out.errMsg(12, 201, 'Order rejected - reason:x'), 6],
  ];

  it.each(cases)('encodes %s with the documented token count', (_name, fields, count) => {
    expect(fields).toHaveLength(count);
  });

  it.each(cases)('encodes %s so the client decodes it without a 505', (_name, fields) => {
    const { events, problems } = decodeWithClient(fields);

    expect(problems).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('lets the client read back the order fields it shows', () => {
    const [name, orderId, contract, decoded, state] = decodeWithClient(out.openOrder(AAPL, order)).events[0] ?? [];

    expect(name).toBe('openOrder');
    expect(orderId).toBe(1001);
    expect(contract).toMatchObject({ conId: 265598, symbol: 'AAPL', tradingClass: 'NMS' });
    expect(decoded).toMatchObject({ action: 'BUY', totalQuantity: 10, orderType: 'LMT', lmtPrice: 187.2, clientId: 7, permId: 1_000_000_005, orderRef: 'ref-1', account: 'DU1234567' });
    expect(state).toMatchObject({ status: 'Submitted' });
  });

  it.each([
    ['tickPrice', out.tickPrice(1, 1, '187.2', 300, 1)],
    ['tickSize', out.tickSize(1, 0, 300)],
    ['tickString', out.tickString(1, 45, '1700000000')],
    ['tickReqParams', out.tickReqParams(1, '0.01', '9c0001', 3)],
    ['marketDataType', out.marketDataType(1, 1)],
    ['tickSnapshotEnd', out.tickSnapshotEnd(1)],
    ['commissionReport', out.commissionReport('a.1', '1', 'USD', '12.5')],
    ['accountSummary', out.accountSummary(1, 'DU1', 'NetLiquidation', '1.00', 'USD')],
    ['contractDetails', out.contractData(3, { contract: AAPL, minTick: '0.01', longName: 'APPLE INC', timeZoneId: 'US/Eastern' })],
    ['completedOrdersEnd', out.completedOrdersEnd()],
    ['updateAccountValue', out.acctValue('NetLiquidation', '1.00', 'USD', 'DU1')],
    ['accountDownloadEnd', out.acctDownloadEnd('DU1')],
    ['nextValidId', out.nextValidId(1000)],
    ['managedAccounts', out.managedAccounts(['DU1'])],
  ])('encodes %s cleanly', (event, fields) => {
    const { events, problems } = decodeWithClient(fields);

    expect(problems).toEqual([]);
    expect(events[0]?.[0]).toBe(event);
  });

  it('keeps the advanced-reject field valid JSON (invalid JSON crashes the client)', () => {
    const fields = out.errMsg(5, 201, 'rejected', { reason: 'x' });

    expect(() => JSON.parse(String(fields[5]))).not.toThrow();
    expect(out.errMsg(5, 201, 'rejected')[5]).toBe('');
  });
});

describe('client → server decoders (fed by the client encoder)', () => {
  const contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

  it('decodes a 118-field LMT PLACE_ORDER', () => {
    const fields = clientSends((e) => e.placeOrder?.(1005, contract, { action: OrderAction.SELL, orderType: OrderType.LMT, totalQuantity: 25, lmtPrice: 187.2, orderRef: 'r-9', tif: 'GTC' }));

    const req = decodeRequest(fields);

    expect(fields).toHaveLength(118);
    expect(req).toMatchObject({ kind: 'placeOrder', orderId: 1005, action: 'SELL', totalQuantity: '25', orderType: 'LMT', lmtPrice: '187.2', tif: 'GTC', orderRef: 'r-9', transmit: true, contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' } });
  });

  it('reads transmit=false as held', () => {
    const fields = clientSends((e) => e.placeOrder?.(7, contract, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: false }));

    expect(decodeRequest(fields)).toMatchObject({ kind: 'placeOrder', transmit: false, lmtPrice: '' });
  });

  it.each([
    ['cancelOrder', (e: Record<string, (...a: unknown[]) => void>) => e.cancelOrder?.(55, {}), { kind: 'cancelOrder', orderId: 55 }],
    ['reqGlobalCancel', (e: Record<string, (...a: unknown[]) => void>) => e.reqGlobalCancel?.({}), { kind: 'reqGlobalCancel' }],
    ['reqMktData', (e: Record<string, (...a: unknown[]) => void>) => e.reqMktData?.(9, contract, '233', true, false), { kind: 'reqMktData', reqId: 9, snapshot: true, genericTickList: '233', contract: { symbol: 'AAPL' } }],
    ['reqAccountSummary', (e: Record<string, (...a: unknown[]) => void>) => e.reqAccountSummary?.(4, 'All', 'NetLiquidation,BuyingPower'), { kind: 'reqAccountSummary', reqId: 4, tags: ['NetLiquidation', 'BuyingPower'] }],
    ['reqExecutions', (e: Record<string, (...a: unknown[]) => void>) => e.reqExecutions?.(3, { symbol: 'AAPL', side: 'BUY', clientId: 7 }), { kind: 'reqExecutions', reqId: 3, filter: { symbol: 'AAPL', side: 'BUY', clientId: 7 } }],
    ['reqContractDetails', (e: Record<string, (...a: unknown[]) => void>) => e.reqContractDetails?.(8, contract), { kind: 'reqContractDetails', reqId: 8, contract: { symbol: 'AAPL', exchange: 'SMART' } }],
    ['reqAccountUpdates', (e: Record<string, (...a: unknown[]) => void>) => e.reqAccountUpdates?.(true, 'DU1'), { kind: 'reqAccountUpdates', subscribe: true, account: 'DU1' }],
    ['reqCompletedOrders', (e: Record<string, (...a: unknown[]) => void>) => e.reqCompletedOrders?.(true), { kind: 'reqCompletedOrders', apiOnly: true }],
    ['reqHistoricalData', (e: Record<string, (...a: unknown[]) => void>) => e.reqHistoricalData?.(66, contract, '20261120 16:00:00 US/Eastern', '2 Y', '1 day', 'MIDPOINT', 1, 1, false), { kind: 'reqHistoricalData', reqId: 66, endDateTime: '20261120 16:00:00 US/Eastern', durationStr: '2 Y', barSizeSetting: '1 day', whatToShow: 'MIDPOINT', useRTH: true, formatDate: 1, keepUpToDate: false, contract: { symbol: 'AAPL', exchange: 'SMART' } }],
    ['reqHeadTimestamp', (e: Record<string, (...a: unknown[]) => void>) => e.reqHeadTimestamp?.(67, contract, 'TRADES', 1, 1), { kind: 'unsupported', reqId: 67, cancel: false }],
    ['cancelMktDepth', (e: Record<string, (...a: unknown[]) => void>) => e.cancelMktDepth?.(66, false), { kind: 'unsupported', cancel: true }],
  ])('decodes %s', (_name, call, expected) => {
    expect(decodeRequest(clientSends(call))).toMatchObject(expected);
  });

  it('treats an empty clientId in START_API as 0', () => {
    expect(decodeRequest(['71', '2', '', ''])).toEqual({ kind: 'startApi', clientId: 0, optionalCapabilities: '' });
  });

  it('turns short and unknown messages into malformed/unknown, not exceptions', () => {
    expect(decodeRequest(['3', '1001', '0', 'AAPL'])).toMatchObject({ kind: 'malformed', msgId: 3 });
    expect(decodeRequest(['62', '1'])).toMatchObject({ kind: 'malformed', msgId: 62 });
    expect(decodeRequest(['250'])).toEqual({ kind: 'unknown', msgId: 250 });
    expect(decodeRequest(['abc'])).toMatchObject({ kind: 'malformed' });
    expect(decodeRequest([])).toMatchObject({ kind: 'malformed' });
  });
});
