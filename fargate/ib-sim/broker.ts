/**
 * The simulated broker: one book of orders, executions, cash and positions shared by every client
 * session, so state is consistent across clients and survives reconnects (and, with a data dir,
 * restarts). Sessions call in with requests and listen to events for what to push to whom.
 */
import { EventEmitter } from 'node:events';
import { Account, type AccountState } from './account.js';
import { ZERO, divQty, fmt, fx, mulQty, type Fixed } from './fixed.js';
import { MarketSim, type InstrumentSpec, type MarketState, type Quote } from './market.js';
import { commissionFor, match, type CommissionSchedule, type Side } from './matching.js';
import type { ContractRef, ExecutionFilter, PlaceOrderRequest } from './messages/in.js';

export type SimOrderStatus = 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled';
const FINAL: ReadonlySet<SimOrderStatus> = new Set(['Filled', 'Cancelled']);

export interface BrokerOrder {
  orderId: number;
  clientId: number;
  permId: number;
  symbol: string;
  action: Side;
  totalQuantity: number;
  orderType: 'MKT' | 'LMT';
  lmtPrice: Fixed | undefined;
  tif: string;
  account: string;
  orderRef: string;
  outsideRth: boolean;
  transmit: boolean;
  status: SimOrderStatus;
  filled: number;
  /** Σ qty × price of this order's executions. */
  fillValue: Fixed;
  lastFillPrice: Fixed;
  commissionCharged: Fixed;
  /** Fills are held back until this epoch ms (delay-fills fault). */
  eligibleAt: number;
  /** Market steps seen since placement or last modification; > 0 means resting. */
  steps: number;
  createdAt: string;
}

export interface BrokerExecution {
  execId: string;
  orderId: number;
  clientId: number;
  permId: number;
  symbol: string;
  side: 'BOT' | 'SLD';
  shares: number;
  price: Fixed;
  cumQty: number;
  avgPrice: Fixed;
  liquidity: 1 | 2;
  commission: Fixed;
  realized: Fixed | undefined;
  orderRef: string;
  at: string;
}

export interface OrderLogEntry {
  at: string;
  clientId: number;
  orderId: number;
  kind: 'place' | 'cancel' | 'globalCancel';
  symbol?: string;
  /** The client's order reference (TradeOps: the clientOrderId) — fault runs check no order was placed twice. */
  orderRef?: string;
}

export type BrokerResult<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

export interface BrokerEvents {
  /** Order accepted, modified or otherwise changed outside a fill or cancel. */
  order: [order: BrokerOrder];
  cancelled: [order: BrokerOrder];
  execution: [exec: BrokerExecution, order: BrokerOrder];
  positionChanged: [symbol: string];
  quotes: [quotes: Quote[]];
}

export interface PersistedBrokerState {
  version: 1;
  accountId: string;
  nextOrderId: number;
  nextPermId: number;
  execSeq: number;
  account: AccountState;
  market: MarketState;
  orders: Array<Record<string, unknown>>;
  executions: Array<Record<string, unknown>>;
  orderLog: OrderLogEntry[];
}

export interface BrokerConfig {
  accountId: string;
  startingCash: Fixed;
  instruments: ReadonlyArray<InstrumentSpec>;
  seed: number;
  commission: CommissionSchedule;
  firstOrderId: number;
  now: () => number;
  restored?: PersistedBrokerState;
  /**
   * Receives the state to keep after changes worth keeping (orders, fills, cancels), at most once
   * per `persistEveryMs` (changes in between are coalesced) and on `flushPersisted()`.
   */
  persist?: (state: PersistedBrokerState) => void;
  /** Most frequent `persist` call; default 100 ms. 0 persists after every change, synchronously. */
  persistEveryMs?: number;
}

export class Broker extends EventEmitter<BrokerEvents> {
  readonly accountId: string;
  /** The market's seed: daily history is derived from it per (symbol, day). */
  readonly seed: number;
  readonly market: MarketSim;
  readonly account: Account;
  /** Keyed by clientId and orderId: as in IB, order ids are per API client. */
  private readonly orders = new Map<string, BrokerOrder>();
  private readonly executions: BrokerExecution[] = [];
  private readonly log: OrderLogEntry[] = [];
  private nextOrderIdValue: number;
  private nextPermId: number;
  private execSeq: number;
  private readonly execPrefix: string;
  private readonly cfg: BrokerConfig;
  private dirty = false;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the last snapshot handed to `persist` cost (ms): stretches the persist period on a long history. */
  private lastSnapshotMs = 0;

