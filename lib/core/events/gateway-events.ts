import { z } from 'zod';
import { AccountSummarySchema } from '../account/account-summary.js';
import { FillSchema } from '../fills/fill.js';
import { QuoteSchema } from '../market/quote.js';
import { PriceHistorySourceSchema, TradingDaySchema } from '../market/price-history.js';
import { CurrencySchema, DecimalStringSchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';
import { IbOrderStatusSchema } from '../orders/broker-status.js';
import { OrderSideSchema, OrderStatusSchema, OrderTypeSchema } from '../orders/order.js';
import { PositionSchema } from '../positions/position.js';
import { AccountIdSchema, BrokerOrderIdSchema, ClientOrderIdSchema, ExecIdSchema, SymbolSchema } from '../shared/ids.js';

/**
 * Details of the events the broker bridge (`fargate/gateway`, source `tradeops.gateway`) publishes.
 * Broker snapshots are `…Report`; `OrderDenied` is our refusal, `OrderRejected` the broker's.
 * Registered with their source in `catalog.ts`.
 */

/**
 * The bridge's session with the broker changed.
 * @example
 * { state: 'disconnected', reason: 'IB 1100: connectivity between IB and TWS lost', code: 1100 }
 * { state: 'reconnecting', reason: 'socket closed', attempt: 3 }
 * { state: 'connected', reason: 'handshake complete', serverVersion: 193 }
 */
export const BrokerConnectionChangedSchema = z.strictObject({
  state: z.enum(['connected', 'disconnected', 'reconnecting']),
  reason: z.string().min(1),
  /** IB message code behind the change (1100, 1101, 1102, 2110, 326 …). */
  code: z.number().int().optional(),
  serverVersion: z.number().int().positive().optional(),
  /** Reconnect attempt number since the connection was lost (1-based). */
  attempt: z.number().int().nonnegative().optional(),
});
export type BrokerConnectionChanged = z.infer<typeof BrokerConnectionChangedSchema>;

/**
 * An informational, warning or error message from the broker that is not tied to one order.
 * @example
 * { code: 2104, message: 'Market data farm connection is OK:usfarm', severity: 'info', id: -1 }
 */
export const BrokerNoticeSchema = z.strictObject({
  code: z.number().int(),
  message: z.string(),
  severity: z.enum(['info', 'warning', 'error', 'critical']),
  /** IB's request or order id the notice refers to; −1 for system messages. */
  id: z.number().int().optional(),
});
export type BrokerNotice = z.infer<typeof BrokerNoticeSchema>;

/**
 * The bridge passed the final gate and sent the order to the broker.
 * @example
 * { clientOrderId: 'CO-20261126-000001', brokerOrderId: '1001', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '187.20' }
 */
export const OrderSubmittedSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  brokerOrderId: BrokerOrderIdSchema,
  account: AccountIdSchema.optional(),
  symbol: SymbolSchema,
  side: OrderSideSchema,
  quantity: z.number().int().positive(),
  type: OrderTypeSchema,
  limitPrice: PositiveDecimalStringSchema.optional(),
});
export type OrderSubmitted = z.infer<typeof OrderSubmittedSchema>;

/**
 * We refused an order: the bridge's final gate or the pre-trade checks. Never reached the broker.
 * @example
 * { clientOrderId: 'CO-20261126-000002', reasonCode: 'GATE.TRADING_HALTED', message: 'trading state is HALTED', deniedBy: 'final-gate' }
 */
export const OrderDeniedSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  reasonCode: z.string().min(1),
  message: z.string(),
  deniedBy: z.enum(['final-gate', 'pre-trade']),
});
export type OrderDenied = z.infer<typeof OrderDeniedSchema>;

/**
 * The broker refused an order (IB error with the order id, e.g. 201, 110, 200).
 * @example
 * { clientOrderId: 'CO-20261126-000003', brokerOrderId: '1003', code: 201, message: 'Order rejected - reason: insufficient buying power' }
 */
export const OrderRejectedSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema.optional(),
  brokerOrderId: BrokerOrderIdSchema,
  code: z.number().int(),
  message: z.string(),
});
export type OrderRejected = z.infer<typeof OrderRejectedSchema>;

/**
 * The broker's view of an order (IB `orderStatus`), with our status mapped by `mapIbOrderStatus`.
 * `clientOrderId` is absent for orders not placed by us (found during reconciliation: EXTERNAL).
 * @example
 * { clientOrderId: 'CO-20261126-000001', brokerOrderId: '1001', brokerStatus: 'Submitted', status: 'PARTIALLY_FILLED', filled: 4, remaining: 6, avgFillPrice: '187.2', lastFillPrice: '187.2' }
 */
