import { z } from 'zod';
import { SignalSchema } from '../signals/signal.js';
import { OrderSchema } from '../orders/order.js';
import { ClientOrderIdSchema } from '../shared/ids.js';

/** Details of the trading path's events (source `tradeops.trading`): signal → CIO → pre-trade → execution. */

/** A strategy's signal was accepted onto the bus. */
export const SignalReceivedSchema = z.strictObject({ signal: SignalSchema });

/** The CIO turned signals into an order to check; `order.status` is PROPOSED and `order.origin` traces it. */
export const OrderProposedSchema = z.strictObject({ order: OrderSchema });

/** Risk and compliance both passed; the order goes to the gateway command queue. */
export const OrderApprovedSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  checks: z.array(z.strictObject({ check: z.string().min(1), passed: z.boolean() })),
});
