import { IllegalOrderTransitionError } from './errors.js';
import { OrderStatus, type Order } from './order.js';

const {
  APPROVED, DENIED, SUBMITTED, ACCEPTED, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELLED, REJECTED, UNRESOLVED,
} = OrderStatus;

/**
 * THE order lifecycle: for each status, the statuses it may move to. Anything else is an
 * `IllegalOrderTransitionError` (`ORDER.ILLEGAL_TRANSITION`). A move to the same status is always
 * allowed and is a no-op (events arrive at least once), so it is not listed.
 *
 * Fills normally move an order through `applyFill` (apply-fill.ts), which uses this table too.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PROPOSED: [APPROVED, DENIED],
  // CANCELLED: a cancel-all (kill switch) withdraws an approved order before it is ever sent.
  APPROVED: [SUBMITTED, DENIED, CANCELLED],
  SUBMITTED: [
    ACCEPTED, REJECTED, PENDING_CANCEL, CANCELLED,
    // a fill can be reported before the broker's acknowledgement (IB sends execDetails and
    // orderStatus on separate paths; a marketable order fills within the ack's round trip)
    PARTIALLY_FILLED, FILLED,
    // the connection dropped with the order in flight: we no longer know whether the broker has it
    UNRESOLVED,
  ],
  ACCEPTED: [
    PARTIALLY_FILLED, FILLED, PENDING_CANCEL,
    // the broker cancels on its own: DAY orders expire at the close, IB cancels on some rejects (202)
    CANCELLED,
    // IB's `Inactive`: a working order the broker stops working (e.g. margin, trading halt)
    REJECTED,
    UNRESOLVED,
  ],
  PARTIALLY_FILLED: [FILLED, PENDING_CANCEL, CANCELLED, UNRESOLVED],
  PENDING_CANCEL: [
    CANCELLED,
    // a fill can race the cancel: executions before the cancel reaches the venue still count
    PARTIALLY_FILLED, FILLED,
    // the cancel was refused (IB 10148/161: not cancellable in its current state); still working
    ACCEPTED,
    UNRESOLVED,
  ],
  CANCELLED: [
    // a fill can race the cancel: IB may report `Cancelled` before the execution that preceded
    // it. Only a fill that completes the order changes the status; a partial late fill updates
    // the filled quantity and leaves the order CANCELLED (it is no longer working).
    FILLED,
  ],
  // after reconciliation with the broker's open orders, completed orders and executions the order
  // can be in any state the broker can report
  UNRESOLVED: [SUBMITTED, ACCEPTED, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELLED, REJECTED],
  FILLED: [],
  REJECTED: [],
  DENIED: [],
};

/** Statuses with no way out: the order is finished for good. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(
  (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).filter((s) => ORDER_TRANSITIONS[s].length === 0),
);

/** True if the lifecycle allows `from → to` (same status included: a no-op). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ORDER_TRANSITIONS[from].includes(to);
}

export const isTerminal = (status: OrderStatus): boolean => TERMINAL_STATUSES.has(status);

/** Why a status changed; kept on the order for `/api/orders` and the audit entry. */
export interface TransitionOptions {
  reason?: string | undefined;
  /** A stable code, e.g. a risk check's `RISK.NOTIONAL_EXCEEDS_MAX` or the broker's `IB.201`. */
  reasonCode?: string | undefined;
}

/**
 * Moves an order to `to` at `at`. Returns a new order with `version + 1` and `updatedAt = at`, or
 * the same object unchanged when `to` is the current status (a duplicate report). The version is
 * the one the record will carry once written; persist it with a conditional write on the version
 * the order was read at (`order.version`).
 * @throws IllegalOrderTransitionError code `ORDER.ILLEGAL_TRANSITION`
 * @example
 * const submitted = transition(approved, 'SUBMITTED', clock.now());
 * const denied = transition(proposed, 'DENIED', clock.now(), { reasonCode: 'RISK.NOTIONAL_EXCEEDS_MAX', reason: 'notional 120000 > 100000' });
 */
export function transition(order: Order, to: OrderStatus, at: Date | string, options: TransitionOptions = {}): Order {
  if (order.status === to) return order;
  if (!ORDER_TRANSITIONS[order.status].includes(to)) throw new IllegalOrderTransitionError(order.clientOrderId, order.status, to);
  const next: Order = { ...order, status: to, updatedAt: toIso(at), version: order.version + 1 };
  // a new reason replaces the old one; a move without one clears it (it described the old status)
  delete next.reason;
  delete next.reasonCode;
  if (options.reason !== undefined) next.reason = options.reason;
  if (options.reasonCode !== undefined) next.reasonCode = options.reasonCode;
  return next;
}

/** @internal */
export const toIso = (at: Date | string): string => (typeof at === 'string' ? at : at.toISOString());
