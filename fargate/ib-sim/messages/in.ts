/**
 * Client → server message decoders at server version 193 (ids from @stoqey/ib encoder.js:22-101).
 *
 * Every id the client can send maps to a typed request, a known-but-unsupported request (answered
 * with an error on its reqId so the caller does not hang), or an ignored cancel. Short or garbled
 * messages become `malformed`, which the session answers with ERR 321 instead of crashing.
 */

export const OUT = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_HISTORICAL_DATA: 20,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_CURRENT_TIME: 49,
  REQ_GLOBAL_CANCEL: 58,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
  REQ_COMPLETED_ORDERS: 99,
} as const;

/**
 * Requests we do not serve. `reqIdAt` is the field index of the request id (answered with an
 * error there, so an IBApiNext subscription ends instead of waiting forever); `cancel` marks
 * messages that need no answer at all.
 */
const UNSUPPORTED: Record<number, { name: string; reqIdAt?: number; cancel?: true }> = {
  10: { name: 'reqMktDepth', reqIdAt: 2 },
  11: { name: 'cancelMktDepth', cancel: true },
  12: { name: 'reqNewsBulletins', cancel: true },
  13: { name: 'cancelNewsBulletins', cancel: true },
  14: { name: 'setServerLogLevel', cancel: true },
  18: { name: 'requestFA' },
  19: { name: 'replaceFA' },
  21: { name: 'exerciseOptions', reqIdAt: 2 },
  22: { name: 'reqScannerSubscription', reqIdAt: 1 },
  23: { name: 'cancelScannerSubscription', cancel: true },
  24: { name: 'reqScannerParameters' },
  25: { name: 'cancelHistoricalData', cancel: true },
  50: { name: 'reqRealTimeBars', reqIdAt: 2 },
  51: { name: 'cancelRealTimeBars', cancel: true },
  52: { name: 'reqFundamentalData', reqIdAt: 2 },
  53: { name: 'cancelFundamentalData', cancel: true },
  54: { name: 'calculateImpliedVolatility', reqIdAt: 2 },
  55: { name: 'calculateOptionPrice', reqIdAt: 2 },
  56: { name: 'cancelCalculateImpliedVolatility', cancel: true },
  57: { name: 'cancelCalculateOptionPrice', cancel: true },
  65: { name: 'verifyRequest', cancel: true },
  66: { name: 'verifyMessage', cancel: true },
  67: { name: 'queryDisplayGroups', reqIdAt: 2 },
  68: { name: 'subscribeToGroupEvents', reqIdAt: 2 },
  69: { name: 'updateDisplayGroup', cancel: true },
  70: { name: 'unsubscribeFromGroupEvents', cancel: true },
  72: { name: 'verifyAndAuthRequest', cancel: true },
  73: { name: 'verifyAndAuthMessage', cancel: true },
  74: { name: 'reqPositionsMulti', reqIdAt: 2 },
  75: { name: 'cancelPositionsMulti', cancel: true },
  76: { name: 'reqAccountUpdatesMulti', reqIdAt: 2 },
  77: { name: 'cancelAccountUpdatesMulti', cancel: true },
  78: { name: 'reqSecDefOptParams', reqIdAt: 1 },
  79: { name: 'reqSoftDollarTiers', reqIdAt: 1 },
  80: { name: 'reqFamilyCodes' },
  81: { name: 'reqMatchingSymbols', reqIdAt: 1 },
  82: { name: 'reqMktDepthExchanges' },
  83: { name: 'reqSmartComponents', reqIdAt: 1 },
  84: { name: 'reqNewsArticle', reqIdAt: 1 },
  85: { name: 'reqNewsProviders' },
  86: { name: 'reqHistoricalNews', reqIdAt: 1 },
  87: { name: 'reqHeadTimestamp', reqIdAt: 1 },
  88: { name: 'reqHistogramData', reqIdAt: 1 },
  89: { name: 'cancelHistogramData', cancel: true },
  90: { name: 'cancelHeadTimestamp', cancel: true },
  91: { name: 'reqMarketRule' },
  92: { name: 'reqPnL', reqIdAt: 1 },
  93: { name: 'cancelPnL', cancel: true },
  94: { name: 'reqPnLSingle', reqIdAt: 1 },
  95: { name: 'cancelPnLSingle', cancel: true },
  96: { name: 'reqHistoricalTicks', reqIdAt: 1 },
  97: { name: 'reqTickByTickData', reqIdAt: 1 },
  98: { name: 'cancelTickByTickData', cancel: true },
  100: { name: 'reqWshMetaData', reqIdAt: 1 },
  101: { name: 'cancelWshMetaData', cancel: true },
  102: { name: 'reqWshEventData', reqIdAt: 1 },
  103: { name: 'cancelWshEventData', cancel: true },
  104: { name: 'reqUserInfo', reqIdAt: 1 },
};

