import type { CommissionReport, Contract, Execution, ExecutionFilter, Order as IbOrder, OrderState } from '@stoqey/ib';
import { BarSizeSetting, EventName, IBApi, type WhatToShow } from '@stoqey/ib';
import { GatewayError } from './errors.js';
import { CLIENT_ID_IN_USE, SESSION_ENDED_CODES } from './ib-codes.js';
import type { MessagePacer } from './pacing.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/** What a successful login told us. */
export interface LoginInfo {
  readonly sessionId: number;
  readonly serverVersion: number;
  readonly serverTime: string;
  readonly nextValidId: number;
  readonly accounts: readonly string[];
}

/** Events of the raw client, named after IB's callbacks; only events of the current session are forwarded. */
export interface RawClientEvents {
  loggedIn: (info: LoginInfo) => void;
  /** The session ended: socket closed, we closed it, or the login failed. Emitted once per session. */
  disconnected: (e: { sessionId: number; reason: string }) => void;
  /** ERR_MSG with id −1 (system messages: 1100, 2104, 326, …). */
  info: (e: { code: number; message: string }) => void;
  /** ERR_MSG with an id (order or request) and the client's own errors (502, 504, 505). */
  error: (e: { code: number; reqId: number; message: string; advancedOrderReject?: unknown }) => void;
  currentTime: (e: { epochSeconds: number }) => void;
  nextValidId: (e: { orderId: number }) => void;
  orderStatus: (e: { orderId: number; status: string; filled: number; remaining: number; avgFillPrice: number | undefined; permId: number | undefined; lastFillPrice: number | undefined; whyHeld: string | undefined }) => void;
  openOrder: (e: { orderId: number; contract: Contract; order: IbOrder; orderState: OrderState }) => void;
  openOrderEnd: () => void;
  execDetails: (e: { reqId: number; contract: Contract; execution: Execution }) => void;
  execDetailsEnd: (e: { reqId: number }) => void;
  commissionReport: (e: { report: CommissionReport }) => void;
  position: (e: { account: string; contract: Contract; position: number; avgCost: number | undefined }) => void;
  positionEnd: () => void;
  accountSummary: (e: { reqId: number; account: string; tag: string; value: string; currency: string }) => void;
  accountSummaryEnd: (e: { reqId: number }) => void;
  tickPrice: (e: { reqId: number; tickType: number; price: number | undefined }) => void;
  tickSize: (e: { reqId: number; tickType: number; size: number | undefined }) => void;
  /** One daily bar of a reqHistoricalData; the client's own end marker arrives as `historicalDataEnd`. */
  historicalData: (e: { reqId: number; date: string; open: number; high: number; low: number; close: number; volume: number | undefined }) => void;
  /** The request's last bar was delivered (1.6.10 at 193: the `historicalData` event with date "finished-<start>-<end>"). */
  historicalDataEnd: (e: { reqId: number; start: string; end: string }) => void;
  /** A message the library could not decode (e.g. invalid advancedOrderReject JSON); it was skipped. */
  decodeFailure: (e: { message: string }) => void;
}
type Listeners = { [K in keyof RawClientEvents]: Array<RawClientEvents[K]> };

export interface RawClientOptions {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  /** The client has no handshake timeout; without one a silent gateway hangs a connect forever. */
  readonly connectTimeoutMs: number;
}

interface Session {
  readonly id: number;
  readonly ib: IBApi;
  loggedIn: boolean;
  closed: boolean;
}

/**
 * The raw IB client: one `IBApi` per session, methods named after IB's operations, every outgoing
 * message through the pacer. It owns the socket lifecycle and nothing else — reconnect policy is the
 * supervisor's (we use `IBApi`, not `IBApiNext`, which closes its own socket on 1100/2110 and whose
 * watchdog misses a frozen peer; tws-protocol.md §4.16).
 *
 * A fresh `IBApi` per session means nothing queued in the library for a dead session (its command
 * buffer resumes on the next nextValidId) can leak into the next one: a request either reaches the
 * session it was made for or fails with `GATEWAY.SESSION_ENDED`.
 * @example
 * const raw = new RawClient({ host: '127.0.0.1', port: 4002, clientId: 7, connectTimeoutMs: 5000 }, pacer, systemScheduler);
 * raw.on('orderStatus', (e) => …); const login = await raw.connect(); await raw.reqCurrentTime();
 */
