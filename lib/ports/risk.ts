import { z } from 'zod';
import { DecimalStringSchema, PositiveDecimalStringSchema } from '../core/money/decimal-string.js';
import { IsoTimestampSchema } from '../core/shared/ids.js';

/**
 * The risk agent's state: the latest computed snapshot (what `GET /api/risk/var|metrics|limits`
 * serve), the start-of-day P&L per New York trading day, and the risk alerts (raised once, until
 * an operator resets them). Schemas live here because the snapshot crosses a store boundary and
 * is validated where it is read back.
 */

const Money = DecimalStringSchema;
export const RiskLevelSchema = z.enum(['ok', 'warning', 'critical']);
export const AudienceNameSchema = z.enum(['oncall', 'risk_manager', 'compliance', 'management']);

/** The metrics a risk alert can watch; each compared "value ≥ threshold". */
export const RiskAlertMetricSchema = z.enum(['portfolio_var_utilization', 'leverage', 'daily_loss_utilization', 'var_history_gaps']);
export type RiskAlertMetric = z.infer<typeof RiskAlertMetricSchema>;

/** One alert rule in the runbook's alerts.yaml shape (mapped from config by `riskPolicyFromConfig`). */
export const RiskAlertRuleSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  metric: RiskAlertMetricSchema,
  threshold: z.number().positive(),
  severity: z.enum(['WARNING', 'CRITICAL']),
  notify: z.array(AudienceNameSchema).min(1),
  action: z.enum(['reduce_positions']).optional(),
});
export type RiskAlertRule = z.infer<typeof RiskAlertRuleSchema>;

/** Limits and thresholds in force (`GET /api/risk/limits`); copied into every snapshot. */
export const RiskPolicySchema = z.strictObject({
  /** 99 % one-day VaR limit in account currency. */
  varLimit: PositiveDecimalStringSchema,
  /** A positive amount: today's loss beyond it breaches. */
  dailyLossLimit: PositiveDecimalStringSchema,
  /** Hard leverage cap of the pre-trade checks (informational here: alerts use the rules). */
  maxLeverage: PositiveDecimalStringSchema,
  confidence: z.number().gt(0).lt(1),
  /** Days of return history used by both VaR methods. */
  window: z.number().int().min(2),
  alerts: z.array(RiskAlertRuleSchema),
});
export type RiskPolicy = z.infer<typeof RiskPolicySchema>;

export const VarComponentRowSchema = z.strictObject({ symbol: z.string(), exposure: Money, component: Money, share: z.number().nullable(), marginal: z.number() });
export const VarReportSchema = z.strictObject({
  method: z.enum(['historical', 'parametric']),
  confidence: z.number(),
  window: z.number().int(),
  var: Money,
  limit: Money,
  utilization: z.number(),
  level: RiskLevelSchema,
  alert: z.enum(['var_warning', 'var_critical']).nullable(),
  components: z.array(VarComponentRowSchema),
});

/**
 * What a VaR stands on: the price history's source (`ib:TRADES`; `synthetic` only in tests and
 * benches; `none` when nothing is stored), the window of returns, its first and last day, the
 * symbols it covers, and every held symbol left out for want of history, with the reason.
 * @example { source: 'ib:TRADES', window: 250, from: '2025-11-26', asOf: '2026-11-25', symbols: ['AAPL'], gaps: [{ symbol: 'NEW', reason: 'too_short', closesInWindow: 40 }] }
 */
export const VarHistorySchema = z.strictObject({
  source: z.string().min(1),
  window: z.number().int().min(0),
  from: z.string().nullable(),
  asOf: z.string().nullable(),
  symbols: z.array(z.string()),
  gaps: z.array(z.strictObject({ symbol: z.string(), reason: z.enum(['no_history', 'too_short', 'too_many_gaps']), closesInWindow: z.number().int().min(0) })),
});
export type VarHistory = z.infer<typeof VarHistorySchema>;

export const StartOfDaySchema = z.strictObject({ day: z.string(), realizedPnl: Money, unrealizedPnl: Money, takenAt: IsoTimestampSchema, source: z.enum(['previous_snapshot', 'first_cycle']) });
export type StartOfDay = z.infer<typeof StartOfDaySchema>;

