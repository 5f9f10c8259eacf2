/**
 * One TCP client of the simulator: handshake, START_API, request handlers and the pushes that
 * follow broker events (order updates and fills for this clientId, position/account/market-data
 * streams this session subscribed to).
 */
import type { Socket } from 'node:net';
import type { BrokerExecution, BrokerOrder } from './broker.js';
import type { Broker } from './broker.js';
import { fmt, fmtMoney, type Fixed } from './fixed.js';
import { encodeFrame, FramingError, InboundFrameReader, type InboundItem, type WireField } from './framing.js';
import type { Quote } from './market.js';
import { dailyBars, ibDay, WHAT_TO_SHOW, type WhatToShow } from './history.js';
import { decodeRequest, type HistoricalDataRequest, type InboundRequest } from './messages/in.js';
import * as out from './messages/out.js';
import { SERVER_VERSION, TickType } from './messages/out.js';

export interface SimLogger {
  info(msg: string, f?: object): void;
  warn(msg: string, f?: object): void;
  error(msg: string, f?: object): void;
}

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly broker: Broker;
  readonly logger: SimLogger;
  now(): number;
  isSilent(): boolean;
  clientIdInUse(clientId: number, self: Session): boolean;
  onClosed(self: Session): void;
}

/** Farm-status infos a healthy gateway sends after START_API (tws-protocol.md §2.4). */
export const FARM_OK: ReadonlyArray<[number, string]> = [
  [2104, 'Market data farm connection is OK:usfarm'],
  [2106, 'HMDS data farm connection is OK:ushmds'],
  [2158, 'Sec-def data farm connection is OK:secdefnj'],
];

const ACCOUNT_UPDATE_KEYS = [
  'NetLiquidation', 'TotalCashValue', 'CashBalance', 'SettledCash', 'AccruedCash', 'BuyingPower', 'EquityWithLoanValue', 'GrossPositionValue',
  'StockMarketValue', 'InitMarginReq', 'MaintMarginReq', 'AvailableFunds', 'ExcessLiquidity', 'RealizedPnL', 'UnrealizedPnL',
] as const;

const LEDGER_TAGS: ReadonlyArray<[string, string]> = [
  ['CashBalance', 'CashBalance'], ['TotalCashBalance', 'CashBalance'], ['StockMarketValue', 'StockMarketValue'],
  ['NetLiquidationByCurrency', 'NetLiquidation'], ['RealizedPnL', 'RealizedPnL'], ['UnrealizedPnL', 'UnrealizedPnL'],
];

interface MktSub {
  symbol: string;
  sent: { bid?: Fixed; ask?: Fixed; bidSize?: number; askSize?: number; last?: Fixed; lastSize?: number; volume?: number };
}

let nextSessionId = 1;

export class Session {
  readonly id = nextSessionId++;
  clientId = -1;
  started = false;
  private readonly reader = new InboundFrameReader();
  private handshaken = false;
  private closed = false;
  private readonly mkt = new Map<number, MktSub>();
  private positionsSub = false;
  private readonly summarySubs = new Map<number, string[]>();
  private accountUpdatesSub = false;
  private readonly detach: Array<() => void> = [];

  constructor(
    private readonly socket: Socket,
    private readonly host: SessionHost,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.onClose());
    socket.on('error', (e) => host.logger.warn('ib-sim socket error', { session: this.id, error: e.message }));
    this.listen();
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Half-close like a restarting gateway (FIN), then make sure the socket goes away. */
  close(): void {
    if (this.closed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
  }

  /** System message (id −1, arrives as `info`). */
  sendSystem(code: number, message: string): void {
    if (this.started) this.send(out.errMsg(-1, code, message));
  }

  /** IB 1101 "data lost": the client has to request market data and account streams again. */
  dropSubscriptions(): void {
    this.mkt.clear();
    this.summarySubs.clear();
    this.positionsSub = false;
    this.accountUpdatesSub = false;
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.detach) d();
    this.host.onClosed(this);
  }

  private send(fields: WireField[]): void {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(encodeFrame(fields));
  }

