import { KEY_METRICS, KEY_METRIC_NAMES, levelOf, worstLevel } from '../../core/metrics/key-metrics.js';
import type { ApiResponse, RequestContext } from '../route-spec.js';

/**
 * `GET /api/metrics` — the runbook's Key Metrics Dashboard: each metric's latest reading, its
 * level against the alerts.yaml thresholds (normal / warning / critical, `unknown` before the
 * first reading), the alerts it breaches, and its recent readings. In AWS the same figures are
 * CloudWatch metrics with alarms; this is the view that works in both runtimes.
 */
export async function keyMetrics(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const readings = new Map((await deps.stores.keyMetrics.latest()).map((r) => [r.metric, r]));
  const alerts = deps.keyMetricAlerts ?? [];
  const metrics = KEY_METRIC_NAMES.map((metric) => {
    const r = readings.get(metric);
    const { level, breached } = levelOf(metric, r?.value, alerts);
    return {
      metric,
      description: KEY_METRICS[metric].description,
      value: r?.value ?? null,
      at: r?.at ?? null,
      level,
      breached,
      thresholds: alerts.filter((a) => a.metric === metric).map((a) => ({ alert: a.name, severity: a.severity, comparison: a.comparison, threshold: a.threshold })),
      recent: r?.recent ?? [],
    };
  });
  return { status: 200, body: { level: worstLevel(metrics.map((m) => m.level)), metrics } };
}
