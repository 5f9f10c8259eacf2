import { submitDenial } from '../trading-state/transitions.js';
import type { PreparedContext } from './context.js';
import type { Findings, OrderView } from './evaluation.js';
import type { PreparedOrder } from './order.js';
import { PretradeWarning, RiskReason } from './reason-codes.js';
import { formatMicros as money, formatPercent, formatRatio } from './units.js';

/**
 * The risk rules (SEC 15c3-5 price/size/credit controls, MiFID II RTS 6 Art 15, IB pacing), one
 * function each, all run on every order so a denial lists every failing reason. Boundaries:
 * a value equal to a maximum passes; a count equal to a "may hold at most" limit denies (the
 * window already holds the limit); the daily loss limit is breached when the loss reaches it.
 * Exposure figures assume the whole order fills at its price and value the resulting position
 * at the symbol's mark (the order's price when the symbol has none).
 *
 * No rule parses or allocates unless it fails: messages are built only for findings.
 * @internal — call through `checkRisk` / `checkOrder` in `check.ts`.
 */

export function tradingStateRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const code = submitDenial(ctx.tradingMode, { reducesExposure: v.reduces });
  if (code === undefined) return;
  f.deny(code, ctx.tradingMode === 'HALTED' ? 'trading is HALTED (kill switch): no new orders' : `trading is REDUCING: only orders that reduce a position toward zero pass; ${o.sideName} ${o.quantity} ${o.symbol} against a position of ${v.s.position} does not`);
}

export function messageRateRule(_o: PreparedOrder, ctx: PreparedContext, _v: OrderView, f: Findings): void {
  const max = ctx.limits.maxMessagesPerSecond;
  if (ctx.messagesInWindow >= max) f.deny(RiskReason.MESSAGE_RATE, `message rate: ${ctx.messagesInWindow} messages already sent this second, limit ${max}/s`);
}

export function orderQuantityRule(o: PreparedOrder, ctx: PreparedContext, _v: OrderView, f: Findings): void {
  const max = ctx.limits.maxOrderQuantity;
  if (o.quantity > max) f.deny(RiskReason.MAX_ORDER_QUANTITY, `order quantity ${o.quantity} exceeds the maximum of ${max}`);
}

/** The collar for limit orders, and the fail-closed rule when there is no price to check against. */
export function priceCollarRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const ref = v.s.reference;
  if (Number.isNaN(ref)) {
    f.deny(RiskReason.NO_REFERENCE_PRICE, `no last or mid price for ${o.symbol}: ${o.isMarket ? 'a market order cannot be valued' : 'the limit price cannot be collared'}`);
    return;
  }
  if (o.isMarket) return;
  const diff = o.limitPx > ref ? o.limitPx - ref : ref - o.limitPx;
  // Integers on both sides (micros × bps): exact within the bound of units.ts.
  if (diff * 10_000 > ctx.limits.priceCollarBps * ref) {
    f.deny(RiskReason.PRICE_COLLAR, `limit price ${money(o.limitPx)} is ${formatRatio((diff * 10_000) / ref)} bps from the reference ${money(ref)}, collar ${ctx.limits.priceCollarBps} bps`);
  }
}

export function orderNotionalRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  if (Number.isNaN(v.px)) return; // denied by the price rule
  const notional = o.quantity * v.px;
  const max = ctx.limits.maxOrderNotional;
  if (notional > max) f.deny(RiskReason.MAX_ORDER_NOTIONAL, `order notional ${money(notional)} (${o.quantity} × ${money(v.px)}) exceeds the maximum of ${money(max)}`);
}

export function activeOrdersRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const active = o.side === 1 ? v.s.activeBuys : v.s.activeSells;
  const max = ctx.limits.maxActiveOrders;
  if (active >= max) f.deny(RiskReason.MAX_ACTIVE_ORDERS, `${active} ${o.sideName} orders already work on ${o.symbol}, at most ${max} per contract and side`);
}

export function duplicateRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  if (ctx.knownClientOrderIds.has(o.clientOrderId)) f.deny(RiskReason.DUPLICATE_CLIENT_ORDER_ID, `clientOrderId ${o.clientOrderId} is already in use`);
  const since = ctx.nowMs - ctx.limits.duplicateWindowMs;
  const working = v.s.working;
  for (let i = 0; i < working.length; i++) {
    const w = working[i]!;
    if (w.side === o.side && w.quantity === o.quantity && w.px === v.ownPx && w.createdAtMs >= since) {
      f.deny(RiskReason.DUPLICATE_ORDER, `same symbol, side, quantity and price as working order ${w.clientOrderId} placed ${Math.max(0, ctx.nowMs - w.createdAtMs)} ms ago (window ${ctx.limits.duplicateWindowMs} ms)`);
      return;
    }
  }
}