export const OrderStatusReportSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema.optional(),
  brokerOrderId: BrokerOrderIdSchema,
  brokerStatus: IbOrderStatusSchema,
  status: OrderStatusSchema,
  filled: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  avgFillPrice: DecimalStringSchema.optional(),
  lastFillPrice: DecimalStringSchema.optional(),
});
export type OrderStatusReport = z.infer<typeof OrderStatusReportSchema>;

/**
 * One execution (IB `execDetails`); consumers deduplicate by `fill.execId`.
 * @example
 * { fill: { execId: '0000e0d5.00000001.01.01', clientOrderId: 'CO-20261126-000001', brokerOrderId: '1001', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 10, price: '187.2', currency: 'USD', executedAt: '2026-11-26T14:31:00.000Z' } }
 */
export const FillReportSchema = z.strictObject({ fill: FillSchema });
export type FillReport = z.infer<typeof FillReportSchema>;

/**
 * The commission of an execution, which IB reports separately and often seconds after the fill.
 * `realizedPnl` is left out when IB sends its "not applicable" sentinel (Double.MAX_VALUE).
 * @example
 * { execId: '0000e0d5.00000001.01.01', commission: '1.00', currency: 'USD' }
 */
export const CommissionReportSchema = z.strictObject({
  execId: ExecIdSchema,
  commission: DecimalStringSchema,
  currency: CurrencySchema,
  realizedPnl: DecimalStringSchema.optional(),
});
export type CommissionReport = z.infer<typeof CommissionReportSchema>;

/**
 * The broker's positions of one account: a full snapshot, not a delta.
 * @example
 * { account: 'DU1234567', positions: [{ account: 'DU1234567', symbol: 'AAPL', quantity: 10, avgCost: '187.3', currency: 'USD', realizedPnl: '0', updatedAt: '2026-11-26T14:31:05.000Z' }] }
 */
export const PositionReportSchema = z.strictObject({
  account: AccountIdSchema,
  positions: z.array(PositionSchema),
});
export type PositionReport = z.infer<typeof PositionReportSchema>;

/**
 * The broker's account summary.
 * @example
 * { summary: { account: 'DU1234567', currency: 'USD', netLiquidation: '1000000', totalCash: '998127.5', buyingPower: '4000000', grossPositionValue: '1872.5', updatedAt: '2026-11-26T14:31:05.000Z' } }
 */
export const AccountSummaryReportSchema = z.strictObject({ summary: AccountSummarySchema });
export type AccountSummaryReport = z.infer<typeof AccountSummaryReportSchema>;

/**
 * Top of book for the universe, published at a bounded rate (not every tick).
 * @example
 * { quotes: [{ symbol: 'AAPL', bid: '187.19', ask: '187.21', last: '187.2', bidSize: 300, askSize: 200, at: '2026-11-26T14:31:00.000Z' }] }
 */
export const MarketSnapshotReportSchema = z.strictObject({ quotes: z.array(QuoteSchema) });
export type MarketSnapshotReport = z.infer<typeof MarketSnapshotReportSchema>;

/**
 * The bridge fetched daily bars for the universe (on login, and once a day after the close) and
 * stored their closes in the price-history store, the source of truth; this says what changed
 * (the bars themselves stay out of the event: a universe of them would pass EventBridge's 256 KB).
 * @example
 * { source: 'ib:TRADES', duration: '2 Y', updated: [{ symbol: 'AAPL', bars: 502, from: '2024-11-27', to: '2026-11-25', lastClose: '187.25' }], failed: [{ symbol: 'XYZ', code: 200, message: 'No security definition has been found for the request' }] }
 */
export const PriceHistoryReportSchema = z.strictObject({
  source: PriceHistorySourceSchema,
  duration: z.string().min(1),
  updated: z.array(z.strictObject({ symbol: SymbolSchema, bars: z.number().int().positive(), from: TradingDaySchema, to: TradingDaySchema, lastClose: PositiveDecimalStringSchema })),
  failed: z.array(z.strictObject({ symbol: SymbolSchema, code: z.number().int(), message: z.string() })),
});
export type PriceHistoryReport = z.infer<typeof PriceHistoryReportSchema>;

/**
 * The bridge is alive; `lastRoundTripMs` is the latest API round trip (reqCurrentTime), which is
 * what "broker ok" means — logged in and answering, not merely a port open.
 * @example
 * { connected: true, lastRoundTripMs: 2 }
 */
export const GatewayHeartbeatSchema = z.strictObject({
  connected: z.boolean(),
  lastRoundTripMs: z.number().nonnegative().optional(),
});
export type GatewayHeartbeat = z.infer<typeof GatewayHeartbeatSchema>;