  /** Fault state, driven by FaultControls. */
  rejectNextReason: string | undefined;
  fillDelayMs = 0;
  /** reqGlobalCancel calls still to ignore (fault injection). */
  ignoreGlobalCancels = 0;

  constructor(cfg: BrokerConfig) {
    super();
    // One listener set per client session; IB allows 32 API clients per gateway.
    this.setMaxListeners(5 * 64);
    this.cfg = cfg;
    this.accountId = cfg.accountId;
    this.seed = cfg.seed;
    const r = cfg.restored;
    this.market = new MarketSim(cfg.instruments, cfg.seed, cfg.now(), r?.market);
    this.account = r ? Account.restore(r.account) : new Account(cfg.startingCash);
    this.nextOrderIdValue = r?.nextOrderId ?? cfg.firstOrderId;
    this.nextPermId = r?.nextPermId ?? 1_000_000_001;
    this.execSeq = r?.execSeq ?? 0;
    // IB execIds look like "0000e0d5.6650a8b2.01.01": a per-session prefix, a sequence, suffixes.
    this.execPrefix = ((Math.imul(cfg.seed >>> 0, 2654435761) >>> 0) & 0xffffffff).toString(16).padStart(8, '0');
    if (r) {
      for (const o of r.orders) {
        const order = reviveOrder(o);
        this.orders.set(orderKey(order.clientId, order.orderId), order);
      }
      for (const e of r.executions) this.executions.push(reviveExecution(e));
      this.log.push(...r.orderLog);
    }
  }

  nextOrderId(): number {
    return this.nextOrderIdValue;
  }

  // ---- orders -------------------------------------------------------------------------------

  resolveSymbol(c: Pick<ContractRef, 'conId' | 'symbol' | 'secType'>): string | undefined {
    if (c.secType !== '' && c.secType !== 'STK') return undefined;
    const byId = c.conId > 0 ? this.market.symbolForConId(c.conId) : undefined;
    if (byId) return byId;
    return c.symbol !== '' && this.market.instrument(c.symbol) ? c.symbol : undefined;
  }

  placeOrder(clientId: number, req: PlaceOrderRequest): BrokerResult<{ order: BrokerOrder; modified: boolean }> {
    const symbol = this.resolveSymbol(req.contract);
    this.pushLog({ clientId, orderId: req.orderId, kind: 'place', symbol: symbol ?? req.contract.symbol, ...(req.orderRef ? { orderRef: req.orderRef } : {}) });
    const existing = this.orders.get(orderKey(clientId, req.orderId));
    if (req.orderId <= 0) return fail(321, `Error validating request.-'bO' : cause - Invalid order id ${req.orderId}`);
    if (existing && FINAL.has(existing.status)) {
      return fail(103, 'Duplicate order id');
    }
    if (!symbol) return fail(200, 'No security definition has been found for the request');
    if (existing && existing.symbol !== symbol) return fail(201, 'Order rejected - reason:The contract of an order cannot be modified');

    const action = req.action.toUpperCase();
    if (action !== 'BUY' && action !== 'SELL') return fail(201, `Order rejected - reason:Invalid action "${req.action}"`);
    const qty = Number(req.totalQuantity);
    if (!Number.isSafeInteger(qty) || qty <= 0) return fail(201, 'Order rejected - reason:The order size must be a positive whole number of shares');
    const orderType = req.orderType.toUpperCase();
    if (orderType !== 'MKT' && orderType !== 'LMT') return fail(201, `Order rejected - reason:Order type ${req.orderType} is not supported by ib-sim`);
    let lmtPrice: Fixed | undefined;
    if (orderType === 'LMT') {
      const parsed = parsePrice(req.lmtPrice);
      if (parsed === undefined || parsed <= 0n) return fail(201, 'Order rejected - reason:A limit order needs a positive limit price');
      const tick = this.market.tickSize(symbol) ?? 1n;
      if (parsed % tick !== 0n) return fail(110, 'The price does not conform to the minimum price variation for this contract.');
      lmtPrice = parsed;
    }
    if (this.rejectNextReason !== undefined) {
      const reason = this.rejectNextReason;
      this.rejectNextReason = undefined;
      return fail(201, `Order rejected - reason:${reason}`);
    }
    const now = this.cfg.now();

    if (existing) {
      if (qty < existing.filled) return fail(201, 'Order rejected - reason:The new size is below the filled quantity');
      existing.totalQuantity = qty;
      existing.orderType = orderType;
      existing.lmtPrice = lmtPrice;
      existing.tif = req.tif || existing.tif;
      existing.orderRef = req.orderRef;
      existing.outsideRth = req.outsideRth;
      existing.steps = 0;
      if (existing.filled === qty) existing.status = 'Filled';
      else if (req.transmit) existing.status = 'Submitted';
      this.emit('order', existing);
      this.tryMatch(existing);
      this.save();
      return { ok: true, value: { order: existing, modified: true } };
    }

    const order: BrokerOrder = {
      orderId: req.orderId,
      clientId,
      permId: this.nextPermId++,
      symbol,
      action,
      totalQuantity: qty,
      orderType,
      lmtPrice,
      tif: req.tif || 'DAY',
      account: this.accountId,
      orderRef: req.orderRef,
      outsideRth: req.outsideRth,
      // An untransmitted order is held (IB keeps it in TWS until transmitted).
      transmit: req.transmit,
      status: req.transmit ? 'Submitted' : 'PreSubmitted',
      filled: 0,
      fillValue: ZERO,
      lastFillPrice: ZERO,
      commissionCharged: ZERO,
      eligibleAt: now + this.fillDelayMs,
      steps: 0,
      createdAt: new Date(now).toISOString(),
    };
    this.orders.set(orderKey(clientId, order.orderId), order);
    if (order.orderId >= this.nextOrderIdValue) this.nextOrderIdValue = order.orderId + 1;
    this.emit('order', order);
    this.tryMatch(order);
    this.save();
    return { ok: true, value: { order, modified: false } };
  }

