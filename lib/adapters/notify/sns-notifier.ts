import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TradeOpsError } from '../../core/shared/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { Audience, Notification, Notifier } from '../../ports/notifier.js';

export interface SnsNotifierOptions {
  client: Pick<SNSClient, 'send'>;
  /** Topic ARN per audience, from config (the stack creates the topics; subscribers are config too). */
  topics: Partial<Record<Audience, string>>;
  logger?: Logger;
}

/** SNS subjects are at most 100 printable ASCII characters. */
function subjectOf(s: string): string {
  const ascii = s.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

/**
 * Publishes a notification to each audience's SNS topic. Every configured audience is tried;
 * an audience without a topic, or a failed publish, is reported afterwards as one
 * `NOTIFY.DELIVERY_FAILED` naming the audiences that were not reached.
 * @example
 * const notifier = new SnsNotifier({ client: new SNSClient({ region }), topics: config.notify.topics });
 */
export class SnsNotifier implements Notifier {
  constructor(private readonly options: SnsNotifierOptions) {}

  async notify(n: Notification): Promise<void> {
    const missed: Array<{ audience: Audience; reason: string }> = [];
    const body = [n.message, n.data === undefined ? '' : `\n\n${JSON.stringify(n.data, null, 2)}`, n.correlationId === undefined ? '' : `\n\ncorrelationId: ${n.correlationId}`].join('');
    await Promise.all(
      [...new Set(n.audience)].map(async (audience) => {
        const topicArn = this.options.topics[audience];
        if (topicArn === undefined) return void missed.push({ audience, reason: 'no topic configured' });
        try {
          await this.options.client.send(
            new PublishCommand({
              TopicArn: topicArn,
              Subject: subjectOf(`[${n.severity}] ${n.subject}`),
              Message: body,
              MessageAttributes: {
                severity: { DataType: 'String', StringValue: n.severity },
                audience: { DataType: 'String', StringValue: audience },
                ...(n.correlationId === undefined ? {} : { correlationId: { DataType: 'String', StringValue: n.correlationId } }),
              },
            }),
          );
        } catch (e) {
          missed.push({ audience, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
        }
      }),
    );
    if (missed.length > 0) {
      this.options.logger?.error('notification not delivered', { subject: n.subject, missed });
      throw new TradeOpsError('NOTIFY.DELIVERY_FAILED', `notification "${n.subject}" not delivered to ${missed.map((m) => `${m.audience} (${m.reason})`).join(', ')}`, { details: { missed } });
    }
  }
}