export const RiskSnapshotSchema = z.strictObject({
  computedAt: IsoTimestampSchema,
  tradingDay: z.string(),
  /** Historical simulation: the VaR the limit and the alerts are judged on. */
  var: VarReportSchema,
  /** Parametric (variance-covariance) VaR over the same window, for comparison. */
  parametric: VarReportSchema,
  /** The price history VaR was computed on. Optional: snapshots stored before it existed still parse. */
  history: VarHistorySchema.optional(),
  /** Positions the VaR does not see: no return history (uncovered) or no price (unmarked). */
  coverage: z.strictObject({ uncovered: z.array(z.string()), unmarked: z.array(z.string()) }),
  exposure: z.strictObject({
    gross: Money,
    net: Money,
    long: Money,
    short: Money,
    positions: z.array(z.strictObject({ symbol: z.string(), quantity: z.number().int(), mark: Money, marketValue: Money })),
  }),
  /** Σ broker net liquidation; null without an account summary. */
  netLiquidation: Money.nullable(),
  /** gross / net liquidation; `unknown` without an account summary, null value with no equity (critical). */
  leverage: z.strictObject({ value: z.number().nullable(), level: z.enum(['ok', 'warning', 'critical', 'unknown']) }),
  pnl: z.strictObject({ realized: Money, unrealized: Money, total: Money }),
  startOfDay: StartOfDaySchema,
  daily: z.strictObject({ realized: Money, unrealized: Money, total: Money, loss: Money, limit: Money, breached: z.boolean() }),
  /** Intraday drawdown of equity (net liquidation, or total P&L without an account summary), from the day's running peak. */
  drawdown: z.strictObject({ basis: z.enum(['netLiquidation', 'pnl']), peak: Money, current: Money, currentFraction: z.number().nullable(), max: Money, maxFraction: z.number().nullable() }),
  utilization: z.strictObject({ var: z.number(), parametricVar: z.number(), dailyLoss: z.number() }),
  /** Each alert rule's metric now, and whether its condition holds (reset refuses while it does). */
  conditions: z.record(z.string(), z.strictObject({ metric: RiskAlertMetricSchema, value: z.number().nullable(), threshold: z.number(), holds: z.boolean() })),
  policy: RiskPolicySchema,
});
export type RiskSnapshot = z.infer<typeof RiskSnapshotSchema>;

/**
 * A risk alert. Active while `resetAt` is absent. A forced reset (condition still holding) sets
 * `holdUntilClear`: the alert is not raised again until its condition has cleared once.
 */
export const RiskAlertStateSchema = z.strictObject({
  name: z.string(),
  metric: RiskAlertMetricSchema,
  severity: z.enum(['WARNING', 'CRITICAL']),
  value: z.number().nullable(),
  threshold: z.number(),
  message: z.string(),
  raisedAt: IsoTimestampSchema,
  resetAt: IsoTimestampSchema.optional(),
  resetBy: z.string().optional(),
  resetReason: z.string().optional(),
  forced: z.boolean().optional(),
  holdUntilClear: z.boolean(),
});
export type RiskAlertState = z.infer<typeof RiskAlertStateSchema>;

export const isActive = (a: RiskAlertState): boolean => a.resetAt === undefined;

/**
 * @example
 * if (await risk.raiseIfInactive(alert)) await notifier.notify(...); // once per raise
 */
export interface RiskStore {
  putSnapshot(snapshot: RiskSnapshot): Promise<void>;
  /** The latest snapshot; undefined before the first risk cycle. */
  getSnapshot(): Promise<RiskSnapshot | undefined>;
  /** Stores the day's start-of-day P&L unless one exists (first writer wins); returns the stored one. */
  putStartOfDayIfAbsent(sod: StartOfDay): Promise<StartOfDay>;
  getAlert(name: string): Promise<RiskAlertState | undefined>;
  /** Every alert ever raised (active and reset), by name. */
  listAlerts(): Promise<RiskAlertState[]>;
  /** Writes `alert` (active) unless an alert of that name is active; false when one is (raised once). */
  raiseIfInactive(alert: RiskAlertState): Promise<boolean>;
  /** Resets the active alert `name`; undefined when none is active (a concurrent reset won). */
  reset(name: string, r: { resetAt: string; resetBy: string; resetReason: string; forced: boolean; holdUntilClear: boolean }): Promise<RiskAlertState | undefined>;
  /** Clears `holdUntilClear` once the condition has cleared, so the alert can be raised again. */
  rearm(name: string): Promise<void>;
}