/**
 * Position, gross and net exposure, buying power, leverage, daily loss and VaR: the rules that
 * guard against more exposure, so a reducing order is exempt from every denial here (warnings
 * still report where the book stands).
 */
export function exposureRules(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const L = ctx.limits;
  const s = v.s;
  const increases = !v.reduces;

  const loss = -ctx.dailyPnl;
  if (increases && loss >= L.dailyLossLimit) f.deny(RiskReason.DAILY_LOSS_LIMIT, `daily loss ${money(loss)} has reached the limit of ${money(L.dailyLossLimit)}: only reducing orders pass`);

  if (Number.isNaN(ctx.varNow)) {
    f.warn(PretradeWarning.VAR_UNAVAILABLE, 'no current VaR in the context: the VaR limit was not checked');
  } else {
    const varAfter = ctx.varNow + o.marginalVar;
    const util = varAfter / L.varLimit;
    if (increases && util > L.varCritical) {
      f.deny(RiskReason.VAR_CRITICAL, `VaR after the order ${money(varAfter)} is ${formatPercent(util)} of the limit ${money(L.varLimit)}, critical above ${formatPercent(L.varCritical)}`);
    } else if (util >= L.varWarning) {
      f.warn(PretradeWarning.VAR_UTILIZATION, `VaR after the order ${money(varAfter)} is ${formatPercent(util)} of the limit ${money(L.varLimit)} (warning at ${formatPercent(L.varWarning)})`);
    }
  }

  const val = Number.isNaN(s.valuation) ? v.px : s.valuation;
  if (Number.isNaN(val)) return; // no price at all: denied by the price rule
  const newPos = s.position + o.side * o.quantity;
  const newExp = newPos * val;
  const absNew = newExp < 0 ? -newExp : newExp;
  const absOld = s.exposure < 0 ? -s.exposure : s.exposure;
  const gross = ctx.grossExposure - absOld + absNew;
  const net = ctx.netExposure - s.exposure + newExp;
  const absNet = net < 0 ? -net : net;

  if (increases) {
    if (absNew > L.maxPositionNotional) f.deny(RiskReason.MAX_POSITION_NOTIONAL, `${o.symbol} position after the order ${newPos} × ${money(val)} = ${money(absNew)} exceeds the per-instrument maximum of ${money(L.maxPositionNotional)}`);
    if (gross > L.maxGrossExposure) f.deny(RiskReason.MAX_GROSS_EXPOSURE, `gross exposure after the order ${money(gross)} exceeds the maximum of ${money(L.maxGrossExposure)}`);
    if (absNet > L.maxNetExposure) f.deny(RiskReason.MAX_NET_EXPOSURE, `net exposure after the order ${money(net)} exceeds the maximum of ±${money(L.maxNetExposure)}`);
    if (!Number.isNaN(v.px)) {
      const notional = o.quantity * v.px;
      if (notional > ctx.buyingPower) f.deny(RiskReason.INSUFFICIENT_BUYING_POWER, `order notional ${money(notional)} exceeds buying power ${money(ctx.buyingPower)}`);
    }
  }

  if (ctx.netLiquidation <= 0) {
    if (increases) f.deny(RiskReason.NO_NET_LIQUIDATION, `net liquidation is ${money(ctx.netLiquidation)}: leverage is unbounded, only reducing orders pass`);
    return;
  }
  const leverage = gross / ctx.netLiquidation;
  if (increases && leverage > L.leverageCritical) {
    f.deny(RiskReason.LEVERAGE_CRITICAL, `leverage after the order ${formatRatio(leverage)}× (gross ${money(gross)} / net liquidation ${money(ctx.netLiquidation)}) is above the critical ${formatRatio(L.leverageCritical)}×`);
  } else if (leverage >= L.leverageWarning) {
    f.warn(PretradeWarning.LEVERAGE, `leverage after the order ${formatRatio(leverage)}× is at or above the warning level ${formatRatio(L.leverageWarning)}×`);
  }
}

/** Every risk rule in evaluation order. */
export const RISK_RULES = [tradingStateRule, messageRateRule, orderQuantityRule, priceCollarRule, orderNotionalRule, activeOrdersRule, duplicateRule, exposureRules] as const;