export class RawClient {
  private readonly listeners: Listeners = {
    loggedIn: [], disconnected: [], info: [], error: [], currentTime: [], nextValidId: [], orderStatus: [], openOrder: [], openOrderEnd: [],
    execDetails: [], execDetailsEnd: [], commissionReport: [], position: [], positionEnd: [], accountSummary: [], accountSummaryEnd: [], tickPrice: [], tickSize: [], historicalData: [], historicalDataEnd: [], decodeFailure: [],
  };
  private session: Session | undefined;
  private sessionSeq = 0;
  /** Messages handed to the library, by IB operation (for metrics and tests). */
  readonly sentCounts = new Map<string, number>();

  constructor(
    private readonly options: RawClientOptions,
    private readonly pacer: MessagePacer,
    private readonly scheduler: Scheduler,
  ) {}

  on<K extends keyof RawClientEvents>(event: K, listener: RawClientEvents[K]): void {
    (this.listeners[event] as Array<RawClientEvents[K]>).push(listener);
  }

  /** True between login and the end of the session. */
  get isLoggedIn(): boolean {
    return this.session?.loggedIn === true && !this.session.closed;
  }

  get sessionId(): number | undefined {
    return this.session?.closed === false ? this.session.id : undefined;
  }

  /**
   * Opens a session and resolves once logged in (server version, nextValidId and managed accounts
   * received). Rejects with `GATEWAY.CONNECT_FAILED` (refused, closed, 326) or
   * `GATEWAY.CONNECT_TIMEOUT` (then the socket is closed).
   */
  connect(): Promise<LoginInfo> {
    if (this.session !== undefined && !this.session.closed) return Promise.reject(new GatewayError('GATEWAY.ALREADY_CONNECTED', 'a session is open; close it first'));
    // The library's own limiter is set to IB's hard limit; ours (the pacer) is the binding one.
    const ib = new IBApi({ host: this.options.host, port: this.options.port, maxReqPerSec: 50 });
    const session: Session = { id: ++this.sessionSeq, ib, loggedIn: false, closed: false };
    this.session = session;
    guardDecoder(ib, (message) => this.emitFor(session, 'decodeFailure', { message }));

    return new Promise<LoginInfo>((resolve, reject) => {
      let serverVersion = 0;
      let serverTime = '';
      let nextValidId: number | undefined;
      let accounts: string[] | undefined;
      let settled = false;
      let timer: TimerHandle | undefined = this.scheduler.setTimeout(() => {
        timer = undefined;
        fail(new GatewayError('GATEWAY.CONNECT_TIMEOUT', `no login within ${this.options.connectTimeoutMs} ms`, { details: { host: this.options.host, port: this.options.port } }), 'connect timeout');
      }, this.options.connectTimeoutMs);
      const clearTimer = (): void => {
        if (timer !== undefined) this.scheduler.clearTimeout(timer);
        timer = undefined;
      };
      const fail = (error: GatewayError, reason: string): void => {
        if (settled) return;
        settled = true;
        clearTimer();
        this.endSession(session, reason);
        reject(error);
      };
      const maybeLoggedIn = (): void => {
        if (settled || nextValidId === undefined || accounts === undefined || serverVersion === 0) return;
        settled = true;
        clearTimer();
        session.loggedIn = true;
        const info: LoginInfo = { sessionId: session.id, serverVersion, serverTime, nextValidId, accounts };
        this.emitFor(session, 'loggedIn', info);
        resolve(info);
      };
      session.ib.on(EventName.server, (version: number, time: string) => {
        serverVersion = version;
        serverTime = time;
        maybeLoggedIn();
      });
      session.ib.on(EventName.nextValidId, (orderId: number) => {
        nextValidId = orderId;
        if (session.loggedIn) this.emitFor(session, 'nextValidId', { orderId });
        maybeLoggedIn();
      });
      session.ib.on(EventName.managedAccounts, (list: string) => {
        accounts = list.split(',').map((a) => a.trim()).filter((a) => a !== '');
        maybeLoggedIn();
      });
      session.ib.on(EventName.disconnected, () => {
        if (!settled) fail(new GatewayError('GATEWAY.CONNECT_FAILED', 'connection closed before login'), 'closed before login');
        else this.endSession(session, 'socket closed');
      });
      session.ib.on(EventName.info, (message: string, code: number) => {
        if (!settled && SESSION_ENDED_CODES.has(code)) {
          fail(new GatewayError('GATEWAY.CONNECT_FAILED', `login refused: ${code} ${message}`, { details: { code } }), `ib ${code}`);
          return;
        }
        this.emitFor(session, 'info', { code, message });
      });
      session.ib.on(EventName.error, (error: Error, code: number, reqId: number, advancedOrderReject?: unknown) => {
        if (!settled && code === CLIENT_ID_IN_USE) {
          fail(new GatewayError('GATEWAY.CONNECT_FAILED', `login refused: ${code} ${error.message}`, { details: { code } }), `ib ${code}`);
          return;
        }
        this.emitFor(session, 'error', { code, reqId, message: error.message, advancedOrderReject });
      });
      this.wireData(session);
      session.ib.connect(this.options.clientId);
    });
  }

