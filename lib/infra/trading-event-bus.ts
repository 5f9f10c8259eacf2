import type { aws_lambda as lambda} from 'aws-cdk-lib';
import { ArnFormat, Duration, Stack, Validations, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_logs as logs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { BindTarget } from './binding.js';
import { CONSUMER_DELIVERY_POLICY } from '../core/bus/delivery-policy.js';

/** What the bus needs from the event catalog (lib/core/events/catalog.ts): names, not schemas. */
export interface CatalogEventName {
  readonly source: string;
  readonly detailType: string;
}

export interface TradingEventBusProps {
  readonly busName: string;
  /** Every event that may travel on the bus; rules and the archive derive from it. */
  readonly catalog: ReadonlyArray<CatalogEventName>;
  /** Replays go back this far. @default 90 days */
  readonly archiveRetention?: Duration;
  /** Retention of the log group that records every catalog event. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Retries of a consumer's target before its event goes to the DLQ. @default CONSUMER_DELIVERY_POLICY.retryAttempts (8), which the local bus applies too */
  readonly consumerRetryAttempts?: number;
  /** Oldest event a consumer is still worth invoking with. @default CONSUMER_DELIVERY_POLICY.maxEventAgeMs (1 hour) */
  readonly consumerMaxEventAge?: Duration;
}

/**
 * The custom EventBridge bus, its archive, a log of every catalog event, and one rule per
 * consumer. Rules exist only for consumers that exist: `addConsumer` is the seam the agents
 * (issue 3) plug into, each with the same retry policy and a dead-letter queue, because
 * EventBridge otherwise drops an event after 24 h of failed deliveries.
 */
export class TradingEventBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly eventLog: logs.LogGroup;
  private readonly props: TradingEventBusProps;
  private readonly sources: string[];
  private consumerDlq: sqs.Queue | undefined;

  constructor(scope: Construct, id: string, props: TradingEventBusProps) {
    super(scope, id);
    if (props.catalog.length === 0) throw new Error('TradingEventBus: the event catalog is empty');
    const retries = props.consumerRetryAttempts ?? CONSUMER_DELIVERY_POLICY.retryAttempts;
    if (!Number.isInteger(retries) || retries < 0 || retries > 185) throw new Error(`TradingEventBus: consumerRetryAttempts must be in 0..185, got ${retries}`);
    this.props = props;
    this.sources = [...new Set(props.catalog.map((e) => e.source))].sort();

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName });
    this.archive = this.bus.archive('Archive', {
      description: 'Every catalog event, for replay after an incident',
      eventPattern: { source: this.sources },
      retention: props.archiveRetention ?? Duration.days(90),
    });

    // Log target written by hand: targets.CloudWatchLogGroup installs a custom-resource Lambda to
    // set the resource policy; a plain logs resource policy does the same with nothing to run.
    this.eventLog = new logs.LogGroup(this, 'EventLog', {
      logGroupName: `/aws/events/${props.busName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    new logs.ResourcePolicy(this, 'EventLogPolicy', {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.eventLog.logGroupArn],
        }),
      ],
    });
    const logGroupArn = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.eventLog.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    new events.Rule(this, 'LogEveryEvent', {
      eventBus: this.bus,
      description: 'Records every catalog event in CloudWatch Logs',
      eventPattern: { source: this.sources, detailType: [...new Set(props.catalog.map((e) => e.detailType))].sort() },
      targets: [{ bind: () => ({ arn: logGroupArn }) }],
    });
  }

  /**
   * Routes the named catalog events to a function, with retries and a DLQ.
   * @throws Error if a detail-type is not in the catalog (a rule that can never match).
   * @example bus.addConsumer('position-keeper', ['FillReport', 'PositionReport'], positionKeeperFn)
   */
  addConsumer(name: string, detailTypes: readonly string[], fn: lambda.IFunction): events.Rule {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(name)) throw new Error(`TradingEventBus.addConsumer: invalid name "${name}"`);
    const entries = detailTypes.map((dt) => {
      const entry = this.props.catalog.find((e) => e.detailType === dt);
      if (entry === undefined) throw new Error(`TradingEventBus.addConsumer(${name}): "${dt}" is not in the event catalog`);
      return entry;
    });
    if (entries.length === 0) throw new Error(`TradingEventBus.addConsumer(${name}): no detail-types`);
    return new events.Rule(this, `Consumer-${name}`, {
      eventBus: this.bus,
      description: `Catalog events for ${name}`,
      eventPattern: { source: [...new Set(entries.map((e) => e.source))].sort(), detailType: [...detailTypes].sort() },
      targets: [
        new targets.LambdaFunction(fn, {
          deadLetterQueue: this.deadLetterQueue(),
          retryAttempts: this.props.consumerRetryAttempts ?? CONSUMER_DELIVERY_POLICY.retryAttempts,
          maxEventAge: this.props.consumerMaxEventAge ?? Duration.millis(CONSUMER_DELIVERY_POLICY.maxEventAgeMs),
        }),
      ],
    });
  }

  /** Sets TRADEOPS_EVENT_BUS and grants PutEvents. */
  bindPublisher(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.eventBus, this.bus.eventBusName);
    this.bus.grantPutEventsTo(target);
  }

  /** Sets TRADEOPS_EVENT_BUS and grants DescribeEventBus only: for a health probe (ops API). */
  bindHealthProbe(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.eventBus, this.bus.eventBusName);
    iam.Grant.addToPrincipal({ grantee: target, actions: ['events:DescribeEventBus'], resourceArns: [this.bus.eventBusArn] });
  }

  /**
   * Sets TRADEOPS_BUS_DLQ_URL and grants what the ops API's event bus operations do with the
   * consumers' DLQ (issue 4): read its depth, and for clear_stale receive, release (visibility 0)
   * and delete stale market data — never purge. Call after the consumers are added.
   */
  bindDeadLetterOperator(target: BindTarget): void {
    const dlq = this.consumerDlq;
    if (dlq === undefined) throw new Error('TradingEventBus.bindDeadLetterOperator: no consumer yet, so no dead-letter queue');
    target.addEnvironment(RUNTIME_ENV.busDeadLetterQueueUrl, dlq.queueUrl);
    iam.Grant.addToPrincipal({ grantee: target, actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage'], resourceArns: [dlq.queueArn] });
  }

  /** EventBridge dead-letter queues must be standard queues; one shared by all consumers. */
  private deadLetterQueue(): sqs.Queue {
    if (this.consumerDlq === undefined) {
      this.consumerDlq = new sqs.Queue(this, 'ConsumerDeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(this.consumerDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the bus consumers; it has no DLQ of its own by design.' });
    }
    return this.consumerDlq;
  }
}
