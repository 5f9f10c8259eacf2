/**
 * Server → client message encoders at server version 193, one function per message.
 * Layouts and token counts follow tws-protocol.md §4 (checked in tests with the client's own
 * Decoder: any leftover or missing field there is a 505 on a real client).
 *
 * Every function returns the field list; framing.ts turns it into bytes.
 */
import type { WireField } from '../framing.js';

export const SERVER_VERSION = 193;
/** Decoded by the client as "unset" for doubles (decoder.js readDoubleOrUndefined). */
export const UNSET_DOUBLE = '1.7976931348623157E308';
/** Decoded by the client as "unset" for ints (decoder.js readIntOrUndefined). */
export const UNSET_INT = 2147483647;

export const IN = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  HISTORICAL_DATA: 17,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  TICK_GENERIC: 45,
  TICK_STRING: 46,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57,
  MARKET_DATA_TYPE: 58,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  TICK_REQ_PARAMS: 81,
  COMPLETED_ORDERS_END: 102,
} as const;

export const TickType = {
  BID_SIZE: 0,
  BID: 1,
  ASK: 2,
  ASK_SIZE: 3,
  LAST: 4,
  LAST_SIZE: 5,
  HIGH: 6,
  LOW: 7,
  VOLUME: 8,
  CLOSE: 9,
  OPEN: 14,
  LAST_TIMESTAMP: 45,
  HALTED: 49,
} as const;