  /** Closes the current session (if any); `disconnected` is emitted at once with `reason`. */
  close(reason: string): void {
    if (this.session !== undefined) this.endSession(this.session, reason);
  }

  // ---- IB operations (each one message, paced) ----
  reqCurrentTime(): Promise<void> {
    return this.send('reqCurrentTime', (ib) => ib.reqCurrentTime());
  }
  reqIds(): Promise<void> {
    return this.send('reqIds', (ib) => ib.reqIds(1));
  }
  placeOrder(orderId: number, contract: Contract, order: IbOrder): Promise<void> {
    return this.send('placeOrder', (ib) => ib.placeOrder(orderId, contract, order));
  }
  cancelOrder(orderId: number): Promise<void> {
    return this.send('cancelOrder', (ib) => ib.cancelOrder(orderId), { urgent: true });
  }
  reqGlobalCancel(): Promise<void> {
    return this.send('reqGlobalCancel', (ib) => ib.reqGlobalCancel(), { urgent: true });
  }
  reqOpenOrders(): Promise<void> {
    return this.send('reqOpenOrders', (ib) => ib.reqOpenOrders());
  }
  /** Open orders of every API client and TWS: reconciliation adopts the ones that are not ours; the kill switch verifies none remain. */
  reqAllOpenOrders(): Promise<void> {
    return this.send('reqAllOpenOrders', (ib) => ib.reqAllOpenOrders(), { urgent: true });
  }
  reqExecutions(reqId: number, filter: ExecutionFilter = {}): Promise<void> {
    return this.send('reqExecutions', (ib) => ib.reqExecutions(reqId, filter));
  }
  reqPositions(): Promise<void> {
    return this.send('reqPositions', (ib) => ib.reqPositions());
  }
  cancelPositions(): Promise<void> {
    return this.send('cancelPositions', (ib) => ib.cancelPositions());
  }
  reqAccountSummary(reqId: number, group: string, tags: string): Promise<void> {
    return this.send('reqAccountSummary', (ib) => ib.reqAccountSummary(reqId, group, tags));
  }
  cancelAccountSummary(reqId: number): Promise<void> {
    return this.send('cancelAccountSummary', (ib) => ib.cancelAccountSummary(reqId));
  }
  reqMktData(reqId: number, contract: Contract, snapshot = false): Promise<void> {
    return this.send('reqMktData', (ib) => ib.reqMktData(reqId, contract, '', snapshot, false));
  }
  cancelMktData(reqId: number): Promise<void> {
    return this.send('cancelMktData', (ib) => ib.cancelMktData(reqId));
  }
  /** Daily bars ending now (`endDateTime` ""), regular hours, dates as yyyyMMdd; `background`: behind every order in the pacer. */
  reqHistoricalData(reqId: number, contract: Contract, durationStr: string, whatToShow: string): Promise<void> {
    return this.send('reqHistoricalData', (ib) => ib.reqHistoricalData(reqId, contract, '', durationStr, BarSizeSetting.DAYS_ONE, whatToShow as WhatToShow, 1, 1, false), { background: true });
  }

  /**
   * Kill switch: placeOrders still waiting for a pacing token are withdrawn, never sent (the router
   * closes those orders as not sent). Returns how many.
   */
  withdrawQueuedOrders(reason: string): number {
    return this.pacer.withdraw('placeOrder', reason);
  }

  /** Cancels and the kill switch's read-back are `urgent`: they pass every queued order. */
  private async send(op: string, fn: (ib: IBApi) => void, options: { urgent?: boolean; background?: boolean } = {}): Promise<void> {
    const s = this.session;
    if (s === undefined || s.closed || !s.loggedIn) throw new GatewayError('GATEWAY.NOT_CONNECTED', `${op}: no logged-in session`);
    await this.pacer.take({ urgent: options.urgent === true, background: options.background === true, tag: op });
    // The session may have died while we waited for a token; never send on its successor.
    if (this.session !== s || s.closed) throw new GatewayError('GATEWAY.SESSION_ENDED', `${op}: session ${s.id} ended before sending`);
    fn(s.ib);
    this.sentCounts.set(op, (this.sentCounts.get(op) ?? 0) + 1);
  }

