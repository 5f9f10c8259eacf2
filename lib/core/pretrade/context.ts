import type { DecimalString } from '../money/decimal-string.js';
import { WORKING_STATUSES, type OrderStatus } from '../orders/order.js';
import { ValidationError } from '../shared/errors.js';
import type { TradingMode } from '../trading-state/trading-state.js';
import { ComplianceRulesSchema, RiskLimitsSchema, type ComplianceRulesInput, type RiskLimitsInput } from './limits.js';
import { toMicros, toRatio } from './units.js';

/**
 * The current state a pre-trade check reads, as the caller gathers it from the stores (decimal
 * strings, ISO timestamps, the core's record shapes), and its prepared form: plain numbers in
 * micro-units (`units.ts`), per-symbol records in a Map, sets for the lists. `prepareContext`
 * does every parse and conversion once; `checkOrder` then reads numbers only.
 *
 * Field shapes are structural subsets of the core records, so `Position`, `Quote` and `Order`
 * objects can be passed as they are.
 */

/** A position (`Position` fits). Valued at the quote's mark, else `marketPrice`, else `avgCost`. */
export interface ContextPosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly avgCost?: DecimalString;
  readonly marketPrice?: DecimalString;
}

/** Top of book (`Quote` fits). The reference price is the last trade, else the mid. */
export interface ContextQuote {
  readonly symbol: string;
  readonly bid?: DecimalString;
  readonly ask?: DecimalString;
  readonly last?: DecimalString;
}

/** One of our orders (`Order` fits). Only orders in `WORKING_STATUSES` count; others are ignored. */
export interface ContextOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly filledQuantity?: number;
  readonly type: 'MKT' | 'LMT';
  readonly limitPrice?: DecimalString;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly origin?: { readonly strategyId: string };
}

/** The day's order activity of one strategy in one symbol (for order-to-trade and cancel ratios). */
export type { OrderActivity } from '../orders/activity.js';
import type { OrderActivity } from '../orders/activity.js';

/** No trading in `symbol` from `from` (inclusive) to `to` (exclusive), ISO timestamps. */
export interface BlackoutWindow {
  readonly symbol: string;
  readonly from: string;
  readonly to: string;
  readonly reason?: string;
}

/**
 * Everything one evaluation needs. `asOf` is the check's "now" (duplicate window, blackouts): pass
 * the injected clock's time; the core reads no clock.
 * @example
 * prepareContext({ asOf: clock.now().toISOString(), tradingMode: 'ACTIVE', limits, compliance: {}, account: { netLiquidation: '1000000', buyingPower: '2000000' }, positions, quotes, workingOrders, dailyPnl: { realized: '0', unrealized: '-1200' }, var: { current: '21000' }, messagesInWindow: 3 })
 */
export interface PretradeContextInput {
  readonly asOf: string | Date;
  readonly tradingMode: TradingMode;
  readonly limits: RiskLimitsInput;
  readonly compliance: ComplianceRulesInput;
  readonly account: { readonly netLiquidation: DecimalString; readonly buyingPower: DecimalString };
  readonly positions: readonly ContextPosition[];
  readonly quotes: readonly ContextQuote[];
  readonly workingOrders: readonly ContextOrder[];
  /** Every clientOrderId used today, working or not: a reused id is a duplicate. */
  readonly knownClientOrderIds?: Iterable<string>;
  readonly dailyPnl: { readonly realized: DecimalString; readonly unrealized: DecimalString };
  /** Current portfolio VaR (99 %, 1 day); absent until the risk agent has computed one. */
  readonly var?: { readonly current: DecimalString };
  /** Order messages already sent in the current one-second window. */
  readonly messagesInWindow: number;
  readonly orderActivity?: readonly OrderActivity[];
  readonly restrictedSymbols?: Iterable<string>;
  /** Hard-to-borrow / no-short list. */
  readonly noShortSymbols?: Iterable<string>;
  readonly blackoutWindows?: readonly BlackoutWindow[];
}

