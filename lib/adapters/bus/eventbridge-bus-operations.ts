import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { BlobStore } from '../../ports/blob-store.js';
import type { BusOperations, BusStatsReport, ClearStaleResult, ConsumerFigures, RestartResult } from '../../ports/bus-operations.js';
import type { Clock } from '../../core/shared/clock.js';
import { isDroppableWhenStale } from '../../core/events/catalog.js';
import { BusOperationsError, BusOperationsErrorCode } from '../../core/bus/errors.js';

/** The environment variable a restart sets on an agent function: any change of configuration makes Lambda start fresh containers. */
export const RESTART_MARKER_ENV = 'TRADEOPS_RESTARTED_AT';

/**
 * Why each figure is `null` in AWS, said in the response rather than faked. EventBridge keeps no
 * queue per target: an event is either being delivered (a Lambda invocation), waiting out
 * EventBridge's own retry (invisible to the API), or in the consumers' dead-letter queue.
 */
export const AWS_UNAVAILABLE: Readonly<Record<string, string>> = Object.freeze({
  backlog: 'EventBridge keeps no per-target queue to count; events awaiting EventBridge retries are not observable through its API. See the CloudWatch metrics FailedInvocations and RetryInvocationAttempts of each rule.',
  oldest_age_ms: 'Not observable on EventBridge; the age of the oldest dead letter is the SQS CloudWatch metric ApproximateAgeOfOldestMessage (no CloudWatch client in the API bundle).',
  in_flight: 'Each delivery is its own Lambda invocation; see the ConcurrentExecutions metric of the agent function.',
  delivered: 'See the Invocations metric of the rule and the function (CloudWatch); not read by the API.',
  failed: 'See the Errors and Throttles metrics of the agent function (CloudWatch); not read by the API.',
  retries: 'See the RetryInvocationAttempts metric of the rule (CloudWatch).',
  latency_ms: 'See the IngestionToInvocationStartLatency metric of the bus and the Duration metric of the function (CloudWatch).',
  dlq_depth: 'The consumer rules share one dead-letter queue (lib/infra/trading-event-bus.ts), so depth is reported in totals.dlq_depth, not per consumer.',
  restarts: 'Not counted in AWS; each restart is in the audit chain (AGENT_RESTARTED).',
  concurrency: 'Each EventBridge delivery is its own Lambda invocation (account concurrency applies).',
});

export interface AwsConsumer {
  name: string;
  detailTypes: readonly string[];
}

export interface EventBridgeBusOperationsDeps {
  consumers: ReadonlyArray<AwsConsumer>;
  sqs: Pick<SQSClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  /** The consumers' shared DLQ; absent: dlq figures are null and clear_stale is refused (501). */
  deadLetterQueueUrl?: string | undefined;
  /** Agent name → Lambda function name; absent: restart is refused (501). */
  agentFunctions?: Readonly<Record<string, string>> | undefined;
  archive: BlobStore;
  archiveLocation: string;
  clock: Clock;
  newId: () => string;
  /** Receive batches per clear_stale call (10 messages each): one API call stays within the Lambda timeout. @default 20 */
  maxBatches?: number;
}

/** @internal What clear_stale reads from a dead letter: EventBridge puts the event as the body and the rule's ARN as an attribute. */
interface DeadLetterView {
  message: Message;
  detailType: string | undefined;
  /** The agent whose delivery failed, from the TARGET_ARN attribute; undefined when not ours. */
  consumer: string | undefined;
  publishedAtMs: number | undefined;
}

/**
 * Bus operations on AWS. Reported honestly: the shared DLQ's depth from SQS; every figure
 * EventBridge does not expose is `null` with the reason in `unavailable`.
 *
 * clear_stale: in AWS the only place a delivery waits where we can reach it is the dead-letter
 * queue, so clear_stale scans it, archives stale droppable events (market data, heartbeats) to the
 * backup bucket, then deletes exactly those messages; every other message is made visible again
 * at once and is never deleted. It never purges or redrives the queue.
 *
 * restart: touches `TRADEOPS_RESTARTED_AT` in the agent function's environment (merged into the
 * variables it has): Lambda then serves new invocations from fresh containers, while invocations
 * in flight finish in the old ones — the AWS equivalent of the local restart. Events are not lost:
 * EventBridge retries deliveries that fail during the update. The next `cdk deploy` resets the
 * variable (drift by design, and harmless).
 */
