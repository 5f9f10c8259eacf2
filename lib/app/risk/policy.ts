import type { AppConfig } from '../../config/schema.js';
import { RiskPolicySchema, type RiskAlertMetric, type RiskAlertRule, type RiskPolicy } from '../../ports/risk.js';

/** Config alert metrics the risk agent evaluates, and the metric name it computes for each. */
const WATCHED: Readonly<Record<string, RiskAlertMetric>> = { portfolio_var_utilization: 'portfolio_var_utilization', leverage: 'leverage' };

/**
 * The runbook's "Escalate if loss > daily limit" as an alert: daily loss / daily loss limit ≥ 1.
 * Config alerts cannot express it (the limit lives in `limits`), so it is built in.
 */
export const DAILY_LOSS_ALERT: RiskAlertRule = Object.freeze<RiskAlertRule>({ name: 'daily_loss_limit', metric: 'daily_loss_utilization', threshold: 1, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'] });

/**
 * A data-quality alert: held symbols whose price history cannot carry VaR (none stored, too short
 * for the window, too many missing days) are left out of it — the VaR understates, and people are
 * told rather than the gap being filled with made-up returns. Built in, like the daily loss alert.
 */
export const VAR_HISTORY_ALERT: RiskAlertRule = Object.freeze<RiskAlertRule>({ name: 'var_history_gap', metric: 'var_history_gaps', threshold: 1, severity: 'WARNING', notify: ['oncall', 'risk_manager'] });

/** The runbook's alerts.yaml VaR alerts and Key Metrics leverage levels, for tests and defaults. */
export const RUNBOOK_RISK_ALERTS: ReadonlyArray<RiskAlertRule> = Object.freeze([
  { name: 'var_warning', metric: 'portfolio_var_utilization', threshold: 0.8, severity: 'WARNING', notify: ['oncall'] },
  { name: 'var_critical', metric: 'portfolio_var_utilization', threshold: 0.9, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'], action: 'reduce_positions' },
  { name: 'leverage_warning', metric: 'leverage', threshold: 1.5, severity: 'WARNING', notify: ['oncall'] },
  { name: 'leverage_critical', metric: 'leverage', threshold: 1.8, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'] },
  DAILY_LOSS_ALERT,
  VAR_HISTORY_ALERT,
] satisfies RiskAlertRule[]);

/**
 * The risk policy from an environment's config: limits from `limits`, the VaR and leverage alerts
 * from `alerts` (other metrics — broker, latency, fill rate — belong to other watchers), plus the
 * built-in daily-loss and history-gap alerts. VaR is 99 % one-day unless told otherwise, over
 * `risk.varWindowDays` daily returns.
 * @example const policy = riskPolicyFromConfig(config, { window: 250 });
 */
export function riskPolicyFromConfig(config: AppConfig, options: { confidence?: number; window?: number } = {}): RiskPolicy {
  const alerts: RiskAlertRule[] = [];
  for (const [name, a] of Object.entries(config.alerts)) {
    const metric = WATCHED[a.metric];
    if (metric === undefined || typeof a.threshold !== 'number' || a.comparison !== 'above') continue;
    alerts.push({ name, metric, threshold: a.threshold, severity: a.severity, notify: [...a.notify], ...(a.action === 'reduce_positions' ? { action: 'reduce_positions' as const } : {}) });
  }
  alerts.push(DAILY_LOSS_ALERT, VAR_HISTORY_ALERT);
  return RiskPolicySchema.parse({
    varLimit: config.limits.varLimit,
    dailyLossLimit: config.limits.dailyLossLimit,
    maxLeverage: config.limits.maxLeverage,
    confidence: options.confidence ?? 0.99,
    window: options.window ?? config.risk.varWindowDays,
    alerts,
  });
}
