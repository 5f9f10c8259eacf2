import { gt, gte, lt, lte, parseDecimal, type Fixed } from '../money/fixed.js';
import type { ExecutionStats } from './stats.js';

/**
 * The runbook's Key Metrics for execution (operational-runbook.md, Monitoring):
 *
 * | metric    | normal   | warning   | critical |
 * | --------- | -------- | --------- | -------- |
 * | Fill Rate | > 95%    | 90–95%    | < 90%    |
 * | Slippage  | < 5 bps  | 5–10 bps  | > 10 bps |
 *
 * Boundaries follow the table literally: fill rate exactly 95% is a warning and exactly 90% a
 * warning; slippage exactly 5 bps is a warning and exactly 10 bps a warning. Slippage is the
 * group's average (`avgSlippageBps`), costs positive; price improvement never alerts.
 */
export interface ExecutionAlertThresholds {
  slippageWarningBps: Fixed;
  slippageCriticalBps: Fixed;
  fillRateWarning: Fixed;
  fillRateCritical: Fixed;
  /** Fewer completed orders (fill rate) or slipped orders (slippage) than this: no judgement. */
  minOrders: number;
}

export const DEFAULT_EXECUTION_ALERT_THRESHOLDS: ExecutionAlertThresholds = Object.freeze({
  slippageWarningBps: parseDecimal('5'),
  slippageCriticalBps: parseDecimal('10'),
  fillRateWarning: parseDecimal('0.95'),
  fillRateCritical: parseDecimal('0.90'),
  minOrders: 1,
});

export const ExecutionAlertName = {
  SLIPPAGE_WARNING: 'execution_slippage_warning',
  SLIPPAGE_CRITICAL: 'execution_slippage_critical',
  FILL_RATE_WARNING: 'execution_fill_rate_warning',
  FILL_RATE_CRITICAL: 'execution_fill_rate_critical',
} as const;
export type ExecutionAlertName = (typeof ExecutionAlertName)[keyof typeof ExecutionAlertName];

/**
 * The alerts a group's statistics raise (at most one per metric: the more severe).
 * @example
 * classifyExecutionQuality(stats) // ['execution_slippage_critical'] when avgSlippageBps is 12
 */
export function classifyExecutionQuality(stats: ExecutionStats, t: ExecutionAlertThresholds = DEFAULT_EXECUTION_ALERT_THRESHOLDS): ExecutionAlertName[] {
  const alerts: ExecutionAlertName[] = [];
  if (stats.fillRate !== undefined && stats.completedOrders >= t.minOrders) {
    if (lt(stats.fillRate, t.fillRateCritical)) alerts.push(ExecutionAlertName.FILL_RATE_CRITICAL);
    else if (lte(stats.fillRate, t.fillRateWarning)) alerts.push(ExecutionAlertName.FILL_RATE_WARNING);
  }
  if (stats.avgSlippageBps !== undefined && stats.ordersWithSlippage >= t.minOrders) {
    if (gt(stats.avgSlippageBps, t.slippageCriticalBps)) alerts.push(ExecutionAlertName.SLIPPAGE_CRITICAL);
    else if (gte(stats.avgSlippageBps, t.slippageWarningBps)) alerts.push(ExecutionAlertName.SLIPPAGE_WARNING);
  }
  return alerts;
}