/** Contract fields the simulator uses to find an instrument. */
export interface ContractRef {
  conId: number;
  symbol: string;
  secType: string;
  exchange: string;
  primaryExchange: string;
  currency: string;
}

export interface PlaceOrderRequest {
  kind: 'placeOrder';
  orderId: number;
  contract: ContractRef;
  action: string;
  totalQuantity: string;
  orderType: string;
  /** "" when unset. */
  lmtPrice: string;
  auxPrice: string;
  tif: string;
  account: string;
  orderRef: string;
  /** Empty in the client unless set; the simulator treats empty as "transmit" (IB's default). */
  transmit: boolean;
  outsideRth: boolean;
  fieldCount: number;
}

/** reqHistoricalData at 193 (encoder.js reqHistoricalData: no version field from SYNT_REALTIME_BARS = 124). */
export interface HistoricalDataRequest {
  kind: 'reqHistoricalData';
  reqId: number;
  contract: ContractRef;
  endDateTime: string;
  barSizeSetting: string;
  durationStr: string;
  useRTH: boolean;
  whatToShow: string;
  formatDate: number;
  keepUpToDate: boolean;
}

export interface ExecutionFilter {
  clientId?: number;
  acctCode?: string;
  time?: string;
  symbol?: string;
  secType?: string;
  exchange?: string;
  side?: string;
}

export type InboundRequest =
  | { kind: 'startApi'; clientId: number; optionalCapabilities: string }
  | { kind: 'reqIds'; numIds: number }
  | { kind: 'reqCurrentTime' }
  | { kind: 'reqManagedAccts' }
  | { kind: 'reqPositions' }
  | { kind: 'cancelPositions' }
  | { kind: 'reqAccountSummary'; reqId: number; group: string; tags: string[] }
  | { kind: 'cancelAccountSummary'; reqId: number }
  | { kind: 'reqAccountUpdates'; subscribe: boolean; account: string }
  | { kind: 'reqMktData'; reqId: number; contract: ContractRef; genericTickList: string; snapshot: boolean; regulatorySnapshot: boolean }
  | { kind: 'cancelMktData'; reqId: number }
  | { kind: 'reqMarketDataType'; marketDataType: number }
  | PlaceOrderRequest
  | { kind: 'cancelOrder'; orderId: number }
  | { kind: 'reqGlobalCancel' }
  | { kind: 'reqOpenOrders' }
  | { kind: 'reqAllOpenOrders' }
  | { kind: 'reqAutoOpenOrders'; autoBind: boolean }
  | { kind: 'reqExecutions'; reqId: number; filter: ExecutionFilter }
  | { kind: 'reqCompletedOrders'; apiOnly: boolean }
  | { kind: 'reqContractDetails'; reqId: number; contract: ContractRef }
  | HistoricalDataRequest
  | { kind: 'unsupported'; msgId: number; name: string; reqId?: number; cancel: boolean }
  | { kind: 'unknown'; msgId: number }
  | { kind: 'malformed'; msgId: number; reason: string };

class Underrun extends Error {}

/** Reads fields in order; running past the end throws Underrun, turned into `malformed`. */
class Cursor {
  private i = 0;
  constructor(private readonly f: ReadonlyArray<string>) {}
  get index(): number {
    return this.i;
  }
  str(): string {
    if (this.i >= this.f.length) throw new Underrun(`needs more than ${this.f.length} fields`);
    return this.f[this.i++] ?? '';
  }
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new Underrun(`field ${this.i - 1} is not an integer: "${s}"`);
    return n;
  }
  bool(): boolean {
    const s = this.str();
    return s !== '' && s !== '0' && s.toLowerCase() !== 'false';
  }
  skip(n: number): void {
    for (let k = 0; k < n; k++) this.str();
  }
}

