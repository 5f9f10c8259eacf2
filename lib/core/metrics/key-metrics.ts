import { reaches } from './threshold.js';
import type { AnyEvent } from '../events/catalog.js';

/**
 * The runbook's Key Metrics (and the alerts.yaml metrics): the one list the config's alert
 * definitions, the metrics agent and the CloudWatch alarms all read. `statistic` is how an alarm
 * aggregates a period; `unit` is CloudWatch's.
 */
export const KEY_METRICS = {
  portfolio_var_utilization: { cloudWatchName: 'PortfolioVarUtilization', unit: 'None', statistic: 'Maximum', description: '99% 1-day VaR / VaR limit, each risk cycle' },
  leverage: { cloudWatchName: 'Leverage', unit: 'None', statistic: 'Maximum', description: 'gross exposure / net liquidation, each risk cycle' },
  broker_connected: { cloudWatchName: 'BrokerConnected', unit: 'None', statistic: 'Minimum', description: '1 while the bridge is logged in to the broker, 0 otherwise, each gateway heartbeat' },
  event_bus_latency_ms: { cloudWatchName: 'EventBusLatency', unit: 'Milliseconds', statistic: 'p99', description: 'event time to delivery at a consumer' },
  fill_rate: { cloudWatchName: 'FillRate', unit: 'None', statistic: 'Average', description: 'filled / ordered quantity of each finished order' },
  slippage_bps: { cloudWatchName: 'SlippageBps', unit: 'None', statistic: 'Average', description: 'slippage against the arrival price of each finished order, bps (positive = cost)' },
} as const satisfies Record<string, { cloudWatchName: string; unit: 'None' | 'Milliseconds'; statistic: 'Maximum' | 'Minimum' | 'Average' | 'p99'; description: string }>;

export type KeyMetricName = keyof typeof KEY_METRICS;
export const KEY_METRIC_NAMES = Object.keys(KEY_METRICS) as [KeyMetricName, ...KeyMetricName[]];
/** CloudWatch namespace of every TradeOps metric; the environment is a dimension. */
export const METRICS_NAMESPACE = 'TradeOps';
/** The `service` dimension of every key metric (one emitter: the metrics agent), so alarms can name it. */
export const METRICS_SERVICE = 'tradeops';

/** One observation of a key metric. */
export interface KeyMetricSample {
  readonly metric: KeyMetricName;
  readonly value: number;
  readonly at: string;
}

/**
 * The key-metric samples a catalogued event carries, plus the bus latency of its delivery
 * (`receivedAt − tsEvent`, never negative: clocks of two hosts may disagree by a little).
 * @example samplesOf(heartbeat, now) // [{ metric: 'broker_connected', value: 1, … }, { metric: 'event_bus_latency_ms', … }]
 */
export function samplesOf(event: AnyEvent, receivedAt: Date): KeyMetricSample[] {
  const at = receivedAt.toISOString();
  const out: KeyMetricSample[] = [{ metric: 'event_bus_latency_ms', value: Math.max(0, receivedAt.getTime() - Date.parse(event.tsEvent)), at }];
  switch (event.detailType) {
    case 'GatewayHeartbeat':
      out.push({ metric: 'broker_connected', value: event.detail.connected ? 1 : 0, at });
      break;
    case 'ExecutionQualityUpdated':
      if (event.detail.fillRatio !== undefined) out.push({ metric: 'fill_rate', value: Number(event.detail.fillRatio), at });
      if (event.detail.slippageBps !== undefined) out.push({ metric: 'slippage_bps', value: Number(event.detail.slippageBps), at });
      break;
    case 'RiskMetricsComputed':
      out.push({ metric: 'portfolio_var_utilization', value: event.detail.varUtilization, at });
      if (event.detail.leverage !== undefined) out.push({ metric: 'leverage', value: event.detail.leverage, at });
      break;
    default:
      break;
  }
  return out;
}

/** An alert on a key metric (config's alerts.yaml entry, mapped by the composition root). */
export interface KeyMetricAlert {
  readonly name: string;
  readonly metric: KeyMetricName;
  readonly threshold: number | boolean;
  readonly comparison: 'above' | 'below' | 'equals';
  readonly severity: 'WARNING' | 'CRITICAL';
}

export type KeyMetricLevel = 'normal' | 'warning' | 'critical' | 'unknown';

/**
 * Whether `value` breaches `alert` (a boolean threshold compares 1/0 with true/false). Above and
 * below follow the runbook's bands (`reaches`): a warning at its threshold, a critical past it.
 */
export function breaches(alert: KeyMetricAlert, value: number): boolean {
  if (typeof alert.threshold === 'boolean') return (value >= 0.5) === alert.threshold;
  switch (alert.comparison) {
    case 'above':
    case 'below':
      return reaches(alert.severity, alert.comparison, value, alert.threshold);
    case 'equals':
      return value === alert.threshold;
  }
}

/**
 * The dashboard level of a reading against the alerts on its metric: the most severe breached
 * alert, `normal` when none is, `unknown` without a reading.
 * @example levelOf('leverage', 1.6, alerts) // 'warning' (runbook: 1.5-1.8×)
 */
export function levelOf(metric: KeyMetricName, value: number | undefined, alerts: readonly KeyMetricAlert[]): { level: KeyMetricLevel; breached: string[] } {
  if (value === undefined) return { level: 'unknown', breached: [] };
  const hit = alerts.filter((a) => a.metric === metric && breaches(a, value));
  const level = hit.some((a) => a.severity === 'CRITICAL') ? 'critical' : hit.length > 0 ? 'warning' : 'normal';
  return { level, breached: hit.map((a) => a.name) };
}

/** The dashboard's headline: the most severe level of any metric (an unknown reading is not an alarm). */
export function worstLevel(levels: readonly KeyMetricLevel[]): 'normal' | 'warning' | 'critical' {
  return levels.includes('critical') ? 'critical' : levels.includes('warning') ? 'warning' : 'normal';
}
