import { z } from 'zod';
import { PositiveDecimalStringSchema } from '../money/decimal-string.js';

/**
 * The limits and rules the pre-trade checks enforce: the core's own types (the lead maps
 * `lib/config` onto them; the core never reads config). Money and ratios are decimal strings,
 * converted once by `prepareContext`; counts are integers. The runbook's thresholds are the
 * defaults (leverage warning 1.5× / critical 1.8×, VaR warning 80 % / critical 90 %, IB's pacing of
 * 40 messages/s and 20 active orders per contract and side); a money limit has no default — a limit
 * is a decision someone writes down.
 */

/** IB's hard message limit; over it the session is disconnected. */
export const IB_HARD_MESSAGES_PER_SECOND = 50;
/** IB allows at most this many active orders per contract and side. */
export const IB_MAX_ACTIVE_ORDERS_PER_CONTRACT_SIDE = 20;

const Money = PositiveDecimalStringSchema;
const Ratio = PositiveDecimalStringSchema;

/**
 * @example
 * RiskLimitsSchema.parse({ maxOrderQuantity: 5000, maxOrderNotional: '250000', priceCollarBps: 500, maxPositionNotionalPerInstrument: '500000', maxGrossExposure: '2000000', maxNetExposure: '1000000', dailyLossLimit: '25000', varLimit: '50000' })
 */
export const RiskLimitsSchema = z.strictObject({
  /** An order for more units is denied (`RISK.MAX_ORDER_QUANTITY`). */
  maxOrderQuantity: z.number().int().positive(),
  /** quantity × price (limit price; the mark for a market order) above this is denied. */
  maxOrderNotional: Money,
  /** A limit price further than this from the reference (last, else mid) is denied. */
  priceCollarBps: z.number().int().min(1).max(10_000),
  /** |position after the order| × mark above this is denied. */
  maxPositionNotionalPerInstrument: Money,
  /** Σ |position × mark| after the order. */
  maxGrossExposure: Money,
  /** |Σ position × mark| after the order. */
  maxNetExposure: Money,
  /** Gross / net liquidation at or above this warns (runbook 1.5×). */
  leverageWarning: Ratio.default('1.5'),
  /** Gross / net liquidation above this denies unless the order reduces exposure (runbook 1.8×). */
  leverageCritical: Ratio.default('1.8'),
  /** Realised + unrealised loss of the day at or above this: only reducing orders pass. */
  dailyLossLimit: Money,
  /** 99 % one-day VaR limit, account currency. */
  varLimit: Money,
  /** (VaR now + the order's marginal VaR) / varLimit at or above this warns (runbook 80 %). */
  varWarningUtilization: Ratio.default('0.8'),
  /** … above this denies unless the order reduces exposure (runbook 90 %). */
  varCriticalUtilization: Ratio.default('0.9'),
  /** Denied when the current 1-second window already holds this many messages (pace at 40; IB cuts at 50). */
  maxMessagesPerSecond: z.number().int().min(1).max(IB_HARD_MESSAGES_PER_SECOND).default(40),
  /** Denied when this many orders already work on the contract and side (IB: 20). */
  maxActiveOrdersPerContractSide: z.number().int().min(1).max(IB_MAX_ACTIVE_ORDERS_PER_CONTRACT_SIDE).default(IB_MAX_ACTIVE_ORDERS_PER_CONTRACT_SIDE),
  /** A working order with the same symbol, side, quantity and price placed this recently makes the new one a duplicate. */
  duplicateWindowSeconds: z.number().int().min(0).max(86_400).default(10),
});
export type RiskLimitsInput = z.input<typeof RiskLimitsSchema>;
export type RiskLimits = z.output<typeof RiskLimitsSchema>;

/**
 * Compliance rules (thresholds; the lists themselves — restricted, no-short, blackouts — are
 * current state in the context). Defaults are the conservative ones: no short selling.
 * @example ComplianceRulesSchema.parse({ shortSellingEnabled: true, requireLocate: true })
 */
export const ComplianceRulesSchema = z.strictObject({
  /** Selling more than the long position (net of working sells) is a short sale. */
  shortSellingEnabled: z.boolean().default(false),
  /** A short sale must carry a locate (`locate: true` on the order). */
  requireLocate: z.boolean().default(false),
  /**
   * (orders + cancels) / max(fills, 1) of the day for the order's strategy and symbol above this
   * denies new orders for them, once there are at least `orderToTradeMinMessages` messages.
   */
  orderToTradeMaxRatio: z.number().positive().default(50),
  orderToTradeMinMessages: z.number().int().min(1).default(100),
  /**
   * Layering/spoofing: our working orders on the OTHER side of the book from the new order that
   * rest at least this far behind the touch (bid for buys, ask for sells) count as layers.
   */
  layeringAwayFromTouchBps: z.number().int().min(0).max(10_000).default(10),
  /** This many layers warns … */
  layeringWarnOrders: z.number().int().min(1).default(3),
  /** … and this many denies. */
  layeringDenyOrders: z.number().int().min(1).default(5),
  /** cancels / orders of the day for the strategy and symbol at or above this warns … */
  cancelRatioWarning: z.number().min(0).max(1).default(0.9),
  /** … once there are at least this many orders. */
  cancelRatioMinOrders: z.number().int().min(1).default(20),
});
export type ComplianceRulesInput = z.input<typeof ComplianceRulesSchema>;
export type ComplianceRules = z.output<typeof ComplianceRulesSchema>;

/** The runbook's thresholds as plain values, for docs, tests and the API's `GET /api/risk/limits`. */
export const RUNBOOK_THRESHOLDS = {
  leverageWarning: '1.5',
  leverageCritical: '1.8',
  varWarningUtilization: '0.8',
  varCriticalUtilization: '0.9',
  maxMessagesPerSecond: 40,
  maxActiveOrdersPerContractSide: IB_MAX_ACTIVE_ORDERS_PER_CONTRACT_SIDE,
} as const;
