import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';
import { OrderErrorCode } from './errors.js';
import { OrderStatus } from './order.js';

/**
 * IB's order status strings (`@stoqey/ib` `OrderStatus` enum, TWS `orderStatus` callback).
 * Kept here as plain strings so the core does not import the broker client.
 */
export const IbOrderStatus = {
  ApiPending: 'ApiPending',
  PendingSubmit: 'PendingSubmit',
  PreSubmitted: 'PreSubmitted',
  Submitted: 'Submitted',
  PendingCancel: 'PendingCancel',
  ApiCancelled: 'ApiCancelled',
  Cancelled: 'Cancelled',
  Filled: 'Filled',
  Inactive: 'Inactive',
} as const;
export type IbOrderStatus = (typeof IbOrderStatus)[keyof typeof IbOrderStatus];
export const IbOrderStatusSchema = z.enum(Object.values(IbOrderStatus) as [IbOrderStatus, ...IbOrderStatus[]]);

/**
 * IB status → ours. One table, read by the bridge when it turns an `orderStatus` into an
 * `OrderStatusReport`. A working status with `filled > 0` becomes PARTIALLY_FILLED (see
 * `mapIbOrderStatus`): IB keeps reporting `Submitted` for a partially filled order.
 */
export const IB_ORDER_STATUS_MAP: Readonly<Record<IbOrderStatus, OrderStatus>> = {
  // accepted by the API but not yet sent on (e.g. waiting for a contract definition)
  ApiPending: OrderStatus.SUBMITTED,
  // sent, not yet acknowledged
  PendingSubmit: OrderStatus.SUBMITTED,
  // accepted and held by IB until it can be elected (simulated orders, outside RTH): working
  PreSubmitted: OrderStatus.ACCEPTED,
  Submitted: OrderStatus.ACCEPTED,
  PendingCancel: OrderStatus.PENDING_CANCEL,
  // cancelled before it left the API client
  ApiCancelled: OrderStatus.CANCELLED,
  Cancelled: OrderStatus.CANCELLED,
  Filled: OrderStatus.FILLED,
  // not working and will not be: rejected by IB or the exchange, or deactivated (margin, halt)
  Inactive: OrderStatus.REJECTED,
};

/**
 * Our status for an IB order status report.
 * @throws ValidationError `ORDER.UNKNOWN_BROKER_STATUS` for a status missing from the table —
 *   a new IB status must be mapped deliberately, not guessed.
 * @example
 * mapIbOrderStatus('Submitted', { filled: 0 })  // 'ACCEPTED'
 * mapIbOrderStatus('Submitted', { filled: 40 }) // 'PARTIALLY_FILLED'
 */
export function mapIbOrderStatus(status: string, progress: { filled: number } = { filled: 0 }): OrderStatus {
  const parsed = IbOrderStatusSchema.safeParse(status);
  if (!parsed.success) {
    throw new ValidationError(OrderErrorCode.UNKNOWN_BROKER_STATUS, `unknown IB order status "${status}"`, [{ path: 'status', message: `expected one of ${Object.keys(IbOrderStatus).join(', ')}` }]);
  }
  const mapped = IB_ORDER_STATUS_MAP[parsed.data];
  return mapped === OrderStatus.ACCEPTED && progress.filled > 0 ? OrderStatus.PARTIALLY_FILLED : mapped;
}
