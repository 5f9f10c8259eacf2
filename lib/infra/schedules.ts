import { aws_iam as iam, aws_scheduler as scheduler } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ScheduleConfig } from '../config/schema.js';
import { SCHEDULE_TARGETS } from '../catalog/schedule-targets.js';
import type { TradingEventBus } from './trading-event-bus.js';

export interface SchedulesProps {
  readonly envName: string;
  readonly schedules: ReadonlyArray<ScheduleConfig>;
  readonly bus: TradingEventBus;
}

/**
 * EventBridge Scheduler schedules from config (cron in America/New_York, DST handled by the
 * scheduler) for every target in the schedule-target catalog. Each puts one catalog event on the
 * bus, built from the scheduler's own context (execution id, scheduled time), so consumers parse it
 * like any other event. Targets not built yet get no schedule.
 */
export class Schedules extends Construct {
  readonly schedules: ReadonlyMap<string, scheduler.CfnSchedule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'), description: 'EventBridge Scheduler puts scheduled catalog events on the TradeOps bus' });
    props.bus.bus.grantPutEventsTo(role);
    const made = new Map<string, scheduler.CfnSchedule>();
    for (const s of props.schedules) {
      const target = SCHEDULE_TARGETS[s.target];
      if (!target) continue;
      const envelope = {
        eventId: '<aws.scheduler.execution-id>',
        source: target.source,
        detailType: target.detailType,
        tsEvent: '<aws.scheduler.scheduled-time>',
        tsInit: '<aws.scheduler.scheduled-time>',
        correlationId: '<aws.scheduler.execution-id>',
        detail: { schedule: s.name, tradingDaysOnly: s.tradingDaysOnly },
      };
      made.set(
        s.name,
        new scheduler.CfnSchedule(this, s.name, {
          name: `tradeops-${props.envName}-${s.name}`,
          description: `${s.name}: ${s.target} (${s.cron} ${s.timezone})`,
          scheduleExpression: `cron(${s.cron})`,
          scheduleExpressionTimezone: s.timezone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: props.bus.bus.eventBusArn,
            roleArn: role.roleArn,
            eventBridgeParameters: { detailType: target.detailType, source: target.source },
            input: JSON.stringify(envelope),
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
          },
        }),
      );
    }
    this.schedules = made;
  }
}