  cancelOrder(clientId: number, orderId: number): BrokerResult<BrokerOrder> {
    // Order ids belong to the client that placed them, as in IB: another client's id is "not found".
    const order = this.orders.get(orderKey(clientId, orderId));
    this.pushLog({ clientId, orderId, kind: 'cancel', ...(order ? { symbol: order.symbol } : {}) });
    if (!order) return fail(10147, `OrderId ${orderId} that needs to be cancelled is not found.`);
    if (FINAL.has(order.status)) return fail(10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${order.status}.`);
    this.cancelInternal(order);
    this.save();
    return { ok: true, value: order };
  }

  /** reqGlobalCancel: every working order of every client. */
  globalCancel(clientId: number): BrokerOrder[] {
    this.pushLog({ clientId, orderId: 0, kind: 'globalCancel' });
    if (this.ignoreGlobalCancels > 0) {
      this.ignoreGlobalCancels -= 1;
      return [];
    }
    const cancelled = this.workingOrders().map((o) => {
      this.cancelInternal(o);
      return o;
    });
    this.save();
    return cancelled;
  }

  private cancelInternal(order: BrokerOrder): void {
    order.status = 'Cancelled';
    this.emit('cancelled', order);
  }

  workingOrders(clientId?: number): BrokerOrder[] {
    return [...this.orders.values()].filter((o) => !FINAL.has(o.status) && (clientId === undefined || o.clientId === clientId));
  }

  order(clientId: number, orderId: number): BrokerOrder | undefined {
    return this.orders.get(orderKey(clientId, orderId));
  }

  /** Executions matching an IB ExecutionFilter (empty fields match everything). */
  findExecutions(filter: ExecutionFilter): BrokerExecution[] {
    const since = filter.time ? parseFilterTime(filter.time) : undefined;
    const side = filter.side?.toUpperCase();
    return this.executions.filter((e) => {
      if (filter.clientId !== undefined && filter.clientId !== 0 && e.clientId !== filter.clientId) return false;
      if (filter.acctCode && filter.acctCode !== this.accountId) return false;
      if (filter.symbol && filter.symbol !== e.symbol) return false;
      if (filter.secType && filter.secType !== 'STK') return false;
      if (filter.exchange && filter.exchange !== 'SMART' && filter.exchange !== this.market.instrument(e.symbol)?.primaryExchange) return false;
      if (side && !((side === 'BUY' || side === 'BOT') ? e.side === 'BOT' : (side === 'SELL' || side === 'SLD') ? e.side === 'SLD' : true)) return false;
      if (since !== undefined && Date.parse(e.at) < since) return false;
      return true;
    });
  }

  orderLog(): ReadonlyArray<OrderLogEntry> {
    return this.log;
  }

  allExecutions(): ReadonlyArray<BrokerExecution> {
    return this.executions;
  }

  // ---- market and matching -----------------------------------------------------------------

  /** One market step: move prices, publish quotes, then let working orders meet the new book. */
  step(): void {
    const quotes = this.market.step(this.cfg.now());
    this.emit('quotes', quotes);
    let filled = false;
    for (const o of this.workingOrders()) {
      o.steps++;
      filled = this.tryMatch(o) || filled;
    }
    if (filled) this.save();
  }

  /** Moves a symbol's mid (admin/tests), then matches as a step would. */
  setMid(symbol: string, price: string): void {
    const q = this.market.setMid(symbol, price, this.cfg.now());
    this.emit('quotes', [q]);
    let filled = false;
    for (const o of this.workingOrders()) if (o.symbol === symbol) filled = this.tryMatch(o) || filled;
    if (filled) this.save();
  }

  /** Releases fills held by a delay that has since been cleared. */
  releaseDelayedFills(): void {
    const now = this.cfg.now();
    let filled = false;
    for (const o of this.workingOrders()) {
      if (o.eligibleAt > now) o.eligibleAt = now;
      filled = this.tryMatch(o) || filled;
    }
    if (filled) this.save();
  }

  private tryMatch(order: BrokerOrder): boolean {
    if (order.status !== 'Submitted' || this.cfg.now() < order.eligibleAt) return false;
    const quote = this.market.quote(order.symbol);
    const tick = this.market.tickSize(order.symbol);
    if (!quote || tick === undefined) return false;
    const slices = match({
      side: order.action,
      orderType: order.orderType,
      remaining: order.totalQuantity - order.filled,
      ...(order.lmtPrice !== undefined ? { limit: order.lmtPrice } : {}),
      resting: order.steps > 0,
      quote,
      tick,
    });
    for (const s of slices) this.execute(order, s.qty, s.price, s.liquidity);
    return slices.length > 0;
  }

  private execute(order: BrokerOrder, qty: number, price: Fixed, liquidity: 1 | 2): void {
    order.filled += qty;
    order.fillValue += mulQty(price, qty);
    order.lastFillPrice = price;
    const commission = commissionFor(this.cfg.commission, order.filled, order.fillValue, order.commissionCharged);
    order.commissionCharged += commission;
    const effect = this.account.applyFill({ symbol: order.symbol, side: order.action, qty, price, commission });
    if (order.filled >= order.totalQuantity) order.status = 'Filled';
    this.execSeq++;
    const exec: BrokerExecution = {
      execId: `${this.execPrefix}.${this.execSeq.toString(16).padStart(8, '0')}.01.01`,
      orderId: order.orderId,
      clientId: order.clientId,
      permId: order.permId,
      symbol: order.symbol,
      side: order.action === 'BUY' ? 'BOT' : 'SLD',
      shares: qty,
      price,
      cumQty: order.filled,
      avgPrice: divQty(order.fillValue, order.filled),
      liquidity,
      commission,
      realized: effect.realized,
      orderRef: order.orderRef,
      at: new Date(this.cfg.now()).toISOString(),
    };
    this.executions.push(exec);
    this.emit('execution', exec, order);
    this.emit('positionChanged', order.symbol);
  }

  // ---- valuation ------------------------------------------------------------------------------

  mark = (symbol: string): Fixed => this.market.mid(symbol) ?? ZERO;

  /** Account values by IB tag name (all USD). */
  accountValues(): Record<string, Fixed> {
    const gross = this.account.grossPositionValue(this.mark);
    const netLiq = this.account.netLiquidation(this.mark);
    // Reg-T-like margin: 25% of gross position value, 4× intraday buying power.
    const margin = gross / 4n;
    const available = netLiq - margin;
    return {
      NetLiquidation: netLiq,
      TotalCashValue: this.account.cash,
      SettledCash: this.account.cash,
      CashBalance: this.account.cash,
      AccruedCash: ZERO,
      BuyingPower: available > 0n ? available * 4n : ZERO,
      EquityWithLoanValue: netLiq,
      GrossPositionValue: gross,
      StockMarketValue: this.account.stockMarketValue(this.mark),
      InitMarginReq: margin,
      MaintMarginReq: margin,
      FullInitMarginReq: margin,
      FullMaintMarginReq: margin,
      AvailableFunds: available,
      FullAvailableFunds: available,
      ExcessLiquidity: available,
      FullExcessLiquidity: available,
      RealizedPnL: this.account.realized(),
      UnrealizedPnL: this.account.unrealized(this.mark),
    };
  }

  openOrders(): Array<{ orderId: number; symbol: string; action: string; quantity: number; filled: number; status: string }> {
    return this.workingOrders().map((o) => ({ orderId: o.orderId, symbol: o.symbol, action: o.action, quantity: o.totalQuantity, filled: o.filled, status: o.status }));
  }

  snapshot(): {
    cash: string;
    positions: Array<{ symbol: string; quantity: number; avgCost: string }>;
    openOrders: Array<{ orderId: number; symbol: string; action: string; quantity: number; filled: number; status: string }>;
    executions: Array<{ execId: string; orderId: number; symbol: string; side: 'BOT' | 'SLD'; shares: number; price: string }>;
  } {
    return {
      cash: fmt(this.account.cash),
      positions: this.account
        .symbols()
        .map((s) => ({ symbol: s, quantity: this.account.position(s).qty, avgCost: fmt(this.account.avgCost(s)) }))
        .filter((p) => p.quantity !== 0),
      openOrders: this.openOrders(),
      executions: this.executions.map((e) => ({ execId: e.execId, orderId: e.orderId, symbol: e.symbol, side: e.side, shares: e.shares, price: fmt(e.price) })),
    };
  }

  // ---- persistence ----------------------------------------------------------------------------

  toState(): PersistedBrokerState {
    return {
      version: 1,
      accountId: this.accountId,
      nextOrderId: this.nextOrderIdValue,
      nextPermId: this.nextPermId,
      execSeq: this.execSeq,
      account: this.account.toState(),
      market: this.market.state(),
      orders: [...this.orders.values()].map((o) => serialise(o as unknown as Record<string, unknown>)),
      executions: this.executions.map((e) => serialise(e as unknown as Record<string, unknown>)),
      orderLog: [...this.log],
    };
  }

  /**
   * Marks the state dirty; it is handed to `persist` within `persistEveryMs`. Serialising every
   * order and execution after each change would cost O(history) per order. A snapshot still costs
   * O(history), so on a long, busy run the period stretches to 20× the last snapshot's cost: the
   * simulator spends at most ~5 % of the process's CPU on it, whatever the history.
   */
  private save(): void {
    if (!this.cfg.persist) return;
    const every = this.cfg.persistEveryMs ?? 100;
    if (every <= 0) {
      this.cfg.persist(this.toState());
      return;
    }
    this.dirty = true;
    this.persistTimer ??= setTimeout(() => this.flushPersisted(), Math.max(every, 20 * this.lastSnapshotMs));
  }

  /** Hands pending state to `persist` now (call before closing, so nothing changed is lost). */
  flushPersisted(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    const started = performance.now();
    this.cfg.persist?.(this.toState());
    this.lastSnapshotMs = performance.now() - started;
  }

  private pushLog(e: Omit<OrderLogEntry, 'at'>): void {
    this.log.push({ at: new Date(this.cfg.now()).toISOString(), ...e });
  }
}

function orderKey(clientId: number, orderId: number): string {
  return `${clientId}:${orderId}`;
}

function fail(code: number, message: string): { ok: false; code: number; message: string } {
  return { ok: false, code, message };
}

function parsePrice(s: string): Fixed | undefined {
  if (s === '' || s === '1.7976931348623157E308') return undefined;
  try {
    return fx(s);
  } catch {
    // The client sends JS String(n): exponent forms ("1e-7") are not prices we accept.
    return undefined;
  }
}

/** IB filter time "yyyymmdd-hh:mm:ss" (or with a space), read as UTC. */
function parseFilterTime(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})[-\s]+(\d{2}):(\d{2})(?::(\d{2}))?/.exec(s.trim());
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}

/** bigint → { $big: "…" } so JSON can carry it; revived below. */
function serialise(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'bigint' ? { $big: v.toString() } : v;
  return out;
}

function revive(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = v !== null && typeof v === 'object' && '$big' in v && typeof (v as { $big: unknown }).$big === 'string' ? BigInt((v as { $big: string }).$big) : v;
  }
  return out;
}

function reviveOrder(o: Record<string, unknown>): BrokerOrder {
  return revive(o) as unknown as BrokerOrder;
}

function reviveExecution(e: Record<string, unknown>): BrokerExecution {
  return revive(e) as unknown as BrokerExecution;
}