/** Decodes one framed client message (fields include the message id). */
export function decodeRequest(fields: ReadonlyArray<string>): InboundRequest {
  const first = fields[0] ?? '';
  const msgId = /^\d+$/.test(first) ? Number(first) : NaN;
  if (Number.isNaN(msgId)) return { kind: 'malformed', msgId: -1, reason: `message id "${first}" is not a number` };
  const c = new Cursor(fields);
  c.str();
  try {
    return decodeBody(msgId, c, fields);
  } catch (e) {
    if (e instanceof Underrun) return { kind: 'malformed', msgId, reason: e.message };
    throw e;
  }
}

function decodeBody(msgId: number, c: Cursor, fields: ReadonlyArray<string>): InboundRequest {
  switch (msgId) {
    case OUT.START_API: {
      c.str(); // version 2
      const raw = c.str();
      return { kind: 'startApi', clientId: raw === '' ? 0 : Number.parseInt(raw, 10) || 0, optionalCapabilities: fields.length > 3 ? c.str() : '' };
    }
    case OUT.REQ_IDS:
      c.str();
      return { kind: 'reqIds', numIds: fields.length > 2 ? c.int() : 0 };
    case OUT.REQ_CURRENT_TIME:
      return { kind: 'reqCurrentTime' };
    case OUT.REQ_MANAGED_ACCTS:
      return { kind: 'reqManagedAccts' };
    case OUT.REQ_POSITIONS:
      return { kind: 'reqPositions' };
    case OUT.CANCEL_POSITIONS:
      return { kind: 'cancelPositions' };
    case OUT.REQ_ACCOUNT_SUMMARY: {
      c.str();
      const reqId = c.int();
      const group = c.str();
      const tags = c.str().split(',').map((t) => t.trim()).filter((t) => t !== '');
      return { kind: 'reqAccountSummary', reqId, group, tags };
    }
    case OUT.CANCEL_ACCOUNT_SUMMARY:
      c.str();
      return { kind: 'cancelAccountSummary', reqId: c.int() };
    case OUT.REQ_ACCOUNT_DATA: {
      c.str();
      const subscribe = c.bool();
      return { kind: 'reqAccountUpdates', subscribe, account: fields.length > 3 ? c.str() : '' };
    }
    case OUT.REQ_MKT_DATA:
      return decodeReqMktData(c);
    case OUT.CANCEL_MKT_DATA:
      c.str();
      return { kind: 'cancelMktData', reqId: c.int() };
    case OUT.REQ_MARKET_DATA_TYPE:
      c.str();
      return { kind: 'reqMarketDataType', marketDataType: c.int() };
    case OUT.PLACE_ORDER:
      return decodePlaceOrder(c, fields.length);
    case OUT.CANCEL_ORDER:
      // At ≥192: [4, orderId, manualOrderCancelTime, extOperator, manualOrderIndicator] (no version).
      return { kind: 'cancelOrder', orderId: c.int() };
    case OUT.REQ_GLOBAL_CANCEL:
      return { kind: 'reqGlobalCancel' };
    case OUT.REQ_OPEN_ORDERS:
      return { kind: 'reqOpenOrders' };
    case OUT.REQ_ALL_OPEN_ORDERS:
      return { kind: 'reqAllOpenOrders' };
    case OUT.REQ_AUTO_OPEN_ORDERS:
      c.str();
      return { kind: 'reqAutoOpenOrders', autoBind: c.bool() };
    case OUT.REQ_EXECUTIONS: {
      c.str();
      const reqId = c.int();
      const opt = (s: string): string | undefined => (s === '' ? undefined : s);
      const clientIdRaw = c.str();
      const filter: ExecutionFilter = {};
      if (clientIdRaw !== '') filter.clientId = Number.parseInt(clientIdRaw, 10);
      const acctCode = opt(c.str());
      const time = opt(c.str());
      const symbol = opt(c.str());
      const secType = opt(c.str());
      const exchange = opt(c.str());
      const side = opt(c.str());
      if (acctCode !== undefined) filter.acctCode = acctCode;
      if (time !== undefined) filter.time = time;
      if (symbol !== undefined) filter.symbol = symbol;
      if (secType !== undefined) filter.secType = secType;
      if (exchange !== undefined) filter.exchange = exchange;
      if (side !== undefined) filter.side = side;
      return { kind: 'reqExecutions', reqId, filter };
    }
    case OUT.REQ_COMPLETED_ORDERS:
      return { kind: 'reqCompletedOrders', apiOnly: fields.length > 1 ? c.bool() : false };
    case OUT.REQ_CONTRACT_DATA: {
      c.str(); // version 8
      const reqId = c.int();
      const conId = c.int();
      const symbol = c.str();
      const secType = c.str();
      c.skip(4); // lastTradeDateOrContractMonth, strike, right, multiplier
      const exchange = c.str();
      const primaryExchange = c.str();
      const currency = c.str();
      return { kind: 'reqContractDetails', reqId, contract: { conId, symbol, secType, exchange, primaryExchange, currency } };
    }
    case OUT.REQ_HISTORICAL_DATA: {
      // [20, reqId, contract(12), includeExpired, endDateTime, barSize, duration, useRTH, whatToShow, formatDate, (BAG legs), keepUpToDate, chartOptions]
      const reqId = c.int();
      const contract = readContract12(c);
      c.str(); // includeExpired
      const endDateTime = c.str();
      const barSizeSetting = c.str();
      const durationStr = c.str();
      const useRTH = c.bool();
      const whatToShow = c.str();
      const formatDate = c.int();
      if (contract.secType === 'BAG') c.skip(c.int() * 4);
      const keepUpToDate = fields.length > c.index ? c.bool() : false;
      return { kind: 'reqHistoricalData', reqId, contract, endDateTime, barSizeSetting, durationStr, useRTH, whatToShow, formatDate, keepUpToDate };
    }
    default: {
      const u = UNSUPPORTED[msgId];
      if (!u) return { kind: 'unknown', msgId };
      const reqIdRaw = u.reqIdAt === undefined ? undefined : fields[u.reqIdAt];
      const reqId = reqIdRaw !== undefined && /^-?\d+$/.test(reqIdRaw) ? Number(reqIdRaw) : undefined;
      return reqId === undefined
        ? { kind: 'unsupported', msgId, name: u.name, cancel: u.cancel === true }
        : { kind: 'unsupported', msgId, name: u.name, reqId, cancel: u.cancel === true };
    }
  }
}