export class EventBridgeBusOperations implements BusOperations {
  constructor(private readonly deps: EventBridgeBusOperationsDeps) {}

  async stats(): Promise<BusStatsReport> {
    const dlqDepth = await this.dlqDepth();
    const consumers: ConsumerFigures[] = this.deps.consumers.map((c) => ({
      consumer: c.name,
      rule: `Consumer-${c.name}`,
      detailTypes: [...c.detailTypes],
      concurrency: null,
      status: 'unknown',
      backlog: null,
      oldestAgeMs: null,
      inFlight: null,
      delivered: null,
      failed: null,
      retries: null,
      latencyMs: null,
      dlqDepth: null,
      restarts: null,
      lastDeliveryAt: null,
    }));
    return {
      runtime: 'aws',
      observedAt: this.deps.clock.now().toISOString(),
      consumers,
      totals: { backlog: null, inFlight: null, delivered: null, failed: null, dlqDepth },
      unavailable: dlqDepth === null ? { ...AWS_UNAVAILABLE, 'totals.dlq_depth': 'The dead-letter queue is not bound to this function.' } : AWS_UNAVAILABLE,
    };
  }

  async clearStale({ olderThanMs, correlationId }: { olderThanMs: number; correlationId: string }): Promise<ClearStaleResult> {
    const queueUrl = this.deps.deadLetterQueueUrl;
    if (queueUrl === undefined) throw new BusOperationsError(BusOperationsErrorCode.NOT_SUPPORTED, 'clear_stale needs the consumers’ dead-letter queue, which is not bound to this function');
    const now = this.deps.clock.now();
    const stale: DeadLetterView[] = [];
    const keep: Message[] = [];
    const seen = new Set<string>();
    for (let batch = 0; batch < (this.deps.maxBatches ?? 20); batch += 1) {
      // Hidden for 60 s while we decide; what is kept is made visible again right after.
      const r = await this.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SentTimestamp'] }));
      const messages = (r.Messages ?? []).filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
      if (messages.length === 0) break;
      for (const m of messages) {
        seen.add(m.MessageId!);
        const v = this.view(m);
        const old = v.publishedAtMs !== undefined && now.getTime() - v.publishedAtMs >= olderThanMs;
        if (v.detailType !== undefined && isDroppableWhenStale(v.detailType) && old) stale.push(v);
        else keep.push(m);
      }
    }
    await this.release(queueUrl, keep);
    const byConsumer: Record<string, number> = Object.fromEntries(this.deps.consumers.map((c) => [c.name, 0]));
    const byDetailType: Record<string, number> = {};
    if (stale.length === 0) return { olderThanMs, cleared: 0, byConsumer, byDetailType, note: `scanned ${seen.size} dead letter(s); nothing stale and droppable` };
    const archiveKey = `eventbus/cleared/${now.toISOString().slice(0, 10)}/${now.toISOString().replace(/[:.]/g, '-')}-${this.deps.newId()}.json`;
    try {
      await this.deps.archive.put(archiveKey, JSON.stringify({ kind: 'eventbus.cleared', source: 'consumer-dead-letter-queue', clearedAt: now.toISOString(), olderThanMs, correlationId, count: stale.length, deliveries: stale.map((s) => ({ consumer: s.consumer ?? null, detailType: s.detailType, messageId: s.message.MessageId, attributes: s.message.MessageAttributes ?? {}, body: s.message.Body })) }, null, 2), { contentType: 'application/json' });
    } catch (e) {
      await this.release(queueUrl, stale.map((s) => s.message));
      throw new BusOperationsError(BusOperationsErrorCode.ARCHIVE_FAILED, `nothing was cleared: archiving to ${this.deps.archiveLocation} failed (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    for (let i = 0; i < stale.length; i += 10) {
      const chunk = stale.slice(i, i + 10);
      await this.deps.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((s, j) => ({ Id: String(j), ReceiptHandle: s.message.ReceiptHandle! })) }));
    }
    for (const s of stale) {
      const consumer = s.consumer ?? 'unknown';
      byConsumer[consumer] = (byConsumer[consumer] ?? 0) + 1;
      byDetailType[s.detailType!] = (byDetailType[s.detailType!] ?? 0) + 1;
    }
    return { olderThanMs, cleared: stale.length, byConsumer, byDetailType, archiveKey, archiveLocation: this.deps.archiveLocation, note: 'cleared from the consumers’ dead-letter queue (EventBridge keeps no other queue)' };
  }

  async restartConsumer(consumer: string): Promise<RestartResult> {
    const known = this.deps.consumers.map((c) => c.name);
    if (!known.includes(consumer)) throw new BusOperationsError(BusOperationsErrorCode.UNKNOWN_CONSUMER, `no agent named "${consumer}"; known agents: ${known.join(', ')}`, { details: { known } });
    const functionName = this.deps.agentFunctions?.[consumer];
    if (functionName === undefined) throw new BusOperationsError(BusOperationsErrorCode.NOT_SUPPORTED, `restart of ${consumer} needs its function name and lambda:UpdateFunctionConfiguration, which this API function does not have`);
    const current = await this.deps.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    // UpdateFunctionConfiguration replaces the whole environment: merge, never drop a binding.
    const variables = { ...(current.Environment?.Variables ?? {}), [RESTART_MARKER_ENV]: this.deps.clock.now().toISOString() };
    await this.deps.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: variables }, ...(current.RevisionId === undefined ? {} : { RevisionId: current.RevisionId }) }));
    return { consumer, restarted: true, keptBacklog: null, restarts: null, how: `configuration of ${functionName} touched (${RESTART_MARKER_ENV}): new invocations start in fresh containers, those in flight finish; EventBridge retries what fails meanwhile` };
  }

  private async dlqDepth(): Promise<number | null> {
    if (this.deps.deadLetterQueueUrl === undefined) return null;
    const r = await this.deps.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.deps.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    const n = Number(r.Attributes?.ApproximateNumberOfMessages ?? '0') + Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '0');
    return Number.isFinite(n) ? n : null;
  }

  private view(m: Message): DeadLetterView {
    let detailType: string | undefined;
    let publishedAtMs: number | undefined;
    try {
      const body = JSON.parse(m.Body ?? '') as { 'detail-type'?: unknown; time?: unknown; detail?: { tsInit?: unknown } };
      if (typeof body['detail-type'] === 'string') detailType = body['detail-type'];
      // When it was published: our envelope's tsInit, else EventBridge's time, else when it reached the DLQ.
      const stamp = typeof body.detail?.tsInit === 'string' ? body.detail.tsInit : typeof body.time === 'string' ? body.time : undefined;
      if (stamp !== undefined && Number.isFinite(Date.parse(stamp))) publishedAtMs = Date.parse(stamp);
    } catch {
      // Not an EventBridge event: never droppable.
    }
    if (publishedAtMs === undefined && m.Attributes?.SentTimestamp !== undefined) publishedAtMs = Number(m.Attributes.SentTimestamp);
    // EventBridge names the target that failed (TARGET_ARN): the agent whose function it is.
    const targetArn = m.MessageAttributes?.['TARGET_ARN']?.StringValue;
    const consumer = targetArn === undefined ? undefined : Object.entries(this.deps.agentFunctions ?? {}).find(([, fn]) => targetArn === fn || targetArn.endsWith(`:function:${fn}`) || targetArn.includes(`:function:${fn}:`))?.[0];
    return { message: m, detailType, consumer, publishedAtMs };
  }

  private async release(queueUrl: string, messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.deps.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }));
    }
  }
}
