import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createSqsClient } from '../../../lib/adapters/aws/clients.js';
import { startLocalAwsEmulator, type LocalAwsEmulator } from '../../../lib/local/servers/s3-local.js';
import { AWS_UNAVAILABLE, EventBridgeBusOperations, RESTART_MARKER_ENV } from '../../../lib/adapters/bus/eventbridge-bus-operations.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { toEventBridgeShape } from '../../../lib/core/events/catalog.js';
import { InMemoryBlobStore } from '../../support/memory-blob-store.js';
import { anEvent } from './envelopes.js';

const FUNCTIONS = { 'audit-recorder': 'tradeops-prod-audit-recorder', 'risk-agent': 'tradeops-prod-risk-agent' };
const CONSUMERS = [
  { name: 'audit-recorder', detailTypes: ['FillReport'] },
  { name: 'risk-agent', detailTypes: ['FillReport', 'PositionReport'] },
];

/** A dead letter as EventBridge writes it: the event as the body, the failed target as an attribute. */
const deadLetter = (detailType: string, agent: keyof typeof FUNCTIONS) => ({
  MessageBody: JSON.stringify(toEventBridgeShape(anEvent(detailType))),
  MessageAttributes: {
    TARGET_ARN: { DataType: 'String', StringValue: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTIONS[agent]}` },
    ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
  },
});

/** Records Lambda calls and answers GetFunctionConfiguration with a fixed environment. */
class FakeLambda {
  readonly calls: Array<GetFunctionConfigurationCommand | UpdateFunctionConfigurationCommand> = [];
  async send(c: unknown): Promise<unknown> {
    if (c instanceof GetFunctionConfigurationCommand) {
      this.calls.push(c);
      return { Environment: { Variables: { TRADEOPS_AGENT: 'risk-agent', TRADEOPS_STATE_TABLE: 't' } }, RevisionId: 'rev-1' };
    }
    if (c instanceof UpdateFunctionConfigurationCommand) {
      this.calls.push(c);
      return {};
    }
    throw new Error('unexpected command');
  }
}

describe('EventBridgeBusOperations against the local SQS emulator', () => {
  let server: LocalAwsEmulator;
  let sqs: SQSClient;
  let n = 0;
  beforeAll(async () => {
    server = await startLocalAwsEmulator();
    sqs = createSqsClient({ region: server.region, endpoint: server.endpoint, localCredentials: true });
  });
  afterAll(async () => {
    sqs.destroy();
    await server.close();
  });

  async function setup(letters: ReturnType<typeof deadLetter>[]) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `consumer-dlq-${++n}` }));
    for (const l of letters) await sqs.send(new SendMessageCommand({ QueueUrl: QueueUrl!, ...l }));
    const clock = new ManualClock('2026-11-26T16:00:00.000Z');
    const blobs = new InMemoryBlobStore();
    const lambda = new FakeLambda();
    const ops = new EventBridgeBusOperations({ consumers: CONSUMERS, sqs, lambda: lambda as unknown as LambdaClient, deadLetterQueueUrl: QueueUrl!, agentFunctions: FUNCTIONS, archive: blobs, archiveLocation: 's3://prod-backups', clock, newId: () => 'x1' });
    return { queueUrl: QueueUrl!, ops, blobs, lambda, clock };
  }

  it('reports the shared DLQ depth and null, with a reason, for what EventBridge does not expose', async () => {
    const { ops } = await setup([deadLetter('FillReport', 'risk-agent'), deadLetter('PositionReport', 'risk-agent')]);

    const r = await ops.stats();

    expect(r).toMatchObject({ runtime: 'aws', totals: { backlog: null, dlqDepth: 2 } });
    expect(r.consumers.map((c) => c.consumer)).toEqual(['audit-recorder', 'risk-agent']);
    expect(r.consumers[1]).toMatchObject({ backlog: null, oldestAgeMs: null, latencyMs: null, dlqDepth: null, status: 'unknown', detailTypes: ['FillReport', 'PositionReport'] });
    for (const field of ['backlog', 'oldest_age_ms', 'latency_ms', 'dlq_depth']) expect(r.unavailable[field]).toBe(AWS_UNAVAILABLE[field]);
  });

  it('clears only stale market data from the DLQ, archived first; fills stay in the queue', async () => {
    const { ops, blobs, queueUrl } = await setup([deadLetter('MarketSnapshotReport', 'risk-agent'), deadLetter('FillReport', 'audit-recorder'), deadLetter('GatewayHeartbeat', 'audit-recorder'), deadLetter('FillReport', 'risk-agent')]);

    const r = await ops.clearStale({ olderThanMs: 60_000, correlationId: 'c-1' });
    const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    const archived = blobs.json(r.archiveKey!) as { count: number; deliveries: Array<{ consumer: string; detailType: string }> };

    expect(r).toMatchObject({ cleared: 2, byConsumer: { 'risk-agent': 1, 'audit-recorder': 1 }, byDetailType: { MarketSnapshotReport: 1, GatewayHeartbeat: 1 }, archiveLocation: 's3://prod-backups' });
    expect(archived.count).toBe(2);
    expect(archived.deliveries.map((d) => d.detailType).sort()).toEqual(['GatewayHeartbeat', 'MarketSnapshotReport']);
    // The two fills are back, visible, for a redrive.
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('deletes nothing when the archive cannot be written', async () => {
    const { ops, blobs, queueUrl } = await setup([deadLetter('MarketSnapshotReport', 'risk-agent')]);
    blobs.failNextPut = new Error('AccessDenied');

    await expect(ops.clearStale({ olderThanMs: 0, correlationId: 'c' })).rejects.toMatchObject({ code: 'BUS.ARCHIVE_FAILED' });
    const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));

    expect(left.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });

  it('restarts an agent by touching its function configuration, keeping every other variable', async () => {
    const { ops, lambda, clock } = await setup([]);

    const r = await ops.restartConsumer('risk-agent');
    const update = lambda.calls.find((c) => c instanceof UpdateFunctionConfigurationCommand)!;

    expect(r).toMatchObject({ consumer: 'risk-agent', restarted: true, keptBacklog: null });
    expect(update.input).toEqual({ FunctionName: 'tradeops-prod-risk-agent', RevisionId: 'rev-1', Environment: { Variables: { TRADEOPS_AGENT: 'risk-agent', TRADEOPS_STATE_TABLE: 't', [RESTART_MARKER_ENV]: clock.now().toISOString() } } });
    await expect(ops.restartConsumer('slow_agent')).rejects.toMatchObject({ code: 'BUS.UNKNOWN_CONSUMER', details: { known: ['audit-recorder', 'risk-agent'] } });
  });

  it('refuses restart and clear_stale as not supported when unbound, rather than pretending', async () => {
    const ops = new EventBridgeBusOperations({ consumers: CONSUMERS, sqs, lambda: new FakeLambda() as unknown as LambdaClient, archive: new InMemoryBlobStore(), archiveLocation: 'x', clock: new ManualClock(), newId: () => 'x' });

    await expect(ops.restartConsumer('risk-agent')).rejects.toMatchObject({ code: 'BUS.NOT_SUPPORTED' });
    await expect(ops.clearStale({ olderThanMs: 0, correlationId: 'c' })).rejects.toMatchObject({ code: 'BUS.NOT_SUPPORTED' });
    expect((await ops.stats()).totals.dlqDepth).toBeNull();
  });
});