/** Contract as the simulator describes a stock on the wire. */
export interface WireContract {
  conId: number;
  symbol: string;
  secType: string;
  exchange: string;
  primaryExchange: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

type Fields = WireField[];

/** Handshake reply: `[serverVersion, "yyyyMMdd HH:mm:ss TZ"]` (§2.2). */
export function serverVersionReply(connectionTime: string, version = SERVER_VERSION): Fields {
  return [version, connectionTime];
}

export function nextValidId(orderId: number): Fields {
  return [IN.NEXT_VALID_ID, 1, orderId];
}

export function managedAccounts(accounts: ReadonlyArray<string>): Fields {
  return [IN.MANAGED_ACCTS, 1, accounts.join(',')];
}

/**
 * ERR_MSG `[4, 2, id, code, text, advancedOrderRejectJson]`. id −1 arrives as `info`.
 * The last field must be "" or valid JSON: anything else crashes the client (§4.15).
 */
export function errMsg(id: number, code: number, message: string, advancedOrderReject?: unknown): Fields {
  const json = advancedOrderReject === undefined ? '' : JSON.stringify(advancedOrderReject);
  return [IN.ERR_MSG, 2, id, code, message, json];
}

export function currentTime(epochSeconds: number): Fields {
  return [IN.CURRENT_TIME, 1, epochSeconds];
}

/** minTick is read as an int by the client (quirk §8.3.2); we still send the true value. */
export function tickReqParams(reqId: number, minTick: string, bboExchange: string, snapshotPermissions: number): Fields {
  return [IN.TICK_REQ_PARAMS, reqId, minTick, bboExchange, snapshotPermissions];
}

export function marketDataType(reqId: number, type: number): Fields {
  return [IN.MARKET_DATA_TYPE, 1, reqId, type];
}

/** Version 6 carries size and attribute mask. The client derives ASK/LAST sizes, never BID's. */
export function tickPrice(reqId: number, tickType: number, price: string, size: number | string, attrMask = 0): Fields {
  return [IN.TICK_PRICE, 6, reqId, tickType, price, size, attrMask];
}

export function tickSize(reqId: number, tickType: number, size: number | string): Fields {
  return [IN.TICK_SIZE, 6, reqId, tickType, size];
}

export function tickString(reqId: number, tickType: number, value: string): Fields {
  return [IN.TICK_STRING, 1, reqId, tickType, value];
}

export function tickGeneric(reqId: number, tickType: number, value: string): Fields {
  return [IN.TICK_GENERIC, 1, reqId, tickType, value];
}

export function tickSnapshotEnd(reqId: number): Fields {
  return [IN.TICK_SNAPSHOT_END, 1, reqId];
}

export interface WireOrder {
  orderId: number;
  clientId: number;
  permId: number;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice?: string;
  auxPrice?: string;
  tif: string;
  account: string;
  orderRef: string;
  outsideRth: boolean;
  status: string;
}

/** OPEN_ORDER at 193: no version field, 133 tokens for a plain order (§4.8). */
export function openOrder(c: WireContract, o: WireOrder): Fields {
  return [
    IN.OPEN_ORDER,
    o.orderId,
    // contract (3–13): no primaryExch here, unlike PLACE_ORDER
    c.conId, c.symbol, c.secType, '', 0, '', '', c.exchange, c.currency, c.localSymbol, c.tradingClass,
    // order (14–59)
    o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, '', o.account, '', 0, o.orderRef,
    o.clientId, o.permId, o.outsideRth, 0, 0, '', '', '', '', '', '', '', '', '', '', 0, '', -1, 0, '', '', '', '', '', '',
    0, 0, 0, '', 0, 0, 0, '', 0, 0,
    // volatility block (60–65); deltaNeutralOrderType empty so no 8-field insert
    '', 0, '', '', 0, 0,
    // trail and basis points (66–69)
    '', '', '', '',
    // combo legs (70–72), smart combo routing (73)
    '', 0, 0, 0,
    // scale (74–76): empty increment means no 7-field extension
    '', '', '',
    // hedgeType (77), optOut, clearingAccount, clearingIntent, notHeld (78–81), deltaNeutralContract (82), algo (83), solicited (84)
    '', 0, '', '', 0, 0, '', 0,
    // what-if block (85–100): whatIf, status, 6 before/change, 3 after, commission ×3, currency, warning
    0, o.status, '', '', '', '', '', '', '', '', '', '', '', '', '', '',
    // randomize (101–102), conditions (103)
    0, 0, 0,
    // adjusted order params (104–111)
    '', '', '', '', '', '', '', 0,
    // soft dollar tier (112–114)
    '', '', '',
    // cashQty … autoCancelParent (115–122)
    '', 0, 0, 0, '', '', '', 0,
    // peg best / mid (123–127)
    '', '', '', '', '',
    // customerAccount, professionalCustomer, bondAccruedInterest, includeOvernight (128–131)
    '', 0, '', 0,
    // extOperator, manualOrderIndicator (132–133)
    '', '',
  ];
}

export interface WireOrderStatus {
  orderId: number;
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice: string;
  permId: number;
  parentId: number;
  lastFillPrice: string;
  clientId: number;
  whyHeld?: string;
}

/** ORDER_STATUS at ≥131: 12 tokens, no version. */
export function orderStatus(s: WireOrderStatus): Fields {
  return [IN.ORDER_STATUS, s.orderId, s.status, s.filled, s.remaining, s.avgFillPrice, s.permId, s.parentId, s.lastFillPrice, s.clientId, s.whyHeld ?? '', 0];
}

export function openOrderEnd(): Fields {
  return [IN.OPEN_ORDER_END, 1];
}

export interface WireExecution {
  orderId: number;
  execId: string;
  time: string;
  account: string;
  exchange: string;
  side: 'BOT' | 'SLD';
  shares: number;
  price: string;
  permId: number;
  clientId: number;
  cumQty: number;
  avgPrice: string;
  orderRef: string;
  /** 1 added, 2 removed liquidity. */
  lastLiquidity: number;
}

/** EXECUTION_DATA at ≥136: 32 tokens. reqId −1 for live fills. */
export function executionData(reqId: number, c: WireContract, e: WireExecution): Fields {
  return [
    IN.EXECUTION_DATA, reqId, e.orderId,
    c.conId, c.symbol, c.secType, '', 0, '', '', c.exchange, c.currency, c.localSymbol, c.tradingClass,
    e.execId, e.time, e.account, e.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0, e.cumQty, e.avgPrice, e.orderRef, '', '',
    '', e.lastLiquidity, 0,
  ];
}

export function executionDataEnd(reqId: number): Fields {
  return [IN.EXECUTION_DATA_END, 1, reqId];
}

/** realizedPnl undefined → IB's "not available" marker (opening fills). */
export function commissionReport(execId: string, commission: string, currency: string, realizedPnl?: string): Fields {
  return [IN.COMMISSION_REPORT, 1, execId, commission, currency, realizedPnl ?? UNSET_DOUBLE, UNSET_DOUBLE, ''];
}

/** POSITION version 3: 16 tokens. */
export function position(account: string, c: WireContract, quantity: number, avgCost: string): Fields {
  return [IN.POSITION, 3, account, c.conId, c.symbol, c.secType, '', 0, '', '', c.exchange, c.currency, c.localSymbol, c.tradingClass, quantity, avgCost];
}

export function positionEnd(): Fields {
  return [IN.POSITION_END, 1];
}

export function accountSummary(reqId: number, account: string, tag: string, value: string, currency: string): Fields {
  return [IN.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];
}

export function accountSummaryEnd(reqId: number): Fields {
  return [IN.ACCOUNT_SUMMARY_END, 1, reqId];
}

export function acctValue(key: string, value: string, currency: string, account: string): Fields {
  return [IN.ACCT_VALUE, 2, key, value, currency, account];
}

export interface WirePortfolio {
  position: number;
  marketPrice: string;
  marketValue: string;
  averageCost: string;
  unrealizedPnl: string;
  realizedPnl: string;
}

/** PORTFOLIO_VALUE version 8: 20 tokens. */
export function portfolioValue(c: WireContract, p: WirePortfolio, account: string): Fields {
  return [
    IN.PORTFOLIO_VALUE, 8, c.conId, c.symbol, c.secType, '', 0, '', '', c.primaryExchange, c.currency, c.localSymbol, c.tradingClass,
    p.position, p.marketPrice, p.marketValue, p.averageCost, p.unrealizedPnl, p.realizedPnl, account,
  ];
}

export function acctUpdateTime(hhmm: string): Fields {
  return [IN.ACCT_UPDATE_TIME, 1, hhmm];
}

export function acctDownloadEnd(account: string): Fields {
  return [IN.ACCT_DOWNLOAD_END, 1, account];
}

export interface WireContractDetails {
  contract: WireContract;
  minTick: string;
  longName: string;
  timeZoneId: string;
}

/** CONTRACT_DATA at 193 (≥164: no version; ≥182 lastTradeDate; ≥186 ineligibility list). */
export function contractData(reqId: number, d: WireContractDetails): Fields {
  const c = d.contract;
  return [
    IN.CONTRACT_DATA, reqId, c.symbol, c.secType, '', '', 0, '', c.exchange, c.currency, c.localSymbol, c.tradingClass /* marketName */,
    c.tradingClass, c.conId, d.minTick, '', 'ACTIVETIM,AD,ALERT,ALLOC,LMT,MKT,STP', `SMART,${c.primaryExchange}`, 1, 0,
    d.longName, c.primaryExchange, '', '', '', '', d.timeZoneId, '', '', '', '',
    0, // secIdList count
    1, '', '', '26', '', 'COMMON', '1', '1', '100', 0,
  ];
}

export function contractDataEnd(reqId: number): Fields {
  return [IN.CONTRACT_DATA_END, 1, reqId];
}

export function completedOrdersEnd(): Fields {
  return [IN.COMPLETED_ORDERS_END];
}

/** One bar of HISTORICAL_DATA; volume, WAP and count are −1 for quote bars (MIDPOINT, BID, ASK), as IB sends them. */
export interface WireBar {
  date: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  wap: string;
  count: number;
}

/**
 * HISTORICAL_DATA at 193 (decoder.js decodeMsg_HISTORICAL_DATA): no version field (≥ 124), then
 * `[reqId, startDateStr, endDateStr, itemCount, (date, open, high, low, close, volume, WAP, barCount) × n]`.
 * No hasGaps (< 124 only) and no separate end message: the client emits the end marker itself
 * ("finished-<start>-<end>") after the last bar.
 */
export function historicalData(reqId: number, startDateStr: string, endDateStr: string, bars: ReadonlyArray<WireBar>): Fields {
  const f: Fields = [IN.HISTORICAL_DATA, reqId, startDateStr, endDateStr, bars.length];
  for (const b of bars) f.push(b.date, b.open, b.high, b.low, b.close, b.volume, b.wap, b.count);
  return f;
}
