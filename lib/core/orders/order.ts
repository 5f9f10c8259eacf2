import { z } from 'zod';
import { AccountIdSchema, BrokerOrderIdSchema, ClientOrderIdSchema, CorrelationIdSchema, IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';
import { DecimalStringSchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';

/** Order lifecycle states; the legal moves between them are one table in `lifecycle.ts`. */
export const OrderStatus = {
  PROPOSED: 'PROPOSED',
  APPROVED: 'APPROVED',
  DENIED: 'DENIED', // we refused (pre-trade checks or the bridge's final gate)
  SUBMITTED: 'SUBMITTED', // sent to the broker, not yet acknowledged
  ACCEPTED: 'ACCEPTED', // working at the broker
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED', // the broker refused
  UNRESOLVED: 'UNRESOLVED', // state unknown after a disconnect: reconcile before trusting
} as const;
export const OrderStatusSchema = z.enum(Object.values(OrderStatus) as [OrderStatus, ...OrderStatus[]]);
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** States in which the order may still trade at the broker (counted by `/api/orders/pending`). */
export const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set([OrderStatus.APPROVED, OrderStatus.SUBMITTED, OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED, OrderStatus.PENDING_CANCEL, OrderStatus.UNRESOLVED]);

export const OrderSideSchema = z.enum(['BUY', 'SELL']);
export type OrderSide = z.infer<typeof OrderSideSchema>;
export const OrderTypeSchema = z.enum(['MKT', 'LMT']);
export type OrderType = z.infer<typeof OrderTypeSchema>;
export const TimeInForceSchema = z.enum(['DAY', 'GTC', 'IOC']);

/** Who and what produced an order — MiFID II RTS 6 Art 12(3): trace every order to its algorithm and agent. */
export const OrderOriginSchema = z.strictObject({
  strategyId: z.string().min(1),
  agentId: z.string().min(1),
  agentVersion: z.string().min(1),
  signalIds: z.array(z.string()).default([]),
  rationale: z.string().max(2000).optional(),
});

/**
 * The order as we track it, keyed by clientOrderId.
 * @example
 * { clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '187.20', tif: 'DAY', status: 'SUBMITTED', filledQuantity: 0, ... }
 */
export const OrderSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  brokerOrderId: BrokerOrderIdSchema.optional(),
  account: AccountIdSchema.optional(),
  symbol: SymbolSchema,
  side: OrderSideSchema,
  /** Whole units (shares); positive. */
  quantity: z.number().int().positive(),
  type: OrderTypeSchema,
  limitPrice: PositiveDecimalStringSchema.optional(),
  tif: TimeInForceSchema.default('DAY'),
  status: OrderStatusSchema,
  filledQuantity: z.number().int().nonnegative().default(0),
  avgFillPrice: DecimalStringSchema.optional(),
  /** Σ quantity × price over the fills applied, exact; `avgFillPrice` is derived from it (`applyFill`). */
  filledNotional: DecimalStringSchema.optional(),
  /** Mid price when the order was proposed; slippage is measured against it. */
  arrivalPrice: DecimalStringSchema.optional(),
  origin: OrderOriginSchema.optional(),
  /** EXTERNAL: found at the broker during reconciliation, not placed by us. */
  external: z.boolean().default(false),
  reason: z.string().optional(),
  reasonCode: z.string().optional(),
  correlationId: CorrelationIdSchema,
  createdAt: IsoTimestampSchema,
  updatedAt: IsoTimestampSchema,
  /** Optimistic-concurrency version, incremented by every write. */
  version: z.number().int().nonnegative(),
});
export type Order = z.infer<typeof OrderSchema>;
