import { tradingDayOf } from '../calendar/nyse.js';
import { ObservationKind, type SurveillanceObservation } from './observation.js';
import type { SurveillanceRules } from './rules.js';

/** The order-to-trade ratio is judged per strategy, symbol and trading day (America/New_York). */
export interface OrderToTradeKey {
  strategyId: string;
  symbol: string;
  /** Trading day, `YYYY-MM-DD`. */
  day: string;
}

/** What one key has seen so far: order messages (placed, modified, cancelled) and fills. */
export interface OrderToTradeCount {
  orderMessages: number;
  fills: number;
}

export type OrderToTradeField = keyof OrderToTradeCount;

/** Order messages: what the ratio's numerator counts (rejects never reached the book). */
export const isOrderMessage = (o: Pick<SurveillanceObservation, 'kind'>): boolean =>
  o.kind === ObservationKind.ORDER_PLACED || o.kind === ObservationKind.ORDER_MODIFIED || o.kind === ObservationKind.ORDER_CANCELLED;

/**
 * The counter an observation adds one to, or undefined for observations the ratio ignores.
 * @example
 * orderToTradeTallyOf(fill) // { key: { strategyId: 's1', symbol: 'AAPL', day: '2026-11-26' }, field: 'fills' }
 */
export function orderToTradeTallyOf(o: SurveillanceObservation): { key: OrderToTradeKey; field: OrderToTradeField } | undefined {
  const field: OrderToTradeField | undefined = isOrderMessage(o) ? 'orderMessages' : o.kind === ObservationKind.FILL ? 'fills' : undefined;
  if (field === undefined) return undefined;
  return { key: { strategyId: o.strategyId, symbol: o.symbol, day: tradingDayOf(new Date(o.at)) }, field };
}

/** Above `otrMaxRatio` messages per fill, once there are at least `otrMinOrders` messages. */
export const exceedsOrderToTrade = (c: OrderToTradeCount, rules: SurveillanceRules): boolean =>
  c.orderMessages >= rules.otrMinOrders && c.orderMessages > rules.otrMaxRatio * Math.max(c.fills, 1);

/** The alert's evidence key: one alert per strategy, symbol and day. */
export const orderToTradeEvidenceKey = (k: OrderToTradeKey): string => `${k.strategyId}|${k.symbol}|${k.day}`;