/** conId, symbol, secType, lastTrade, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, tradingClass. */
function readContract12(c: Cursor): ContractRef {
  const conId = c.int();
  const symbol = c.str();
  const secType = c.str();
  c.skip(4);
  const exchange = c.str();
  const primaryExchange = c.str();
  const currency = c.str();
  c.skip(2);
  return { conId, symbol, secType, exchange, primaryExchange, currency };
}

function decodeReqMktData(c: Cursor): InboundRequest {
  c.str(); // version 11
  const reqId = c.int();
  const contract = readContract12(c);
  if (contract.secType === 'BAG') {
    const legs = c.int();
    c.skip(legs * 4);
  }
  if (c.bool()) c.skip(3); // deltaNeutralContract: conId, delta, price
  const genericTickList = c.str();
  const snapshot = c.bool();
  const regulatorySnapshot = c.bool();
  return { kind: 'reqMktData', reqId, contract, genericTickList, snapshot, regulatorySnapshot };
}

/**
 * PLACE_ORDER at 193 (no version field; a plain order is 118 fields, tws-protocol.md §4.4).
 * We read through the extended block (field 35, `hidden`); everything after it is order
 * attributes the simulator does not model, so their exact count is not enforced.
 */
function decodePlaceOrder(c: Cursor, fieldCount: number): PlaceOrderRequest {
  const orderId = c.int();
  const conId = c.int();
  const symbol = c.str();
  const secType = c.str();
  c.skip(4);
  const exchange = c.str();
  const primaryExchange = c.str();
  const currency = c.str();
  c.skip(4); // localSymbol, tradingClass, secIdType, secId
  const action = c.str();
  const totalQuantity = c.str();
  const orderType = c.str();
  const lmtPrice = c.str();
  const auxPrice = c.str();
  const tif = c.str();
  c.str(); // ocaGroup
  const account = c.str();
  c.skip(2); // openClose, origin
  const orderRef = c.str();
  const transmitRaw = c.str();
  c.skip(5); // parentId, blockOrder, sweepToFill, displaySize, triggerMethod
  const outsideRth = c.bool();
  c.str(); // hidden
  return {
    kind: 'placeOrder',
    orderId,
    contract: { conId, symbol, secType, exchange, primaryExchange, currency },
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    account,
    orderRef,
    transmit: transmitRaw === '' || transmitRaw === '1' || transmitRaw.toLowerCase() === 'true',
    outsideRth,
    fieldCount,
  };
}
