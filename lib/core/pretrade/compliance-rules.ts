import type { PreparedContext } from './context.js';
import type { Findings, OrderView } from './evaluation.js';
import type { PreparedOrder } from './order.js';
import { ComplianceReason, PretradeWarning } from './reason-codes.js';
import { formatMicros as money, formatRatio } from './units.js';

/**
 * The compliance pre-checks (15c3-5 restricted securities, Reg SHO short sales, MAR Art 12/16
 * market-abuse patterns), one function each, all run on every order. These are pre-trade gates on
 * our own book; the compliance agent's post-trade surveillance looks at the whole history.
 *
 * Thresholds (config names in `limits.ts` `ComplianceRulesSchema`):
 * - short sale: selling more than the long position net of working sells;
 * - order-to-trade: (orders + cancels) / max(fills, 1) > `orderToTradeMaxRatio` (50) once
 *   orders + cancels ≥ `orderToTradeMinMessages` (100) — for the order's strategy and symbol, today;
 * - wash trade: the order would cross one of our working orders on the other side (a market order
 *   at the touch it would take: it crosses our resting orders at or inside the touch);
 * - layering: our working orders on the other side resting ≥ `layeringAwayFromTouchBps` (10 bps)
 *   behind the touch: ≥ `layeringWarnOrders` (3) warns, ≥ `layeringDenyOrders` (5) denies;
 * - cancel ratio: cancels / orders ≥ `cancelRatioWarning` (0.9) once orders ≥ `cancelRatioMinOrders` (20) warns;
 * - blackout: `asOf` within [from, to) of a window for the symbol.
 * @internal — call through `checkCompliance` / `checkOrder` in `check.ts`.
 */

export function restrictedRule(o: PreparedOrder, _ctx: PreparedContext, v: OrderView, f: Findings): void {
  if (v.s.restricted) f.deny(ComplianceReason.RESTRICTED_INSTRUMENT, `${o.symbol} is on the restricted list`);
}

export function blackoutRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const b = v.s.blackouts;
  for (let i = 0; i < b.length; i += 2) {
    if (ctx.nowMs >= b[i]! && ctx.nowMs < b[i + 1]!) {
      f.deny(ComplianceReason.BLACKOUT_WINDOW, `${o.symbol} is in a blackout window ${v.s.blackoutLabels[i / 2]}`);
      return;
    }
  }
}

export function shortSaleRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  if (o.side !== -1) return;
  const long = v.s.position > 0 ? v.s.position : 0;
  const selling = o.quantity + v.s.workingSellQty;
  if (selling <= long) return;
  const what = `selling ${o.quantity} ${o.symbol} (plus ${v.s.workingSellQty} working) against a long position of ${long} is a short sale`;
  if (!ctx.compliance.shortSellingEnabled) f.deny(ComplianceReason.SHORT_SALE_DISABLED, `${what}, and short selling is disabled`);
  if (v.s.noShort) f.deny(ComplianceReason.SHORT_SALE_RESTRICTED, `${what}, and ${o.symbol} is on the no-short / hard-to-borrow list`);
  if (ctx.compliance.requireLocate && !o.locate) f.deny(ComplianceReason.LOCATE_REQUIRED, `${what} without a locate`);
}

export function orderToTradeRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const a = v.s.activity.get(o.strategyId);
  if (a === undefined) return;
  const C = ctx.compliance;
  const messages = a.orders + a.cancels;
  const ratio = messages / (a.fills > 0 ? a.fills : 1);
  if (messages >= C.otrMinMessages && ratio > C.otrMaxRatio) {
    f.deny(ComplianceReason.ORDER_TO_TRADE_RATIO, `order-to-trade ratio of strategy ${o.strategyId || '(none)'} in ${o.symbol} today is ${formatRatio(ratio)} (${a.orders} orders + ${a.cancels} cancels / ${a.fills} fills), maximum ${C.otrMaxRatio}`);
  }
  if (a.orders >= C.cancelRatioMinOrders && a.cancels / a.orders >= C.cancelRatioWarning) {
    f.warn(PretradeWarning.HIGH_CANCEL_RATIO, `strategy ${o.strategyId || '(none)'} cancelled ${a.cancels} of ${a.orders} orders in ${o.symbol} today (warning at ${C.cancelRatioWarning})`);
  }
}

export function washTradeRule(o: PreparedOrder, _ctx: PreparedContext, v: OrderView, f: Findings): void {
  const working = v.s.working;
  for (let i = 0; i < working.length; i++) {
    const w = working[i]!;
    if (w.side === o.side) continue;
    const crosses = o.side === 1 ? v.crossPx >= w.px : w.px >= v.crossPx;
    if (crosses) {
      f.deny(ComplianceReason.WASH_TRADE, `${o.sideName} ${o.quantity} ${o.symbol} at ${o.isMarket ? `market (touch ${Number.isFinite(v.crossPx) ? money(v.crossPx) : 'unknown'})` : money(o.limitPx)} would cross our own working ${w.side === 1 ? 'BUY' : 'SELL'} ${w.clientOrderId} at ${Number.isFinite(w.px) ? money(w.px) : 'market'}`);
      return;
    }
  }
}

export function layeringRule(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  const s = v.s;
  const other = -o.side;
  // The touch of the other side's book: bid for resting buys, ask for resting sells; else the reference.
  const touch = other === 1 ? (Number.isNaN(s.bid) ? s.reference : s.bid) : Number.isNaN(s.ask) ? s.reference : s.ask;
  if (Number.isNaN(touch)) return;
  const away = ctx.compliance.layeringAwayBps * touch;
  let layers = 0;
  const working = s.working;
  for (let i = 0; i < working.length; i++) {
    const w = working[i]!;
    if (w.side !== other || !Number.isFinite(w.px)) continue;
    const behind = other === 1 ? touch - w.px : w.px - touch;
    if (behind >= 0 && behind * 10_000 >= away) layers++;
  }
  const C = ctx.compliance;
  if (layers >= C.layeringDeny) {
    f.deny(ComplianceReason.LAYERING, `${layers} of our ${other === 1 ? 'BUY' : 'SELL'} orders rest ≥ ${C.layeringAwayBps} bps behind the touch of ${o.symbol} while a ${o.sideName} is placed (deny at ${C.layeringDeny})`);
  } else if (layers >= C.layeringWarn) {
    f.warn(PretradeWarning.LAYERING, `${layers} of our ${other === 1 ? 'BUY' : 'SELL'} orders rest ≥ ${C.layeringAwayBps} bps behind the touch of ${o.symbol} while a ${o.sideName} is placed (warn at ${C.layeringWarn}, deny at ${C.layeringDeny})`);
  }
}

/** Every compliance rule in evaluation order. */
export const COMPLIANCE_RULES = [restrictedRule, blackoutRule, shortSaleRule, orderToTradeRule, washTradeRule, layeringRule] as const;
