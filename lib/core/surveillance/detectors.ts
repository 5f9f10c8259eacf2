import { abs, gte, min, mulInt, parseDecimal, sub, toDecimalString, type Fixed } from '../money/fixed.js';
import { tradingDayOf } from '../calendar/nyse.js';
import { AlertSeverity, AlertType, type AlertCandidate, type AlertEvidence } from './alert.js';
import { ObservationKind, type SurveillanceObservation } from './observation.js';
import { exceedsOrderToTrade, isOrderMessage, orderToTradeEvidenceKey, type OrderToTradeCount } from './order-to-trade.js';
import type { SurveillanceRules } from './rules.js';

type Obs = SurveillanceObservation;
const BPS = 10_000;
const ms = (iso: string): number => Date.parse(iso);

/**
 * Runs every detector for one new observation (`trigger`) against the observations around it.
 * `window` holds the observations of the trigger's symbol within `windowRadiusMs` either side of
 * it (the trigger may be among them; other symbols are ignored); `day` holds the symbol's
 * observations of the trigger's trading day (for the order-to-trade ratio). Detectors look only
 * for patterns the trigger takes part in, so each pattern is found when its last event arrives,
 * whatever the arrival order; alert ids are deterministic, so finding it again changes nothing.
 * @example
 * const candidates = detect(obs, window, day, rules); // → raise each via the alert store (createIfNew)
 */
export function detect(trigger: Obs, window: readonly Obs[], day: readonly Obs[], rules: SurveillanceRules): AlertCandidate[] {
  const win = dedupe([trigger, ...window]).filter((o) => o.symbol === trigger.symbol);
  return [
    ...detectRestricted(trigger, rules),
    ...detectBlackout(trigger, rules),
    ...detectWashTrades(trigger, win, rules),
    ...detectSpoofing(trigger, win, rules),
    ...detectOrderToTrade(trigger, dedupe([trigger, ...day]), rules),
  ];
}

/** Any order placed or modified, or fill, in a restricted name. */
export function detectRestricted(t: Obs, rules: SurveillanceRules): AlertCandidate[] {
  if (!isActivity(t)) return [];
  const hit = rules.restricted.find((r) => r.symbol === t.symbol);
  if (hit === undefined) return [];
  return [{
    type: AlertType.RESTRICTED_INSTRUMENT, severity: AlertSeverity.CRITICAL, account: t.account, symbol: t.symbol, strategyId: t.strategyId,
    evidenceKey: `${t.account}|${t.obsId}`,
    summary: `${describe(t)} in restricted ${t.symbol}${hit.reason === undefined ? '' : ` (${hit.reason})`}`,
    evidence: evidenceOf([t], rules, { restrictedReason: hit.reason ?? '' }), detectedAt: t.at,
  }];
}

/** Any order placed or modified, or fill, inside a blackout window [from, to) of its symbol. */
export function detectBlackout(t: Obs, rules: SurveillanceRules): AlertCandidate[] {
  if (!isActivity(t)) return [];
  const at = ms(t.at);
  const hit = rules.blackouts.find((b) => b.symbol === t.symbol && at >= ms(b.from) && at < ms(b.to));
  if (hit === undefined) return [];
  return [{
    type: AlertType.BLACKOUT_WINDOW, severity: AlertSeverity.HIGH, account: t.account, symbol: t.symbol, strategyId: t.strategyId,
    evidenceKey: `${t.account}|${t.obsId}`,
    summary: `${describe(t)} in ${t.symbol} during its blackout ${hit.from} – ${hit.to}${hit.reason === undefined ? '' : ` (${hit.reason})`}`,
    evidence: evidenceOf([t], rules, { blackoutFrom: hit.from, blackoutTo: hit.to }), detectedAt: t.at,
  }];
}

/**
 * Wash trades: a fill of the trigger's account and symbol on the other side, within
 * `washWindowMs` and `washPriceToleranceBps` of the trigger fill. One alert per pair; HIGH when the
 * quantities match (no change in beneficial ownership at all), MEDIUM otherwise.
 */
export function detectWashTrades(t: Obs, win: readonly Obs[], rules: SurveillanceRules): AlertCandidate[] {
  if (t.kind !== ObservationKind.FILL || t.price === undefined) return [];
  const p = parseDecimal(t.price);
  const out: AlertCandidate[] = [];
  for (const o of win) {
    if (o.kind !== ObservationKind.FILL || o.obsId === t.obsId || o.account !== t.account || o.side === t.side || o.price === undefined) continue;
    const gapMs = Math.abs(ms(o.at) - ms(t.at));
    if (gapMs > rules.washWindowMs) continue;
    const q = parseDecimal(o.price);
    const diff = abs(sub(p, q));
    if (!withinBps(diff, min(p, q), rules.washPriceToleranceBps)) continue;
    const [buy, sell] = t.side === 'BUY' ? [t, o] : [o, t];
    const pair = [t, o].sort((a, b) => (a.obsId < b.obsId ? -1 : 1));
    out.push({
      type: AlertType.WASH_TRADE, severity: buy.quantity === sell.quantity ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
      account: t.account, symbol: t.symbol, strategyId: sameOr(buy.strategyId, sell.strategyId),
      evidenceKey: `${t.account}|${t.symbol}|${pair.map((x) => x.execId ?? x.obsId).join('|')}`,
      summary: `own buy ${buy.quantity} @ ${buy.price} and sell ${sell.quantity} @ ${sell.price} of ${t.symbol} ${gapMs / 1000}s apart`,
      evidence: evidenceOf(pair, rules, { gapMs: String(gapMs), priceDiff: toDecimalString(diff) }),
      detectedAt: latestAt(pair),
    });
  }
  return out;
}