  private onData(chunk: Buffer): void {
    let items: InboundItem[];
    try {
      items = this.reader.push(chunk);
    } catch (e) {
      const code = e instanceof FramingError ? e.code : 'FRAMING.UNKNOWN';
      this.host.logger.warn('ib-sim dropping client after a framing error', { session: this.id, code, error: (e as Error).message });
      this.socket.destroy();
      return;
    }
    for (const item of items) {
      if (this.closed) return;
      // A frozen gateway reads nothing and answers nothing (fault "silent").
      if (this.host.isSilent()) continue;
      try {
        this.handle(item);
      } catch (e) {
        this.host.logger.error('ib-sim request handler failed', { session: this.id, error: (e as Error).stack ?? String(e) });
        if (this.started) this.send(out.errMsg(-1, 321, `Error validating request: ${(e as Error).message}`));
      }
    }
  }

  private handle(item: InboundItem): void {
    if (item.kind === 'handshake') {
      // Every layout here is the 193 one, so a client whose range does not reach 193 is refused
      // rather than served messages it would misread.
      const version = SERVER_VERSION;
      if (item.minVersion > version || item.maxVersion < version) {
        this.host.logger.warn('ib-sim only speaks server version 193', { min: item.minVersion, max: item.maxVersion });
        this.socket.destroy();
        return;
      }
      this.handshaken = true;
      this.send(out.serverVersionReply(connectionTime(this.host.now()), version));
      return;
    }
    if (!this.handshaken) return;
    const req = decodeRequest(item.fields);
    if (req.kind === 'startApi') return this.onStartApi(req.clientId);
    if (!this.started) {
      this.host.logger.warn('ib-sim request before START_API ignored', { session: this.id, kind: req.kind });
      return;
    }
    this.dispatch(req);
  }

