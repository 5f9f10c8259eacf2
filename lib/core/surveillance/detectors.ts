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

/** At most this many of a wash alert's matches are copied into its evidence, nearest first (all are counted). */
export const WASH_EVIDENCE_MATCHES = 5;

/**
 * Wash trades: own fills of one account and symbol on opposite sides, within `washWindowMs` and
 * `washPriceToleranceBps` (of the lower price) of each other. One alert per fill that completes
 * such a pattern, not one per buy/sell pair: a strategy churning one name (buys and sells within the
 * window) would otherwise raise one alert per earlier opposite fill for every new fill — an alert,
 * audit entry and event per pair, growing with the window.
 *
 * Each matching pair has a later fill L, by (time, then execId or obsId): the alert is L's, keyed
 * `account|symbol|L's execId`, so its id does not depend on the order the fills arrive in. The
 * trigger's matches are grouped by their later fill, one candidate per L: in order, that is the
 * trigger's own (at most one per fill); a late-arriving earlier fill can complete the alert of a
 * later fill already seen (createIfNew raises it once either way). Evidence: L, then its matching
 * earlier opposite fills newest (nearest) first, at most `WASH_EVIDENCE_MATCHES` of them, with
 * `matches` (all of them), the nearest's `gapMs` and `priceDiff`, and `evidenceOmitted` beyond the
 * cap. HIGH when any match has L's quantity (no change in beneficial ownership at all), else MEDIUM.
 * @example
 * detectWashTrades(sellAt(30s), [buyAt(0s), sellAt(10s), buyAt(20s)], rules) // → one candidate keyed by the 30 s sell; evidence fills: sell 30 s, buy 20 s, buy 0 s
 */
export function detectWashTrades(t: Obs, win: readonly Obs[], rules: SurveillanceRules): AlertCandidate[] {
  if (!isPricedFill(t)) return [];
  // L's earlier matches lie within [L − window, L] ⊂ [t − window, t + window]: the trigger's window holds them all
  const fills = dedupe([t, ...win]).filter((o) => isPricedFill(o) && o.account === t.account && o.symbol === t.symbol);
  const laters = new Map<string, Obs>();
  for (const o of fills) {
    if (washMatches(t, o, rules)) {
      const later = laterOf(t, o);
      laters.set(later.obsId, later);
    }
  }
  return [...laters.values()].sort(byFillOrder).map((l) => washAlert(l, fills.filter((e) => washMatches(l, e, rules) && laterOf(l, e) === l), rules));
}

function washAlert(l: Obs, earlier: readonly Obs[], rules: SurveillanceRules): AlertCandidate {
  const nearestFirst = [...earlier].sort((a, b) => byFillOrder(b, a));
  const nearest = nearestFirst[0]!;
  const shown = nearestFirst.slice(0, Math.min(WASH_EVIDENCE_MATCHES, Math.max(0, rules.maxEvidenceItems - 1)));
  const gapMs = ms(l.at) - ms(nearest.at);
  const priceDiff = toDecimalString(abs(sub(parseDecimal(l.price!), parseDecimal(nearest.price!))));
  const omitted = earlier.length - shown.length;
  const others = earlier.length - 1;
  return {
    type: AlertType.WASH_TRADE, severity: earlier.some((e) => e.quantity === l.quantity) ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
    account: l.account, symbol: l.symbol, strategyId: earlier.every((e) => e.strategyId === l.strategyId) ? l.strategyId : undefined,
    evidenceKey: `${l.account}|${l.symbol}|${l.execId ?? l.obsId}`,
    summary: `own ${l.side.toLowerCase()} ${l.quantity} @ ${l.price} of ${l.symbol} ${gapMs / 1000}s after ${nearest.side.toLowerCase()} ${nearest.quantity} @ ${nearest.price}`
      + (others > 0 ? ` and ${others} more opposite fill${others === 1 ? '' : 's'} within ${rules.washWindowMs / 1000}s` : ''),
    evidence: {
      orders: [],
      fills: [l, ...shown].map(fillEvidence),
      metrics: { matches: String(earlier.length), gapMs: String(gapMs), priceDiff, ...(omitted > 0 ? { evidenceOmitted: String(omitted) } : {}) },
    },
    detectedAt: l.at,
  };
}

/** Two fills of a wash pattern: distinct, same account, opposite sides, within the window and the price tolerance. */
function washMatches(a: Obs, b: Obs, rules: SurveillanceRules): boolean {
  if (a.obsId === b.obsId || a.account !== b.account || a.side === b.side || a.price === undefined || b.price === undefined) return false;
  if (Math.abs(ms(a.at) - ms(b.at)) > rules.washWindowMs) return false;
  const p = parseDecimal(a.price);
  const q = parseDecimal(b.price);
  return withinBps(abs(sub(p, q)), min(p, q), rules.washPriceToleranceBps);
}

const isPricedFill = (o: Obs): boolean => o.kind === ObservationKind.FILL && o.price !== undefined;
const fillKey = (o: Obs): string => o.execId ?? o.obsId;
/** The order fills happened in: time, then execId (or obsId) — the same whatever order they arrive in. */
const byFillOrder = (a: Obs, b: Obs): number => ms(a.at) - ms(b.at) || (fillKey(a) < fillKey(b) ? -1 : fillKey(a) > fillKey(b) ? 1 : a.obsId < b.obsId ? -1 : a.obsId > b.obsId ? 1 : 0);
const laterOf = (a: Obs, b: Obs): Obs => (byFillOrder(a, b) >= 0 ? a : b);

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
    fills: fills.slice(0, rules.maxEvidenceItems).map(fillEvidence),
    metrics: extra > 0 ? { ...metrics, evidenceOmitted: String(extra) } : metrics,
  };
}

const fillEvidence = (o: Obs): AlertEvidence['fills'][number] => strip({ execId: o.execId ?? o.obsId, clientOrderId: o.clientOrderId, side: o.side, quantity: o.quantity, price: o.price ?? '0', at: o.at });

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
const describe = (o: Obs): string => (o.kind === ObservationKind.FILL ? `fill ${o.side} ${o.quantity} @ ${o.price ?? '?'}` : `order ${o.clientOrderId ?? o.brokerOrderId ?? '?'} ${o.kind.toLowerCase().replace('order_', '')} ${o.side} ${o.quantity}`);
