import { z } from 'zod';
import { TradingModeSchema } from '../trading-state/trading-state.js';
import { DecimalStringSchema } from '../money/decimal-string.js';
import { IsoTimestampSchema } from '../shared/ids.js';

/** Details of the events the system's control plane (source `tradeops.system`) publishes. */

/**
 * The trading state changed (kill switch, reduce-only, unlock). Published after the conditional
 * write succeeded; `version` is the new record's version.
 * @example
 * { from: 'ACTIVE', to: 'HALTED', version: 8, changedBy: 'john.doe', reason: 'Manual activation' }
 */
export const TradingStateChangedSchema = z.strictObject({
  from: TradingModeSchema,
  to: TradingModeSchema,
  version: z.number().int().nonnegative(),
  changedBy: z.string().min(1),
  reason: z.string(),
});
export type TradingStateChanged = z.infer<typeof TradingStateChangedSchema>;

/**
 * A schedule asks the risk agent for a cycle (runbook: "Check portfolio VaR vs limits, every 15
 * minutes during market hours"). EventBridge Scheduler knows no holidays, so the schedule says
 * whether it is for trading days only and the consumer checks the exchange calendar.
 * @example
 * { schedule: 'risk-cycle', tradingDaysOnly: true }
 */
export const RiskCycleRequestedSchema = z.strictObject({
  schedule: z.string().min(1),
  tradingDaysOnly: z.boolean(),
});
export type RiskCycleRequested = z.infer<typeof RiskCycleRequestedSchema>;

/**
 * The risk agent finished a cycle: the figures the Key Metrics dashboard and its alarms watch.
 * Ratios as numbers (4 places), money as decimal strings.
 * @example
 * { computedAt: '2026-11-27T14:45:01.000Z', var: '41250.12', limit: '50000', varUtilization: 0.825, leverage: 1.12, dailyLossUtilization: 0.1 }
 */
export const RiskMetricsComputedSchema = z.strictObject({
  computedAt: IsoTimestampSchema,
  var: DecimalStringSchema,
  limit: DecimalStringSchema,
  varUtilization: z.number().nonnegative(),
  leverage: z.number().nonnegative().optional(),
  dailyLossUtilization: z.number(),
});
export type RiskMetricsComputed = z.infer<typeof RiskMetricsComputedSchema>;