  private onStartApi(clientId: number): void {
    if (this.started) return;
    if (this.host.clientIdInUse(clientId, this)) {
      this.host.logger.warn('ib-sim client id already in use', { clientId });
      this.send(out.errMsg(-1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.'));
      this.close();
      return;
    }
    this.clientId = clientId;
    this.started = true;
    this.host.logger.info('ib-sim client started', { session: this.id, clientId, remote: this.remote });
    const b = this.host.broker;
    this.send(out.managedAccounts([b.accountId]));
    this.send(out.nextValidId(b.nextOrderId()));
    for (const [code, msg] of FARM_OK) this.send(out.errMsg(-1, code, msg));
    // TWS "sends back all the API open orders upon connection" (IB EClient comment).
    for (const o of b.workingOrders(clientId)) this.sendOrder(o);
  }

  // ---- requests -------------------------------------------------------------------------------

  private dispatch(req: InboundRequest): void {
    const b = this.host.broker;
    switch (req.kind) {
      case 'startApi':
        return;
      case 'reqIds':
        return this.send(out.nextValidId(b.nextOrderId()));
      case 'reqCurrentTime':
        return this.send(out.currentTime(Math.floor(this.host.now() / 1000)));
      case 'reqManagedAccts':
        return this.send(out.managedAccounts([b.accountId]));
      case 'reqPositions':
        for (const s of b.account.symbols()) {
          const p = b.account.position(s);
          if (p.qty !== 0) this.sendPosition(s);
        }
        this.send(out.positionEnd());
        this.positionsSub = true;
        return;
      case 'cancelPositions':
        this.positionsSub = false;
        return;
      case 'reqAccountSummary':
        if (this.summarySubs.has(req.reqId)) {
          return this.send(out.errMsg(req.reqId, 322, `Error processing request.-'bX' : cause - Duplicate account summary request id ${req.reqId}`));
        }
        this.summarySubs.set(req.reqId, req.tags);
        return this.sendAccountSummary(req.reqId, req.tags);
      case 'cancelAccountSummary':
        this.summarySubs.delete(req.reqId);
        return;
      case 'reqAccountUpdates':
        this.accountUpdatesSub = req.subscribe;
        if (req.subscribe) this.sendAccountUpdates(undefined, true);
        return;
      case 'reqMktData':
        return this.onReqMktData(req.reqId, req.contract, req.snapshot || req.regulatorySnapshot);
      case 'cancelMktData':
        this.mkt.delete(req.reqId);
        return;
      case 'reqMarketDataType':
        // Live data is always available here, and IB returns live data whenever it is (§4.13).
        return;
      case 'placeOrder': {
        const r = b.placeOrder(this.clientId, req);
        if (!r.ok) this.send(out.errMsg(req.orderId, r.code, r.message));
        return;
      }
      case 'cancelOrder': {
        const r = b.cancelOrder(this.clientId, req.orderId);
        if (!r.ok) this.send(out.errMsg(req.orderId, r.code, r.message));
        return;
      }
      case 'reqGlobalCancel':
        b.globalCancel(this.clientId);
        return;
      case 'reqOpenOrders':
        for (const o of b.workingOrders(this.clientId)) this.sendOrder(o);
        return this.send(out.openOrderEnd());
      case 'reqAllOpenOrders':
        for (const o of b.workingOrders()) this.sendOrder(o);
        return this.send(out.openOrderEnd());
      case 'reqAutoOpenOrders':
        return;
      case 'reqExecutions':
        for (const e of b.findExecutions(req.filter)) {
          this.sendExecution(req.reqId, e);
          this.sendCommission(e);
        }
        return this.send(out.executionDataEnd(req.reqId));
      case 'reqCompletedOrders':
        // COMPLETED_ORDER bodies are not modelled (their layout is unverified); the END marker
        // is what the client waits for.
        return this.send(out.completedOrdersEnd());
      case 'reqContractDetails': {
        const symbol = b.resolveSymbol(req.contract);
        const spec = symbol ? b.market.instrument(symbol) : undefined;
        if (!spec) return this.send(out.errMsg(req.reqId, 200, 'No security definition has been found for the request'));
        this.send(out.contractData(req.reqId, { contract: wireContract(b, spec.symbol), minTick: spec.tickSize, longName: spec.longName, timeZoneId: 'US/Eastern' }));
        return this.send(out.contractDataEnd(req.reqId));
      }
      case 'reqHistoricalData':
        return this.onReqHistoricalData(req);
      case 'unsupported':
        if (req.cancel) return;
        return this.send(out.errMsg(req.reqId ?? -1, 321, `Error validating request.-'ib-sim' : cause - ${req.name} is not supported by the simulator`));
      case 'unknown':
        return this.send(out.errMsg(-1, 321, `Error validating request.-'ib-sim' : cause - unknown message id ${req.msgId}`));
      case 'malformed':
        return this.send(out.errMsg(-1, 321, `Error validating request.-'ib-sim' : cause - malformed message ${req.msgId}: ${req.reason}`));
    }
  }

  private onReqMktData(reqId: number, contract: { conId: number; symbol: string; secType: string }, snapshot: boolean): void {
    const b = this.host.broker;
    if (this.mkt.has(reqId)) return this.send(out.errMsg(reqId, 322, `Error processing request.-'bW' : cause - Duplicate ticker id ${reqId}`));
    const symbol = b.resolveSymbol(contract);
    const quote = symbol ? b.market.quote(symbol) : undefined;
    const spec = symbol ? b.market.instrument(symbol) : undefined;
    if (!symbol || !quote || !spec) return this.send(out.errMsg(reqId, 200, 'No security definition has been found for the request'));
    this.send(out.tickReqParams(reqId, spec.tickSize, '9c0001', 3));
    this.send(out.marketDataType(reqId, 1));
    const sub: MktSub = { symbol, sent: {} };
    this.sendTicks(reqId, sub, quote, true);
    if (snapshot) return this.send(out.tickSnapshotEnd(reqId));
    this.mkt.set(reqId, sub);
  }

  /** Daily bars only (what the bridge asks for); other bar sizes are refused as IB refuses an invalid setting. */
  private onReqHistoricalData(req: HistoricalDataRequest): void {
    const b = this.host.broker;
    const symbol = b.resolveSymbol(req.contract);
    const spec = symbol ? b.market.instrument(symbol) : undefined;
    const tick = symbol ? b.market.tickSize(symbol) : undefined;
    const mid = symbol ? b.market.mid(symbol) : undefined;
    if (!symbol || !spec || tick === undefined || mid === undefined) return this.send(out.errMsg(req.reqId, 200, 'No security definition has been found for the request'));
    if (req.barSizeSetting.trim() !== '1 day') return this.send(out.errMsg(req.reqId, 321, `Error validating request.-'bP' : cause - Historical data bar size setting "${req.barSizeSetting}" is not served by the simulator (1 day only)`));
    const whatToShow = req.whatToShow.toUpperCase();
    if (!(WHAT_TO_SHOW as readonly string[]).includes(whatToShow)) return this.send(out.errMsg(req.reqId, 321, `Error validating request.-'bP' : cause - Historical data request whatToShow "${req.whatToShow}" is invalid`));
    const r = dailyBars({ symbol, seed: b.seed, tick, anchor: mid, now: this.host.now(), endDateTime: req.endDateTime, durationStr: req.durationStr, whatToShow: whatToShow as WhatToShow });
    if (!r.ok) return this.send(out.errMsg(req.reqId, 321, `Error validating request.-'bP' : cause - ${r.message}`));
    const bars = r.bars.map((bar) => ({
      date: ibDay(bar.day),
      open: fmt(bar.open),
      high: fmt(bar.high),
      low: fmt(bar.low),
      close: fmt(bar.close),
      volume: bar.volume === undefined ? '-1' : String(bar.volume),
      wap: bar.wap === undefined ? '-1' : fmt(bar.wap),
      count: bar.count ?? -1,
    }));
    this.send(out.historicalData(req.reqId, `${ibDay(r.startDay)}  00:00:00`, `${ibDay(r.endDay)}  16:00:00`, bars));
  }

  // ---- pushes ---------------------------------------------------------------------------------

  private listen(): void {
    const b = this.host.broker;
    const onOrder = (o: BrokerOrder): void => {
      if (this.started && o.clientId === this.clientId) this.sendOrder(o);
    };
    const onCancelled = (o: BrokerOrder): void => {
      if (!this.started || o.clientId !== this.clientId) return;
      this.sendOrderStatus(o);
      this.send(out.errMsg(o.orderId, 202, 'Order Canceled - reason:'));
    };
    const onExecution = (e: BrokerExecution, o: BrokerOrder): void => {
      if (!this.started || o.clientId !== this.clientId) return;
      this.sendExecution(-1, e);
      this.sendOrderStatus(o);
      if (o.status === 'Filled') this.send(out.openOrder(wireContract(b, o.symbol), wireOrder(o)));
      this.sendCommission(e);
    };
    const onPosition = (symbol: string): void => {
      if (!this.started) return;
      if (this.positionsSub) this.sendPosition(symbol);
      if (this.accountUpdatesSub) this.sendAccountUpdates(symbol, false);
      for (const [reqId, tags] of this.summarySubs) this.sendAccountSummary(reqId, tags);
    };
    const onQuotes = (quotes: Quote[]): void => {
      if (!this.started || this.mkt.size === 0) return;
      const bySymbol = new Map(quotes.map((q) => [q.symbol, q]));
      for (const [reqId, sub] of this.mkt) {
        const q = bySymbol.get(sub.symbol);
        if (q) this.sendTicks(reqId, sub, q, false);
      }
    };
    b.on('order', onOrder);
    b.on('cancelled', onCancelled);
    b.on('execution', onExecution);
    b.on('positionChanged', onPosition);
    b.on('quotes', onQuotes);
    this.detach.push(
      () => b.off('order', onOrder),
      () => b.off('cancelled', onCancelled),
      () => b.off('execution', onExecution),
      () => b.off('positionChanged', onPosition),
      () => b.off('quotes', onQuotes),
    );
  }

  private sendOrder(o: BrokerOrder): void {
    this.send(out.openOrder(wireContract(this.host.broker, o.symbol), wireOrder(o)));
    this.sendOrderStatus(o);
  }

  private sendOrderStatus(o: BrokerOrder): void {
    this.send(
      out.orderStatus({
        orderId: o.orderId,
        status: o.status,
        filled: o.filled,
        remaining: o.status === 'Cancelled' ? 0 : o.totalQuantity - o.filled,
        avgFillPrice: o.filled > 0 ? fmt(o.fillValue / BigInt(o.filled)) : '0',
        permId: o.permId,
        parentId: 0,
        lastFillPrice: fmt(o.lastFillPrice),
        clientId: o.clientId,
      }),
    );
  }

  private sendExecution(reqId: number, e: BrokerExecution): void {
    const b = this.host.broker;
    this.send(
      out.executionData(reqId, wireContract(b, e.symbol), {
        orderId: e.orderId,
        execId: e.execId,
        time: execTime(e.at),
        account: b.accountId,
        exchange: b.market.instrument(e.symbol)?.primaryExchange ?? 'SMART',
        side: e.side,
        shares: e.shares,
        price: fmt(e.price),
        permId: e.permId,
        clientId: e.clientId,
        cumQty: e.cumQty,
        avgPrice: fmt(e.avgPrice),
        orderRef: e.orderRef,
        lastLiquidity: e.liquidity,
      }),
    );
  }

  private sendCommission(e: BrokerExecution): void {
    this.send(out.commissionReport(e.execId, fmt(e.commission), 'USD', e.realized === undefined ? undefined : fmt(e.realized)));
  }

  private sendPosition(symbol: string): void {
    const b = this.host.broker;
    this.send(out.position(b.accountId, wireContract(b, symbol), b.account.position(symbol).qty, fmt(b.account.avgCost(symbol))));
  }

  private sendAccountSummary(reqId: number, tags: ReadonlyArray<string>): void {
    const b = this.host.broker;
    const v = b.accountValues();
    for (const tag of tags) {
      if (tag.startsWith('$LEDGER')) {
        for (const [name, key] of LEDGER_TAGS) this.send(out.accountSummary(reqId, b.accountId, name, fmtMoney(v[key] ?? 0n), 'USD'));
        continue;
      }
      const value = summaryTag(tag, v);
      if (value) this.send(out.accountSummary(reqId, b.accountId, tag, value.value, value.currency));
    }
    this.send(out.accountSummaryEnd(reqId));
  }

  /** Full download (symbol undefined) or the update after one symbol changed. */
  private sendAccountUpdates(symbol: string | undefined, full: boolean): void {
    const b = this.host.broker;
    const v = b.accountValues();
    if (full) this.send(out.acctValue('AccountCode', b.accountId, '', b.accountId));
    for (const key of ACCOUNT_UPDATE_KEYS) this.send(out.acctValue(key, fmtMoney(v[key] ?? 0n), 'USD', b.accountId));
    const symbols = symbol === undefined ? b.account.symbols().filter((s) => b.account.position(s).qty !== 0) : [symbol];
    for (const s of symbols) {
      const p = b.account.position(s);
      const mark = b.mark(s);
      const value = mark * BigInt(p.qty);
      this.send(
        out.portfolioValue(
          wireContract(b, s),
          { position: p.qty, marketPrice: fmt(mark), marketValue: fmtMoney(value), averageCost: fmt(b.account.avgCost(s)), unrealizedPnl: fmtMoney(value - p.costBasis), realizedPnl: fmtMoney(p.realized) },
          b.accountId,
        ),
      );
    }
    this.send(out.acctUpdateTime(hhmm(this.host.now())));
    if (full) this.send(out.acctDownloadEnd(b.accountId));
  }

  /** Sends the ticks that changed since the last send (all of them when `full`). */
  private sendTicks(reqId: number, sub: MktSub, q: Quote, full: boolean): void {
    const s = sub.sent;
    if (full || s.bid !== q.bid || s.bidSize !== q.bidSize) {
      this.send(out.tickPrice(reqId, TickType.BID, fmt(q.bid), q.bidSize, 1));
      // The client never derives BID_SIZE from a TICK_PRICE (decoder.js:503): send it explicitly.
      this.send(out.tickSize(reqId, TickType.BID_SIZE, q.bidSize));
    }
    if (full || s.ask !== q.ask || s.askSize !== q.askSize) this.send(out.tickPrice(reqId, TickType.ASK, fmt(q.ask), q.askSize, 1));
    if (full || s.last !== q.last || s.lastSize !== q.lastSize) {
      this.send(out.tickPrice(reqId, TickType.LAST, fmt(q.last), q.lastSize, 0));
      this.send(out.tickString(reqId, TickType.LAST_TIMESTAMP, String(Math.floor(q.at / 1000))));
    }
    if (full || s.volume !== q.volume) this.send(out.tickSize(reqId, TickType.VOLUME, q.volume));
    if (full) {
      this.send(out.tickPrice(reqId, TickType.HIGH, fmt(q.high), 0, 0));
      this.send(out.tickPrice(reqId, TickType.LOW, fmt(q.low), 0, 0));
      this.send(out.tickPrice(reqId, TickType.CLOSE, fmt(q.close), 0, 0));
      this.send(out.tickPrice(reqId, TickType.OPEN, fmt(q.open), 0, 0));
    }
    sub.sent = { bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize, last: q.last, lastSize: q.lastSize, volume: q.volume };
  }
}

function summaryTag(tag: string, v: Record<string, Fixed>): { value: string; currency: string } | undefined {
  if (tag === 'AccountType') return { value: 'INDIVIDUAL', currency: '' };
  if (tag === 'DayTradesRemaining') return { value: '-1', currency: '' };
  if (tag === 'Cushion') {
    const nl = v.NetLiquidation ?? 0n;
    return { value: nl > 0n ? fmt((((v.ExcessLiquidity ?? 0n) * 10_000n) / nl) * 10_000n) : '0', currency: '' };
  }
  if (tag === 'Leverage') {
    const nl = v.NetLiquidation ?? 0n;
    return { value: nl > 0n ? fmt((((v.GrossPositionValue ?? 0n) * 10_000n) / nl) * 10_000n) : '0', currency: '' };
  }
  const key = tag.startsWith('LookAhead') ? tag.slice('LookAhead'.length) : tag;
  const value = v[key];
  return value === undefined ? undefined : { value: fmtMoney(value), currency: 'USD' };
}

export function wireContract(b: Broker, symbol: string): out.WireContract {
  const spec = b.market.instrument(symbol);
  return {
    conId: spec?.conId ?? 0,
    symbol,
    secType: 'STK',
    exchange: spec?.exchange ?? 'SMART',
    primaryExchange: spec?.primaryExchange ?? '',
    currency: spec?.currency ?? 'USD',
    localSymbol: symbol,
    tradingClass: spec?.primaryExchange === 'NASDAQ' ? 'NMS' : symbol,
  };
}

function wireOrder(o: BrokerOrder): out.WireOrder {
  return {
    orderId: o.orderId,
    clientId: o.clientId,
    permId: o.permId,
    action: o.action,
    totalQuantity: o.totalQuantity,
    orderType: o.orderType,
    ...(o.lmtPrice !== undefined ? { lmtPrice: fmt(o.lmtPrice) } : {}),
    tif: o.tif,
    account: o.account,
    orderRef: o.orderRef,
    outsideRth: o.outsideRth,
    status: o.status,
  };
}

const NY = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
});

/** IB's connection-time form: "yyyyMMdd HH:mm:ss EST" in New York time. */
export function connectionTime(epochMs: number): string {
  const parts = Object.fromEntries(NY.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return `${parts.year}${parts.month}${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName ?? 'EST'}`;
}

/** Execution time as "yyyyMMdd HH:mm:ss UTC" (IB appends the zone name at recent versions). */
function execTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

function hhmm(epochMs: number): string {
  const parts = Object.fromEntries(NY.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