/** One working order, prepared. `px` is the price it would trade at: +∞ for a market buy, −∞ for a market sell. @internal */
export interface PreparedWorkingOrder {
  readonly clientOrderId: string;
  readonly side: 1 | -1;
  /** Original quantity (what a duplicate is compared on). */
  readonly quantity: number;
  readonly openQty: number;
  readonly px: number;
  readonly createdAtMs: number;
}

/** @internal */
export interface PreparedActivity {
  orders: number;
  cancels: number;
  fills: number;
}

/** Everything the rules read about one symbol. @internal */
export interface SymbolState {
  readonly symbol: string;
  position: number;
  /** Reference price (last, else mid) in micros; NaN when no quote has one. */
  reference: number;
  bid: number;
  ask: number;
  /** Price the position is valued at: reference, else marketPrice, else avgCost; NaN when none. */
  valuation: number;
  /** position × valuation (0 when unvalued), micros. */
  exposure: number;
  workingBuyQty: number;
  workingSellQty: number;
  activeBuys: number;
  activeSells: number;
  readonly working: PreparedWorkingOrder[];
  restricted: boolean;
  noShort: boolean;
  /** [from, to) pairs in epoch ms. */
  readonly blackouts: number[];
  /** Per window: "from … to … (reason)", formatted once for the denial message. */
  readonly blackoutLabels: string[];
  readonly activity: Map<string, PreparedActivity>;
}

/** The prepared limits: money in micros, ratios as numbers. @internal */
export interface PreparedLimits {
  readonly maxOrderQuantity: number;
  readonly maxOrderNotional: number;
  readonly priceCollarBps: number;
  readonly maxPositionNotional: number;
  readonly maxGrossExposure: number;
  readonly maxNetExposure: number;
  readonly leverageWarning: number;
  readonly leverageCritical: number;
  readonly dailyLossLimit: number;
  readonly varLimit: number;
  readonly varWarning: number;
  readonly varCritical: number;
  readonly maxMessagesPerSecond: number;
  readonly maxActiveOrders: number;
  readonly duplicateWindowMs: number;
}

/** @internal */
export interface PreparedCompliance {
  readonly shortSellingEnabled: boolean;
  readonly requireLocate: boolean;
  readonly otrMaxRatio: number;
  readonly otrMinMessages: number;
  readonly layeringAwayBps: number;
  readonly layeringWarn: number;
  readonly layeringDeny: number;
  readonly cancelRatioWarning: number;
  readonly cancelRatioMinOrders: number;
}

/** The context as numbers; build with `prepareContext`, read by `checkOrder`. Treat as immutable. */
export interface PreparedContext {
  readonly nowMs: number;
  readonly tradingMode: TradingMode;
  readonly limits: PreparedLimits;
  readonly compliance: PreparedCompliance;
  readonly netLiquidation: number;
  readonly buyingPower: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  /** realised + unrealised, micros (negative = loss). */
  readonly dailyPnl: number;
  /** NaN when unknown. */
  readonly varNow: number;
  readonly messagesInWindow: number;
  readonly knownClientOrderIds: ReadonlySet<string>;
  readonly symbols: ReadonlyMap<string, SymbolState>;
}

function emptySymbol(symbol: string): SymbolState {
  return {
    symbol,
    position: 0,
    reference: NaN,
    bid: NaN,
    ask: NaN,
    valuation: NaN,
    exposure: 0,
    workingBuyQty: 0,
    workingSellQty: 0,
    activeBuys: 0,
    activeSells: 0,
    working: [],
    restricted: false,
    noShort: false,
    blackouts: [],
    blackoutLabels: [],
    activity: new Map(),
  };
}

/** The state of a symbol the context knows nothing about (no position, no quote, no orders). @internal */
export const UNKNOWN_SYMBOL: SymbolState = Object.freeze(emptySymbol('')) as SymbolState;

function parseMs(iso: string | Date, field: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (!Number.isFinite(ms)) throw new ValidationError('PRETRADE.INVALID_TIMESTAMP', `${field}: not a timestamp "${String(iso)}"`, [{ path: field, message: 'an ISO-8601 timestamp' }]);
  return ms;
}

