import { InvariantError } from '../shared/errors.js';
import type { OrderStatus } from './order.js';

/** Stable codes of the order module; they survive a queue or a Step Functions `Catch`. */
export const OrderErrorCode = {
  /** A status change the lifecycle table does not allow. */
  ILLEGAL_TRANSITION: 'ORDER.ILLEGAL_TRANSITION',
  /** A fill would take filledQuantity above the order quantity. */
  OVERFILL: 'ORDER.OVERFILL',
  /** A fill whose order id, symbol or side is not this order's. */
  FILL_MISMATCH: 'ORDER.FILL_MISMATCH',
  /** The broker sent an order status we have no mapping for. */
  UNKNOWN_BROKER_STATUS: 'ORDER.UNKNOWN_BROKER_STATUS',
} as const;
export type OrderErrorCode = (typeof OrderErrorCode)[keyof typeof OrderErrorCode];

/**
 * A status change outside the lifecycle table (`lifecycle.ts`).
 * @example
 * throw new IllegalOrderTransitionError('CO-1', 'FILLED', 'SUBMITTED');
 */
export class IllegalOrderTransitionError extends InvariantError {
  constructor(clientOrderId: string, from: OrderStatus, to: OrderStatus, options?: { cause?: unknown }) {
    super(OrderErrorCode.ILLEGAL_TRANSITION, `order ${clientOrderId}: illegal transition ${from} → ${to}`, { ...options, details: { clientOrderId, from, to } });
    this.name = 'IllegalOrderTransitionError';
  }
}

/** A fill that would take the order above its quantity: the books disagree with the broker. */
export class OverfillError extends InvariantError {
  constructor(clientOrderId: string, quantity: number, filled: number, fillQuantity: number, execId: string) {
    super(OrderErrorCode.OVERFILL, `order ${clientOrderId}: fill ${execId} of ${fillQuantity} would overfill (${filled} of ${quantity} filled)`, { details: { clientOrderId, quantity, filled, fillQuantity, execId } });
    this.name = 'OverfillError';
  }
}

/** A fill routed to the wrong order (ids, symbol or side differ). */
export class FillMismatchError extends InvariantError {
  constructor(clientOrderId: string, execId: string, field: string, expected: unknown, actual: unknown) {
    super(OrderErrorCode.FILL_MISMATCH, `order ${clientOrderId}: fill ${execId} has ${field}=${String(actual)}, expected ${String(expected)}`, { details: { clientOrderId, execId, field, expected, actual } });
    this.name = 'FillMismatchError';
  }
}