/**
 * Spoofing / layering: for a fill F on side S, orders of the same account and symbol on the other
 * side, limit orders placed within `spoofLookbackMs` before F, at least `spoofMinDistanceBps`
 * behind the touch (the quote at placement, else F's price), never filled, and cancelled within
 * `spoofCancelWithinMs` after F; at least `spoofMinOrders` of them, totalling at least
 * `spoofMinQuantityRatio` × F's quantity. The trigger may be the fill, a placement or a cancel:
 * every fill the trigger could belong to is checked. One alert per fill (keyed by its execId).
 */
export function detectSpoofing(t: Obs, win: readonly Obs[], rules: SurveillanceRules): AlertCandidate[] {
  const relevant = t.kind === ObservationKind.FILL || t.kind === ObservationKind.ORDER_PLACED || t.kind === ObservationKind.ORDER_CANCELLED;
  if (!relevant) return [];
  const mine = win.filter((o) => o.account === t.account);
  const fills = t.kind === ObservationKind.FILL ? [t] : mine.filter((o) => o.kind === ObservationKind.FILL && o.side !== t.side);
  const filledOrders = new Set(mine.filter((o) => o.kind === ObservationKind.FILL && o.clientOrderId !== undefined).map((o) => o.clientOrderId));
  const placed = new Map(mine.filter((o) => o.kind === ObservationKind.ORDER_PLACED && o.clientOrderId !== undefined).map((o) => [o.clientOrderId!, o]));
  const out: AlertCandidate[] = [];
  for (const f of fills) {
    if (f.price === undefined) continue;
    const tf = ms(f.at);
    const fillPrice = parseDecimal(f.price);
    const layered: Array<{ placed: Obs; cancelled: Obs }> = [];
    for (const c of mine) {
      if (c.kind !== ObservationKind.ORDER_CANCELLED || c.side === f.side || c.clientOrderId === undefined || filledOrders.has(c.clientOrderId)) continue;
      const p = placed.get(c.clientOrderId);
      if (p === undefined || p.price === undefined || p.orderType === 'MKT') continue;
      const tp = ms(p.at);
      const tc = ms(c.at);
      if (tp > tf || tf - tp > rules.spoofLookbackMs || tc < tf || tc - tf > rules.spoofCancelWithinMs) continue;
      if (!awayFromTouch(p, fillPrice, rules.spoofMinDistanceBps)) continue;
      layered.push({ placed: p, cancelled: c });
    }
    const qty = layered.reduce((s, l) => s + l.placed.quantity, 0);
    if (layered.length < rules.spoofMinOrders || qty < rules.spoofMinQuantityRatio * f.quantity) continue;
    const evidence = [f, ...layered.flatMap((l) => [l.placed, l.cancelled])];
    out.push({
      type: AlertType.SPOOFING_LAYERING, severity: layered.length >= rules.layeringMinOrders ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
      account: f.account, symbol: f.symbol, strategyId: f.strategyId,
      evidenceKey: `${f.account}|${f.symbol}|${f.execId ?? f.obsId}`,
      summary: `${layered.length} ${f.side === 'BUY' ? 'SELL' : 'BUY'} orders (${qty} ${f.symbol}) cancelled within ${rules.spoofCancelWithinMs / 1000}s after a ${f.side} fill of ${f.quantity} @ ${f.price}`,
      evidence: evidenceOf(evidence, rules, { orders: String(layered.length), orderQuantity: String(qty), fillQuantity: String(f.quantity) }),
      detectedAt: latestAt(evidence),
    });
  }
  return out;
}

/**
 * Excessive order-to-trade ratio: order messages (placed, modified, cancelled) per fill of one
 * strategy in one symbol on one trading day (America/New_York), above `otrMaxRatio` once there
 * are `otrMinOrders` messages. One alert per strategy, symbol and day; HIGH above twice the limit.
 */
