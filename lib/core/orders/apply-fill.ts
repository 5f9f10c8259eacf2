import { add, divInt, fromInt, mulInt, parseDecimal, toDecimalString } from '../money/fixed.js';
import type { Fill } from '../fills/fill.js';
import { FillMismatchError, OverfillError } from './errors.js';
import { toIso, transition } from './lifecycle.js';
import { OrderStatus, type Order } from './order.js';

/**
 * Applies one execution to an order: adds to `filledQuantity`, keeps the exact `filledNotional`
 * (Σ quantity × price) and derives `avgFillPrice` from it (rounded half-even to 10 places once, so
 * averaging many fills does not drift), and moves the status to PARTIALLY_FILLED or FILLED through
 * the lifecycle table. Returns a new order with `version + 1`.
 *
 * Not idempotent by itself: deduplicate by `execId` at the fill store (`FillStore.recordIfNew`)
 * before calling. Statuses that stay put on a partial fill: PENDING_CANCEL (the cancel is still
 * pending) and CANCELLED (a late fill that raced the cancel; the order is no longer working).
 * @throws OverfillError `ORDER.OVERFILL` if filled would exceed quantity
 * @throws FillMismatchError `ORDER.FILL_MISMATCH` if the fill's ids, symbol or side are not this order's
 * @throws IllegalOrderTransitionError `ORDER.ILLEGAL_TRANSITION` e.g. a fill on a DENIED order
 * @example
 * const next = applyFill(order, fill); // 0 → 10 of 10 at 187.20: status FILLED, avgFillPrice '187.2'
 */
export function applyFill(order: Order, fill: Fill): Order {
  checkBelongs(order, fill);
  const filled = order.filledQuantity + fill.quantity;
  if (filled > order.quantity) throw new OverfillError(order.clientOrderId, order.quantity, order.filledQuantity, fill.quantity, fill.execId);

  const notional = add(priorNotional(order), mulInt(parseDecimal(fill.price), fill.quantity));
  // transition() throws for a fill the lifecycle does not allow (e.g. on DENIED or REJECTED)
  const to = nextStatus(order.status, filled === order.quantity);
  const moved = to === order.status ? order : transition(order, to, fill.executedAt);
  return {
    ...moved,
    filledQuantity: filled,
    filledNotional: toDecimalString(notional),
    avgFillPrice: toDecimalString(divInt(notional, filled)),
    updatedAt: latest(order.updatedAt, toIso(fill.executedAt)),
    version: order.version + 1,
  };
}

function nextStatus(current: OrderStatus, complete: boolean): OrderStatus {
  if (complete) return OrderStatus.FILLED;
  if (current === OrderStatus.PENDING_CANCEL || current === OrderStatus.CANCELLED) return current;
  return OrderStatus.PARTIALLY_FILLED;
}

/** Σ quantity × price so far; older records without `filledNotional` fall back to avg × filled. */
function priorNotional(order: Order) {
  if (order.filledNotional !== undefined) return parseDecimal(order.filledNotional);
  if (order.avgFillPrice !== undefined) return mulInt(parseDecimal(order.avgFillPrice), order.filledQuantity);
  return fromInt(0);
}

function checkBelongs(order: Order, fill: Fill): void {
  if (fill.clientOrderId !== undefined && fill.clientOrderId !== order.clientOrderId) throw new FillMismatchError(order.clientOrderId, fill.execId, 'clientOrderId', order.clientOrderId, fill.clientOrderId);
  if (order.brokerOrderId !== undefined && fill.brokerOrderId !== order.brokerOrderId) throw new FillMismatchError(order.clientOrderId, fill.execId, 'brokerOrderId', order.brokerOrderId, fill.brokerOrderId);
  if (fill.symbol !== order.symbol) throw new FillMismatchError(order.clientOrderId, fill.execId, 'symbol', order.symbol, fill.symbol);
  if (fill.side !== order.side) throw new FillMismatchError(order.clientOrderId, fill.execId, 'side', order.side, fill.side);
}

/** Fills can arrive out of order; `updatedAt` never moves backwards. */
const latest = (a: string, b: string): string => (a >= b ? a : b);
