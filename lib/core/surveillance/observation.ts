import { z } from 'zod';
import { DecimalStringSchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';
import { OrderSideSchema, OrderTypeSchema } from '../orders/order.js';
import { IsoTimestampSchema } from '../shared/ids.js';

/** What surveillance looks at (MAR Art 16: every order placed, modified, cancelled or rejected, and every fill). */
export const ObservationKind = {
  ORDER_PLACED: 'ORDER_PLACED',
  ORDER_MODIFIED: 'ORDER_MODIFIED',
  ORDER_CANCELLED: 'ORDER_CANCELLED',
  ORDER_REJECTED: 'ORDER_REJECTED',
  FILL: 'FILL',
} as const;
export type ObservationKind = (typeof ObservationKind)[keyof typeof ObservationKind];
export const ObservationKindSchema = z.enum(Object.values(ObservationKind) as [ObservationKind, ...ObservationKind[]]);

/** Orders and fills that carry no strategy (EXTERNAL, or placed outside the agents). */
export const NO_STRATEGY = 'UNATTRIBUTED';

/**
 * One order event or fill, self-contained: order events carry the order's side, quantity, type
 * and limit price (looked up when the event itself does not carry them), so the detectors never
 * need a join with another store. `obsId` is deterministic (`obsIdOf`), so a redelivered event is
 * the same observation.
 * @example
 * { obsId: 'FILL#0000e0d5.00000001.01.01', kind: 'FILL', at: '2026-11-26T14:31:00.000Z', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', strategyId: 'momentum-1', clientOrderId: 'CO-1', execId: '0000e0d5.00000001.01.01', quantity: 10, price: '187.2' }
 */
export const SurveillanceObservationSchema = z.strictObject({
  obsId: z.string().min(1),
  kind: ObservationKindSchema,
  at: IsoTimestampSchema,
  account: z.string().min(1),
  symbol: z.string().min(1),
  side: OrderSideSchema,
  strategyId: z.string().min(1),
  clientOrderId: z.string().optional(),
  brokerOrderId: z.string().optional(),
  execId: z.string().optional(),
  quantity: z.number().int().positive(),
  /** Limit price of an order (absent for MKT), price of a fill. */
  price: PositiveDecimalStringSchema.optional(),
  orderType: OrderTypeSchema.optional(),
  /** Best bid and ask when the order was placed, if known: "away from the touch" is measured against it. */
  touch: z.strictObject({ bid: DecimalStringSchema.optional(), ask: DecimalStringSchema.optional() }).optional(),
});
export type SurveillanceObservation = z.infer<typeof SurveillanceObservationSchema>;

/**
 * The deterministic id of an observation: one per fill, one per placement, cancel and reject of
 * an order; modifications are keyed by their time (there can be many).
 * @example obsIdOf({ kind: 'FILL', execId: 'E1' }) // 'FILL#E1'
 */
export function obsIdOf(o: Pick<SurveillanceObservation, 'kind' | 'clientOrderId' | 'brokerOrderId' | 'execId' | 'at'>): string {
  switch (o.kind) {
    case 'FILL': return `FILL#${o.execId ?? ''}`;
    case 'ORDER_MODIFIED': return `ORDER_MODIFIED#${o.clientOrderId ?? o.brokerOrderId ?? ''}#${o.at}`;
    default: return `${o.kind}#${o.clientOrderId ?? `broker:${o.brokerOrderId ?? ''}`}`;
  }
}
