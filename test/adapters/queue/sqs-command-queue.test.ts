import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../../lib/adapters/aws/clients.js';
import { SqsCommandConsumer, SqsCommandQueue, ensureFifoQueue } from '../../../lib/adapters/queue/sqs-command-queue.js';
import { startLocalAwsEmulator, type LocalAwsEmulator } from '../../../lib/local/servers/s3-local.js';
import { cancel, label, submit, until } from './commands.js';

describe('SQS command queue against the local SQS emulator (FIFO)', () => {
  let server: LocalAwsEmulator;
  let client: SQSClient;
  let n = 0;
  const freshQueue = () => ensureFifoQueue(client, `gateway-commands-${++n}.fifo`);
  beforeAll(async () => {
    server = await startLocalAwsEmulator();
    client = createSqsClient({ region: server.region, endpoint: server.endpoint, localCredentials: true });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('creates a FIFO queue without content-based deduplication', async () => {
    const queueUrl = await freshQueue();
    const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'false' });
  });

  it('delivers each command once despite a resend, in group order, and deletes it after success', async () => {
    const queueUrl = await freshQueue();
    const queue = new SqsCommandQueue({ client, queueUrl });
    const consumer = new SqsCommandConsumer({ client, queueUrl, waitTimeSeconds: 1 });
    const handled: string[] = [];

    await queue.send(submit('A'));
    await queue.send(submit('A'));
    await queue.send(cancel('A', '2026-11-26T14:30:01.000Z'));
    await queue.send(submit('B'));
    consumer.start(async (c) => void handled.push(label(c)));
    await until(() => handled.length >= 3);
    await consumer.stop();
    const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));

    expect(handled.filter((h) => h.endsWith(':A'))).toEqual(['submit:A', 'cancel:A']);
    expect(handled).toHaveLength(3);
    expect(attrs.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('redelivers a failed command before the rest of its group', async () => {
    const queueUrl = await freshQueue();
    const queue = new SqsCommandQueue({ client, queueUrl });
    const consumer = new SqsCommandConsumer({ client, queueUrl, waitTimeSeconds: 1, retryVisibilitySeconds: 0 });
    const attempts: string[] = [];
    let failuresLeft = 1;

    await queue.send(submit('X'));
    await queue.send(cancel('X', '2026-11-26T14:30:01.000Z'));
    consumer.start(async (c) => {
      attempts.push(label(c));
      if (label(c) === 'submit:X' && failuresLeft-- > 0) throw new Error('broker down');
    });
    await until(() => attempts.includes('cancel:X'));
    await consumer.stop();

    expect(attempts).toEqual(['submit:X', 'submit:X', 'cancel:X']);
  });

  it('stops promptly while long-polling an empty queue', async () => {
    const queueUrl = await freshQueue();
    const consumer = new SqsCommandConsumer({ client, queueUrl, waitTimeSeconds: 20 });
    consumer.start(async () => {});
    await new Promise((r) => setTimeout(r, 50));

    const t0 = Date.now();
    await consumer.stop();

    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
