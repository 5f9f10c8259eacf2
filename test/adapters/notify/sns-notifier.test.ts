import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSnsClient, createSqsClient } from '../../../lib/adapters/aws/clients.js';
import { SnsNotifier } from '../../../lib/adapters/notify/sns-notifier.js';
import { startLocalAwsEmulator, type LocalAwsEmulator } from '../../../lib/local/servers/s3-local.js';

describe('SnsNotifier against the local SNS emulator', () => {
  let server: LocalAwsEmulator;
  let sns: SNSClient;
  let sqs: SQSClient;
  beforeAll(async () => {
    server = await startLocalAwsEmulator();
    const cfg = { region: server.region, endpoint: server.endpoint, localCredentials: true };
    sns = createSnsClient(cfg);
    sqs = createSqsClient(cfg);
  });
  afterAll(async () => {
    sns.destroy();
    sqs.destroy();
    await server.close();
  });

  /** A topic with an SQS subscriber we can read from. */
  async function topicWithInbox(name: string) {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!['QueueArn'], Attributes: { RawMessageDelivery: 'false' } }));
    const read = async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return (r.Messages ?? []).map((m) => JSON.parse(m.Body!) as { Subject?: string; Message: string; TopicArn: string });
    };
    return { topicArn: TopicArn!, read };
  }

  it('publishes to the topic of each audience', async () => {
    const oncall = await topicWithInbox('oncall');
    const risk = await topicWithInbox('risk');
    const notifier = new SnsNotifier({ client: sns, topics: { oncall: oncall.topicArn, risk_manager: risk.topicArn } });

    await notifier.notify({ audience: ['oncall', 'risk_manager'], severity: 'CRITICAL', subject: 'Kill switch activated', message: 'All trading halted', correlationId: 'c-1' });

    const [o, r] = await Promise.all([oncall.read(), risk.read()]);
    expect(o).toHaveLength(1);
    expect(r).toHaveLength(1);
    expect(o[0]).toMatchObject({ Subject: '[CRITICAL] Kill switch activated', TopicArn: oncall.topicArn });
    expect(o[0]!.Message).toContain('All trading halted');
    expect(o[0]!.Message).toContain('correlationId: c-1');
  });

  it('reaches the configured audiences and reports the unconfigured one', async () => {
    const oncall = await topicWithInbox('oncall-2');
    const notifier = new SnsNotifier({ client: sns, topics: { oncall: oncall.topicArn } });

    const p = notifier.notify({ audience: ['oncall', 'compliance'], severity: 'WARNING', subject: 's', message: 'm' });

    await expect(p).rejects.toMatchObject({ code: 'NOTIFY.DELIVERY_FAILED', details: { missed: [{ audience: 'compliance' }] } });
    expect(await oncall.read()).toHaveLength(1);
  });
});
