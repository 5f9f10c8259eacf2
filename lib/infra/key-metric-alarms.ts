import { ArnFormat, Duration, Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_iam as iam, aws_scheduler as scheduler } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AlertConfig, MaintenanceWindow } from '../config/schema.js';
import { KEY_METRICS, METRICS_NAMESPACE, METRICS_SERVICE, type KeyMetricName } from '../core/metrics/key-metrics.js';
import { comparisonOperatorOf } from '../core/metrics/threshold.js';
import type { NotificationTopics } from './notification-topics.js';

export interface KeyMetricAlarmsProps {
  readonly envName: string;
  /** The environment's alerts.yaml: one alarm per entry. */
  readonly alerts: Readonly<Record<string, AlertConfig>>;
  readonly topics: NotificationTopics;
  /** The broker's known maintenance windows: broker alarms stay quiet during them. */
  readonly maintenanceWindows: ReadonlyArray<MaintenanceWindow>;
}

/** How long each metric is aggregated before its alarm decides; the risk cycle runs every 15 minutes. */
const PERIOD: Readonly<Record<KeyMetricName, Duration>> = {
  portfolio_var_utilization: Duration.minutes(15),
  leverage: Duration.minutes(15),
  broker_connected: Duration.minutes(1),
  event_bus_latency_ms: Duration.minutes(5),
  fill_rate: Duration.minutes(15),
  slippage_bps: Duration.minutes(15),
};

/**
 * The runbook's Key Metrics as CloudWatch alarms and a dashboard, from the same alerts.yaml the
 * agents use: each alert becomes one alarm on the metric the metrics agent emits (namespace
 * TradeOps, dimensions service + env), with an action per audience it notifies.
 *
 * `broker_connected`: evaluated every minute, and missing data counts as disconnected (a dead
 * bridge sends no heartbeats). During the broker's maintenance windows (IBC's daily restart, the
 * Sunday re-authentication) EventBridge Scheduler disables the broker alarms' actions and enables
 * them again when the window closes, so nobody is paged for the expected disconnect.
 */
export class KeyMetricAlarms extends Construct {
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm>;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: KeyMetricAlarmsProps) {
    super(scope, id);
    const metricOf = (name: KeyMetricName) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: KEY_METRICS[name].cloudWatchName, dimensionsMap: { service: METRICS_SERVICE, env: props.envName }, statistic: KEY_METRICS[name].statistic, period: PERIOD[name] });

    const alarms = new Map<string, cloudwatch.Alarm>();
    for (const [name, alert] of Object.entries(props.alerts)) {
      const boolean = typeof alert.threshold === 'boolean';
      const alarm = new cloudwatch.Alarm(this, `Alarm-${name}`, {
        alarmName: alarmNameOf(props.envName, name),
        alarmDescription: `${alert.severity}: ${alert.metric} ${alert.comparison} ${String(alert.threshold)} (alerts.yaml ${name})${alert.action ? `; the system's action: ${alert.action}` : ''}`,
        metric: metricOf(alert.metric),
        // A boolean metric is 1/0: "connected == false" is "minimum < 1".
        threshold: boolean ? 1 : (alert.threshold as number),
        comparisonOperator: boolean ? (alert.threshold ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD) : (comparisonOperatorOf(alert.severity, alert.comparison === 'below' ? 'below' : 'above') as cloudwatch.ComparisonOperator),
        evaluationPeriods: 1,
        treatMissingData: alert.metric === 'broker_connected' ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      for (const audience of alert.notify) {
        const action = new actions.SnsAction(props.topics.topicFor(audience));
        alarm.addAlarmAction(action);
        if (alert.severity === 'CRITICAL') alarm.addOkAction(action);
      }
      alarms.set(name, alarm);
    }
    this.alarms = alarms;

    const brokerAlarms = Object.entries(props.alerts).filter(([, a]) => a.metric === 'broker_connected').map(([name]) => alarmNameOf(props.envName, name));
    if (brokerAlarms.length > 0 && props.maintenanceWindows.length > 0) this.quietDuring(props, brokerAlarms);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `tradeops-${props.envName}-key-metrics`,
      widgets: [
        (Object.keys(KEY_METRICS) as KeyMetricName[]).map(
          (m) =>
            new cloudwatch.GraphWidget({
              title: `${m} — ${KEY_METRICS[m].description}`,
              left: [metricOf(m)],
              width: 8,
              leftAnnotations: Object.values(props.alerts)
                .filter((a) => a.metric === m && typeof a.threshold === 'number')
                .map((a) => ({ value: a.threshold as number, label: `${a.severity} ${a.comparison} ${String(a.threshold)}`, color: a.severity === 'CRITICAL' ? '#d62728' : '#ff7f0e' })),
            }),
        ),
      ],
    });
  }

  /** Two schedules per window: disable the alarms' actions when it opens, enable them when it closes. */
  private quietDuring(props: KeyMetricAlarmsProps, alarmNames: string[]): void {
    const role = new iam.Role(this, 'MaintenanceRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'), description: 'Mutes the broker alarms during the broker maintenance windows' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DisableAlarmActions', 'cloudwatch:EnableAlarmActions'], resources: alarmNames.map((n) => Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: n, arnFormat: ArnFormat.COLON_RESOURCE_NAME })) }));
    for (const w of props.maintenanceWindows) {
      for (const [edge, api, at] of [
        ['open', 'disableAlarmActions', windowEdges(w).open],
        ['close', 'enableAlarmActions', windowEdges(w).close],
      ] as const) {
        new scheduler.CfnSchedule(this, `${w.name}-${edge}`, {
          name: `tradeops-${props.envName}-${w.name}-${edge}`,
          description: `broker maintenance ${w.name}: ${api} on the broker alarms`,
          scheduleExpression: `cron(${at})`,
          scheduleExpressionTimezone: w.timezone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: { arn: `arn:aws:scheduler:::aws-sdk:cloudwatch:${api}`, roleArn: role.roleArn, input: JSON.stringify({ AlarmNames: alarmNames }), retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 300 } },
        });
      }
    }
  }
}

/** Names are literal (not tokens), so the maintenance schedules can name the alarms in their input. */
const alarmNameOf = (envName: string, alert: string): string => `tradeops-${envName}-${alert.replace(/_/g, '-')}`;

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * EventBridge Scheduler cron (six fields) for a window's opening and closing, the closing moved
 * to the next day when the window runs past midnight.
 * @example windowEdges({ at: '23:45', durationMinutes: 20, … }) // { open: '45 23 ? * * *', close: '5 0 ? * * *' }
 */
export function windowEdges(w: Pick<MaintenanceWindow, 'at' | 'days' | 'durationMinutes'>): { open: string; close: string } {
  const [h, m] = w.at.split(':').map(Number) as [number, number];
  const start = h * 60 + m;
  const end = start + w.durationMinutes;
  const shift = Math.floor(end / (24 * 60));
  const endOfDay = end % (24 * 60);
  const days = (offset: number) => (w.days === undefined ? '*' : w.days.map((d) => DAYS[(DAYS.indexOf(d as (typeof DAYS)[number]) + offset) % 7]).join(','));
  return { open: `${m} ${h} ? * ${days(0)} *`, close: `${endOfDay % 60} ${Math.floor(endOfDay / 60)} ? * ${days(shift)} *` };
}
