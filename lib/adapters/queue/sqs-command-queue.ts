import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { OrderCommandSchema, commandRouting, type OrderCommand } from '../../core/orders/commands.js';
import { TradeOpsError, ValidationError } from '../../core/shared/errors.js';
import type { CommandConsumer, CommandQueue } from '../../ports/command-queue.js';
import type { Logger } from '../../ports/logger.js';

/** @internal */
function translateSqsError(e: unknown, operation: string, queueUrl: string): TradeOpsError {
  if (e instanceof TradeOpsError) return e;
  const name = e instanceof Error ? e.name : 'Unknown';
  return new TradeOpsError('QUEUE.REQUEST_FAILED', `SQS ${operation} on ${queueUrl} failed: ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e, details: { operation, queueUrl, awsError: name } });
}

/**
 * Sends order commands to the gateway's SQS FIFO queue: group and deduplication ids come from
 * `commandRouting`, so SQS drops a resend of the same submit within its 5-minute window.
 * @example
 * const q = new SqsCommandQueue({ client: new SQSClient({ region }), queueUrl });
 * await q.send(submit);
 */
export class SqsCommandQueue implements CommandQueue {
  constructor(private readonly options: { client: Pick<SQSClient, 'send'>; queueUrl: string }) {}

  async send(command: OrderCommand): Promise<void> {
    const parsed = OrderCommandSchema.safeParse(command);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new ValidationError('QUEUE.INVALID_COMMAND', `invalid order command: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
    }
    const { groupId, dedupId } = commandRouting(parsed.data);
    try {
      await this.options.client.send(
        new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: JSON.stringify(parsed.data), MessageGroupId: groupId, MessageDeduplicationId: dedupId }),
      );
    } catch (e) {
      throw translateSqsError(e, 'SendMessage', this.options.queueUrl);
    }
  }
}

export interface SqsCommandConsumerOptions {
  client: Pick<SQSClient, 'send'>;
  queueUrl: string;
  logger?: Logger;
  /** Long-poll wait per receive, seconds (0–20); default 20. */
  waitTimeSeconds?: number;
  /** Visibility after a failed command, seconds, before SQS redelivers it; default 5. */
  retryVisibilitySeconds?: number;
  /** Pause after a failed receive call, ms; default 1000. */
  errorBackoffMs?: number;
}

/**
 * The bridge's side of the SQS FIFO queue: long-polls, handles each command, deletes it only after
 * the handler succeeded. On failure it hides the command for `retryVisibilitySeconds` and skips
 * the rest of that group's batch (they are redelivered behind it, keeping group order); after the
 * queue's maxReceiveCount the redrive policy moves the command to the DLQ. A body that does not
 * parse is left for the redrive too, never deleted.
 * @example
 * const consumer = new SqsCommandConsumer({ client, queueUrl, logger });
 * consumer.start((cmd) => bridge.handle(cmd)); ... await consumer.stop();
 */
export class SqsCommandConsumer implements CommandConsumer {
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SqsCommandConsumerOptions) {}

  start(handler: (command: OrderCommand) => Promise<void>): void {
    if (this.loop !== undefined) throw new TradeOpsError('QUEUE.ALREADY_STARTED', 'the command consumer is already started');
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(handler, abort.signal);
  }

  /** Ends the long poll and waits for the command in flight. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    this.abort = undefined;
  }

  private async run(handler: (command: OrderCommand) => Promise<void>, signal: AbortSignal): Promise<void> {
    const { client, queueUrl, logger } = this.options;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const r = await client.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.options.waitTimeSeconds ?? 20, MessageSystemAttributeNames: ['MessageGroupId', 'ApproximateReceiveCount'] }),
          { abortSignal: signal },
        );
        messages = r.Messages ?? [];
      } catch (e) {
        if (signal.aborted) return;
        logger?.error('command queue receive failed', { error: translateSqsError(e, 'ReceiveMessage', queueUrl).toJSON() });
        await new Promise((r) => setTimeout(r, this.options.errorBackoffMs ?? 1000));
        continue;
      }
      const blockedGroups = new Set<string>();
      for (const m of messages) {
        const group = m.Attributes?.MessageGroupId ?? '';
        // Commands are handled even if stop() was called mid-batch: they are already received.
        if (blockedGroups.has(group)) {
          await this.hide(m, 0);
          continue;
        }
        const ok = await this.handleOne(m, handler);
        if (!ok) blockedGroups.add(group);
      }
    }
  }

  private async handleOne(m: Message, handler: (command: OrderCommand) => Promise<void>): Promise<boolean> {
    const { logger, queueUrl } = this.options;
    let command: OrderCommand;
    try {
      command = OrderCommandSchema.parse(JSON.parse(m.Body ?? ''));
    } catch (e) {
      logger?.error('command body does not parse; leaving it for the dead-letter queue', { messageId: m.MessageId, error: e instanceof Error ? e.message : String(e) });
      await this.hide(m, this.options.retryVisibilitySeconds ?? 5);
      return false;
    }
    try {
      await handler(command);
    } catch (e) {
      logger?.warn('command failed; SQS will redeliver it', { kind: command.kind, correlationId: command.correlationId, receiveCount: m.Attributes?.ApproximateReceiveCount, error: e instanceof Error ? e.message : String(e) });
      await this.hide(m, this.options.retryVisibilitySeconds ?? 5);
      return false;
    }
    try {
      await this.options.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    } catch (e) {
      // Handled but not deleted: it comes back and the handler's idempotency absorbs it.
      logger?.error('command handled but not deleted', { correlationId: command.correlationId, error: translateSqsError(e, 'DeleteMessage', queueUrl).toJSON() });
    }
    return true;
  }

  private async hide(m: Message, seconds: number): Promise<void> {
    try {
      await this.options.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: seconds }));
    } catch (e) {
      this.options.logger?.warn('could not change message visibility', { messageId: m.MessageId, error: translateSqsError(e, 'ChangeMessageVisibility', this.options.queueUrl).toJSON() });
    }
  }
}

/**
 * Creates a FIFO queue (explicit dedup ids, no content-based dedup) and returns its URL. Local
 * runtime and tests only: in AWS the CDK stack owns the queue and its DLQ.
 */
export async function ensureFifoQueue(client: Pick<SQSClient, 'send'>, name: string, attributes: Record<string, string> = {}): Promise<string> {
  if (!name.endsWith('.fifo')) throw new TradeOpsError('QUEUE.INVALID_NAME', `a FIFO queue name ends in .fifo: ${name}`);
  try {
    const r = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false', ...attributes } }));
    return r.QueueUrl!;
  } catch (e) {
    throw translateSqsError(e, 'CreateQueue', name);
  }
}
