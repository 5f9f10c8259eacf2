import { Duration, Validations, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { BindTarget } from './binding.js';

export interface GatewayCommandQueueProps {
  /** Physical name without the `.fifo` suffix. */
  readonly queueName: string;
  /** Receives before a command goes to the DLQ. @default 3 */
  readonly maxReceiveCount?: number;
  /** How long the bridge has to apply a command before it becomes visible again. @default 30 s */
  readonly visibilityTimeout?: Duration;
}

/**
 * Order commands (submit, cancel, cancel-all) to the broker bridge: SQS FIFO, one message group
 * per account so commands apply in order. Content-based deduplication is OFF: every sender sets
 * an explicit deduplication id (the clientOrderId, or the command id for cancels), so two
 * different commands with equal bodies are never merged and a retried send is. FIFO DLQ, SSE,
 * TLS-only.
 */
export class GatewayCommandQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: GatewayCommandQueueProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,75}$/.test(props.queueName)) throw new Error(`GatewayCommandQueue: invalid queue name "${props.queueName}" (no .fifo suffix)`);
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) throw new Error(`GatewayCommandQueue: maxReceiveCount must be a positive integer, got ${maxReceiveCount}`);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `${props.queueName}-dlq.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the command queue; a DLQ of a DLQ would hide failed commands further.' });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${props.queueName}.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A command older than this is stale: trading on it would surprise the sender.
      retentionPeriod: Duration.hours(1),
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(30),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }

  /** The bridge: reads and deletes commands. */
  bindConsumer(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.commandQueueUrl, this.queue.queueUrl);
    this.queue.grantConsumeMessages(target);
  }

  /** A sender (approved-order workflow, kill switch): sends only. */
  bindProducer(target: BindTarget): void {
    target.addEnvironment(RUNTIME_ENV.commandQueueUrl, this.queue.queueUrl);
    this.queue.grantSendMessages(target);
  }
}
