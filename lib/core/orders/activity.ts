import type { Order } from './order.js';

/** One strategy's orders in one symbol on one trading day: what the order-to-trade and cancel ratios count. */
export interface OrderActivity {
  readonly strategyId: string;
  readonly symbol: string;
  /** New orders placed today (including modifications). */
  readonly orders: number;
  readonly cancels: number;
  readonly fills: number;
}

/** The key an order counts under: its strategy ('' if it has none) and symbol. */
export const activityKeyOf = (o: Pick<Order, 'origin' | 'symbol'>): { strategyId: string; symbol: string } => ({ strategyId: o.origin?.strategyId ?? '', symbol: o.symbol });

/**
 * What one order adds to its key's counts: itself, and whether it is cancelled and has a fill.
 * A store that keeps the counts as it writes subtracts an order's previous contribution and adds
 * its new one, which gives exactly the fold below.
 */
export const activityContributionOf = (o: Pick<Order, 'status' | 'filledQuantity'>): { orders: number; cancels: number; fills: number } => ({
  orders: 1,
  cancels: o.status === 'CANCELLED' ? 1 : 0,
  fills: o.filledQuantity > 0 ? 1 : 0,
});

/**
 * The activity per strategy and symbol of a set of orders (e.g. one symbol's orders of a day).
 * @example orderActivityOf(ordersOfAaplToday) // [{ strategyId: 'momo', symbol: 'AAPL', orders: 12, cancels: 3, fills: 8 }]
 */
export function orderActivityOf(orders: readonly Order[]): OrderActivity[] {
  const by = new Map<string, { strategyId: string; symbol: string; orders: number; cancels: number; fills: number }>();
  for (const o of orders) {
    const k = activityKeyOf(o);
    const key = `${k.strategyId}\u0000${k.symbol}`;
    const a = by.get(key) ?? { ...k, orders: 0, cancels: 0, fills: 0 };
    const c = activityContributionOf(o);
    a.orders += c.orders;
    a.cancels += c.cancels;
    a.fills += c.fills;
    by.set(key, a);
  }
  return [...by.values()];
}