  private endSession(session: Session, reason: string): void {
    if (session.closed) return;
    session.closed = true;
    session.loggedIn = false;
    try {
      session.ib.disconnect();
    } catch {
      // already closed: nothing to release
    }
    // Late events of a closed session (the socket's close, buffered data) are ignored by emitFor.
    this.emitFor(session, 'disconnected', { sessionId: session.id, reason }, true);
  }

  private emitFor<K extends keyof RawClientEvents>(session: Session, event: K, payload?: Parameters<RawClientEvents[K]>[0], evenIfClosed = false): void {
    if (this.session !== session || (session.closed && !evenIfClosed)) return;
    for (const l of this.listeners[event]) (l as (p: unknown) => void)(payload);
  }

  private wireData(s: Session): void {
    const ib = s.ib;
    ib.on(EventName.currentTime, (epochSeconds: number) => this.emitFor(s, 'currentTime', { epochSeconds }));
    ib.on(EventName.orderStatus, (orderId: number, status: string, filled: number, remaining: number, avgFillPrice?: number, permId?: number, _parentId?: number, lastFillPrice?: number, _clientId?: number, whyHeld?: string) =>
      this.emitFor(s, 'orderStatus', { orderId, status, filled, remaining, avgFillPrice, permId, lastFillPrice, whyHeld }),
    );
    ib.on(EventName.openOrder, (orderId: number, contract: Contract, order: IbOrder, orderState: OrderState) => this.emitFor(s, 'openOrder', { orderId, contract, order, orderState }));
    ib.on(EventName.openOrderEnd, () => this.emitFor(s, 'openOrderEnd'));
    ib.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => this.emitFor(s, 'execDetails', { reqId, contract, execution }));
    ib.on(EventName.execDetailsEnd, (reqId: number) => this.emitFor(s, 'execDetailsEnd', { reqId }));
    ib.on(EventName.commissionReport, (report: CommissionReport) => this.emitFor(s, 'commissionReport', { report }));
    ib.on(EventName.position, (account: string, contract: Contract, position: number, avgCost?: number) => this.emitFor(s, 'position', { account, contract, position, avgCost }));
    ib.on(EventName.positionEnd, () => this.emitFor(s, 'positionEnd'));
    ib.on(EventName.accountSummary, (reqId: number, account: string, tag: string, value: string, currency: string) => this.emitFor(s, 'accountSummary', { reqId, account, tag, value, currency }));
    ib.on(EventName.accountSummaryEnd, (reqId: number) => this.emitFor(s, 'accountSummaryEnd', { reqId }));
    ib.on(EventName.tickPrice, (reqId: number, tickType: number, price?: number) => this.emitFor(s, 'tickPrice', { reqId, tickType, price }));
    ib.on(EventName.historicalData, (reqId: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      // The client marks the end of a request itself, as a bar dated "finished-<start>-<end>" (decoder.js decodeMsg_HISTORICAL_DATA).
      if (date.startsWith('finished')) {
        const [, start = '', end = ''] = date.split('-');
        this.emitFor(s, 'historicalDataEnd', { reqId, start, end });
        return;
      }
      this.emitFor(s, 'historicalData', { reqId, date, open, high, low, close, volume: volume === -1 ? undefined : volume });
    });
    ib.on(EventName.tickSize, (reqId: number, tickType?: number, size?: number) => {
      if (tickType !== undefined) this.emitFor(s, 'tickSize', { reqId, tickType, size });
    });
  }
}

/**
 * The decoder re-throws anything but an underrun (decoder.js:305): invalid advancedOrderReject
 * JSON in one ERR_MSG crashes the whole process (tws-protocol.md §4.15). We skip that one message,
 * report it, and keep decoding the rest. Reaches into library internals pinned at 1.6.10; if the
 * shape differs the guard is not installed (and the risk is back), so the check is explicit.
 */
function guardDecoder(ib: IBApi, onFailure: (message: string) => void): void {
  const decoder = (ib as unknown as { controller?: { decoder?: { process?: () => void; drainQueue?: () => void; emitQueue?: unknown[] } } }).controller?.decoder;
  if (decoder?.process === undefined || decoder.drainQueue === undefined) return;
  const original = decoder.process.bind(decoder);
  const drain = decoder.drainQueue.bind(decoder);
  decoder.process = () => {
    for (let guard = 0; guard < 10_000; guard++) {
      try {
        original();
        return;
      } catch (e) {
        drain();
        decoder.emitQueue = [];
        onFailure(e instanceof Error ? e.message : String(e));
      }
    }
  };
}