export function detectOrderToTrade(t: Obs, day: readonly Obs[], rules: SurveillanceRules): AlertCandidate[] {
  const d = tradingDayOf(new Date(t.at));
  const same = day.filter((o) => o.strategyId === t.strategyId && o.symbol === t.symbol && tradingDayOf(new Date(o.at)) === d);
  const count = { orderMessages: same.filter(isOrderMessage).length, fills: same.filter((o) => o.kind === ObservationKind.FILL).length };
  return exceedsOrderToTrade(count, rules) ? [orderToTradeAlert(t, count, same, rules)] : [];
}

/**
 * The order-to-trade alert for `t`'s strategy, symbol and day from its counters (`count`, which
 * must exceed the limit) and that strategy's observations of the symbol and day, `t` among them
 * (`same`, for the evidence): how the agent raises it without counting the day itself.
 * @example
 * if (exceedsOrderToTrade(count, rules)) raise(orderToTradeAlert(obs, count, strategyDay, rules));
 */
export function orderToTradeAlert(t: Obs, count: OrderToTradeCount, same: readonly Obs[], rules: SurveillanceRules): AlertCandidate {
  const d = tradingDayOf(new Date(t.at));
  const { orderMessages: messages, fills: trades } = count;
  const ratio = trades === 0 ? 'inf' : (messages / trades).toFixed(2);
  const severe = messages > 2 * rules.otrMaxRatio * Math.max(trades, 1);
  return {
    type: AlertType.EXCESSIVE_ORDER_TO_TRADE, severity: severe ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
    account: t.account, symbol: t.symbol, strategyId: t.strategyId,
    evidenceKey: orderToTradeEvidenceKey({ strategyId: t.strategyId, symbol: t.symbol, day: d }),
    summary: `strategy ${t.strategyId}: ${messages} order messages for ${trades} fills in ${t.symbol} on ${d} (ratio ${ratio} > ${rules.otrMaxRatio})`,
    evidence: evidenceOf(same, rules, { day: d, orderMessages: String(messages), trades: String(trades), ratio, maxRatio: String(rules.otrMaxRatio) }),
    detectedAt: latestAt(same),
  };
}

/** Orders placed or modified and fills: what trading in a name means (cancels and rejects reduce nothing). */
const isActivity = (o: Obs): boolean => o.kind === ObservationKind.ORDER_PLACED || o.kind === ObservationKind.ORDER_MODIFIED || o.kind === ObservationKind.FILL;

function awayFromTouch(p: Obs, fillPrice: Fixed, minBps: number): boolean {
  const limit = parseDecimal(p.price!);
  const touch = p.side === 'BUY' ? p.touch?.bid : p.touch?.ask;
  const ref = touch === undefined ? fillPrice : parseDecimal(touch);
  const behind = p.side === 'BUY' ? sub(ref, limit) : sub(limit, ref);
  // behind × 10 000 ≥ minBps × ref, exact
  return gte(mulInt(behind, BPS), mulInt(ref, minBps));
}

function withinBps(diff: Fixed, base: Fixed, bps: number): boolean {
  return gte(mulInt(base, bps), mulInt(diff, BPS));
}

function evidenceOf(obs: readonly Obs[], rules: SurveillanceRules, metrics: Record<string, string>): AlertEvidence {
  const sorted = [...obs].sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.obsId < b.obsId ? -1 : a.obsId > b.obsId ? 1 : 0));
  const orders = sorted.filter((o) => o.kind !== ObservationKind.FILL);
  const fills = sorted.filter((o) => o.kind === ObservationKind.FILL);
  const extra = Math.max(0, orders.length - rules.maxEvidenceItems) + Math.max(0, fills.length - rules.maxEvidenceItems);
  return {
    orders: orders.slice(0, rules.maxEvidenceItems).map((o) => strip({ clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId, event: o.kind, side: o.side, quantity: o.quantity, price: o.price, at: o.at })),
    fills: fills.slice(0, rules.maxEvidenceItems).map((o) => strip({ execId: o.execId ?? o.obsId, clientOrderId: o.clientOrderId, side: o.side, quantity: o.quantity, price: o.price ?? '0', at: o.at })),
    metrics: extra > 0 ? { ...metrics, evidenceOmitted: String(extra) } : metrics,
  };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** One observation per obsId, the first seen kept (a redelivered event can be stored twice under another time). */
export function dedupe(obs: readonly Obs[]): Obs[] {
  const seen = new Map<string, Obs>();
  for (const o of obs) if (!seen.has(o.obsId)) seen.set(o.obsId, o);
  return [...seen.values()];
}

const latestAt = (obs: readonly Obs[]): string => obs.reduce((m, o) => (o.at > m ? o.at : m), obs[0]?.at ?? '');
const sameOr = (a: string, b: string): string | undefined => (a === b ? a : undefined);
const describe = (o: Obs): string => (o.kind === ObservationKind.FILL ? `fill ${o.side} ${o.quantity} @ ${o.price ?? '?'}` : `order ${o.clientOrderId ?? o.brokerOrderId ?? '?'} ${o.kind.toLowerCase().replace('order_', '')} ${o.side} ${o.quantity}`);
