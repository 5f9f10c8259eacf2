import type { OrderSide } from '../../core/orders/order.js';
import type { PlannedOrder } from '../../core/risk/reduce.js';

/** Why a reduction is proposed, for the proposed orders' origin and the audit trail. */
export interface ProposeOrdersReason {
  /** `var_critical`: the alert's reduce_positions action; `reduce_position`: an operator's request. */
  source: 'var_critical' | 'reduce_position';
  /** The agent or operator asking. */
  requestedBy: string;
  note: string;
  correlationId: string;
}

/** What became of one planned order once proposed. */
export interface ProposedOrderOutcome {
  symbol: string;
  side: OrderSide;
  quantity: number;
  /** `proposed`: accepted for checking, result not known yet (asynchronous path). */
  status: 'approved' | 'denied' | 'proposed' | 'failed';
  clientOrderId?: string;
  reasonCode?: string;
  message?: string;
}

/**
 * Hands planned (exposure-reducing) orders to the trading path — CIO → pre-trade risk ∥ compliance
 * → execution — so they pass the same checks as any order. The risk agent never talks to the
 * broker. Wired by the composition root; outcomes are in the order of `orders`.
 */
export type ProposeOrders = (orders: readonly PlannedOrder[], reason: ProposeOrdersReason) => Promise<ProposedOrderOutcome[]>;

/** True when any planned order was refused or could not be proposed (the CLI exits 1). */
export const anyRefused = (outcomes: readonly ProposedOrderOutcome[]): boolean => outcomes.some((o) => o.status === 'denied' || o.status === 'failed');