function wholeNonNegative(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError('PRETRADE.INVALID_COUNT', `${field}: expected a whole number ≥ 0, got ${n}`, [{ path: field, message: 'a whole number ≥ 0' }]);
  return n;
}

/**
 * Converts the context once into numbers for `checkOrder`. Unknown symbols in lists are fine;
 * a symbol with several positions or quotes takes the last one given.
 * @throws ValidationError (`PRETRADE.*`, or zod's on bad limits) for a malformed input — a broken
 *   context must fail loudly, never be half-read into a check that passes
 * @example const ctx = prepareContext(input); const result = checkOrder(prepareOrder(order), ctx);
 */
export function prepareContext(input: PretradeContextInput): PreparedContext {
  const nowMs = parseMs(input.asOf, 'asOf');
  const rl = RiskLimitsSchema.parse(input.limits);
  const cr = ComplianceRulesSchema.parse(input.compliance);
  const limits: PreparedLimits = {
    maxOrderQuantity: rl.maxOrderQuantity,
    maxOrderNotional: toMicros(rl.maxOrderNotional, 'limits.maxOrderNotional'),
    priceCollarBps: rl.priceCollarBps,
    maxPositionNotional: toMicros(rl.maxPositionNotionalPerInstrument, 'limits.maxPositionNotionalPerInstrument'),
    maxGrossExposure: toMicros(rl.maxGrossExposure, 'limits.maxGrossExposure'),
    maxNetExposure: toMicros(rl.maxNetExposure, 'limits.maxNetExposure'),
    leverageWarning: toRatio(rl.leverageWarning, 'limits.leverageWarning'),
    leverageCritical: toRatio(rl.leverageCritical, 'limits.leverageCritical'),
    dailyLossLimit: toMicros(rl.dailyLossLimit, 'limits.dailyLossLimit'),
    varLimit: toMicros(rl.varLimit, 'limits.varLimit'),
    varWarning: toRatio(rl.varWarningUtilization, 'limits.varWarningUtilization'),
    varCritical: toRatio(rl.varCriticalUtilization, 'limits.varCriticalUtilization'),
    maxMessagesPerSecond: rl.maxMessagesPerSecond,
    maxActiveOrders: rl.maxActiveOrdersPerContractSide,
    duplicateWindowMs: rl.duplicateWindowSeconds * 1000,
  };
  const compliance: PreparedCompliance = {
    shortSellingEnabled: cr.shortSellingEnabled,
    requireLocate: cr.requireLocate,
    otrMaxRatio: cr.orderToTradeMaxRatio,
    otrMinMessages: cr.orderToTradeMinMessages,
    layeringAwayBps: cr.layeringAwayFromTouchBps,
    layeringWarn: cr.layeringWarnOrders,
    layeringDeny: cr.layeringDenyOrders,
    cancelRatioWarning: cr.cancelRatioWarning,
    cancelRatioMinOrders: cr.cancelRatioMinOrders,
  };

  const symbols = new Map<string, SymbolState>();
  const stateOf = (symbol: string): SymbolState => {
    let s = symbols.get(symbol);
    if (s === undefined) symbols.set(symbol, (s = emptySymbol(symbol)));
    return s;
  };

  input.quotes.forEach((q, i) => {
    const s = stateOf(q.symbol);
    const f = `quotes[${i}]`;
    s.bid = q.bid === undefined ? NaN : toMicros(q.bid, `${f}.bid`);
    s.ask = q.ask === undefined ? NaN : toMicros(q.ask, `${f}.ask`);
    // Same reference as `markOf`: last, else mid (floored to a micro; ticks never need the floor).
    s.reference = q.last !== undefined ? toMicros(q.last, `${f}.last`) : Number.isNaN(s.bid) || Number.isNaN(s.ask) ? NaN : Math.floor((s.bid + s.ask) / 2);
  });

  const fallbackValuation = new Map<string, number>();
  input.positions.forEach((p, i) => {
    const s = stateOf(p.symbol);
    const f = `positions[${i}]`;
    if (!Number.isSafeInteger(p.quantity)) throw new ValidationError('PRETRADE.INVALID_COUNT', `${f}.quantity: not a whole number: ${p.quantity}`, [{ path: `${f}.quantity`, message: 'a whole number' }]);
    s.position = p.quantity;
    const fallback = p.marketPrice ?? p.avgCost;
    if (fallback !== undefined) fallbackValuation.set(p.symbol, toMicros(fallback, p.marketPrice !== undefined ? `${f}.marketPrice` : `${f}.avgCost`));
  });

  let gross = 0;
  let net = 0;
  for (const s of symbols.values()) {
    s.valuation = !Number.isNaN(s.reference) ? s.reference : (fallbackValuation.get(s.symbol) ?? NaN);
    s.exposure = s.position === 0 || Number.isNaN(s.valuation) ? 0 : s.position * s.valuation;
    gross += Math.abs(s.exposure);
    net += s.exposure;
  }
  if (!Number.isSafeInteger(gross)) throw new ValidationError('PRETRADE.OUT_OF_RANGE', `gross exposure ${gross} micro-units is beyond the exact range of the pre-trade checks (units.ts)`, [{ path: 'positions', message: 'gross exposure at most about 9.007e9' }]);

  input.workingOrders.forEach((o, i) => {
    if (!WORKING_STATUSES.has(o.status)) return;
    const f = `workingOrders[${i}]`;
    const openQty = wholeNonNegative(o.quantity - (o.filledQuantity ?? 0), `${f}.quantity - filledQuantity`);
    if (openQty === 0) return;
    const s = stateOf(o.symbol);
    const side: 1 | -1 = o.side === 'BUY' ? 1 : -1;
    const px = o.type === 'LMT' && o.limitPrice !== undefined ? toMicros(o.limitPrice, `${f}.limitPrice`) : side * Infinity;
    s.working.push({ clientOrderId: o.clientOrderId, side, quantity: o.quantity, openQty, px, createdAtMs: parseMs(o.createdAt, `${f}.createdAt`) });
    if (side === 1) {
      s.workingBuyQty += openQty;
      s.activeBuys += 1;
    } else {
      s.workingSellQty += openQty;
      s.activeSells += 1;
    }
  });

  for (const sym of input.restrictedSymbols ?? []) stateOf(sym).restricted = true;
  for (const sym of input.noShortSymbols ?? []) stateOf(sym).noShort = true;
  (input.blackoutWindows ?? []).forEach((w, i) => {
    const s = stateOf(w.symbol);
    const from = parseMs(w.from, `blackoutWindows[${i}].from`);
    const to = parseMs(w.to, `blackoutWindows[${i}].to`);
    s.blackouts.push(from, to);
    s.blackoutLabels.push(`from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}${w.reason ? ` (${w.reason})` : ''}`);
  });
  (input.orderActivity ?? []).forEach((a, i) => {
    const f = `orderActivity[${i}]`;
    stateOf(a.symbol).activity.set(a.strategyId, { orders: wholeNonNegative(a.orders, `${f}.orders`), cancels: wholeNonNegative(a.cancels, `${f}.cancels`), fills: wholeNonNegative(a.fills, `${f}.fills`) });
  });

  return {
    nowMs,
    tradingMode: input.tradingMode,
    limits,
    compliance,
    netLiquidation: toMicros(input.account.netLiquidation, 'account.netLiquidation'),
    buyingPower: toMicros(input.account.buyingPower, 'account.buyingPower'),
    grossExposure: gross,
    netExposure: net,
    dailyPnl: toMicros(input.dailyPnl.realized, 'dailyPnl.realized') + toMicros(input.dailyPnl.unrealized, 'dailyPnl.unrealized'),
    varNow: input.var === undefined ? NaN : toMicros(input.var.current, 'var.current'),
    messagesInWindow: wholeNonNegative(input.messagesInWindow, 'messagesInWindow'),
    knownClientOrderIds: new Set([...(input.knownClientOrderIds ?? []), ...input.workingOrders.map((o) => o.clientOrderId)]),
    symbols,
  };
}
