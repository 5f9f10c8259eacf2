import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventEnvelopeSchema, type EventEnvelope } from '../../core/events/envelope.js';
import { TradeOpsError } from '../../core/shared/errors.js';
import type { EventPublisher } from '../../ports/events.js';

/** PutEvents takes at most 10 entries and 256 KiB per entry. */
const BATCH_SIZE = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

export interface EventBridgePublisherOptions {
  client: Pick<EventBridgeClient, 'send'>;
  /** Name or ARN of the custom bus (from config / the stack's outputs). */
  eventBusName: string;
  /** PutEvents calls per batch before failing entries are given up; default 4. */
  maxAttempts?: number;
  /** First backoff between attempts, doubled each time; default 100 ms. */
  backoffMs?: number;
}

/** Entries that EventBridge still refused after every retry. */
export class EventPublishError extends TradeOpsError {
  constructor(message: string, failures: ReadonlyArray<{ eventId: string; errorCode?: string | undefined; errorMessage?: string | undefined }>, options?: { cause?: unknown }) {
    super('BUS.PUBLISH_FAILED', message, { ...options, details: { failures } });
    this.name = 'EventPublishError';
  }
}

/**
 * The EventBridge side of `EventPublisher`: envelope → PutEvents entry (`Source`, `DetailType`,
 * the whole envelope as `Detail` — see `toEventBridgeShape` in lib/core/events/catalog.ts), 10 per call. PutEvents succeeds
 * partially; only the failed entries are retried, with backoff, and what still fails is thrown.
 * @example
 * const pub = new EventBridgePublisher({ client: new EventBridgeClient({ region }), eventBusName: 'tradeops-prod' });
 * await pub.publish([event]);
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  constructor(private readonly options: EventBridgePublisherOptions) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 100;
  }

  async publish(events: ReadonlyArray<EventEnvelope>): Promise<void> {
    const entries = events.map((e) => this.entry(e));
    for (let i = 0; i < entries.length; i += BATCH_SIZE) {
      await this.putBatch(entries.slice(i, i + BATCH_SIZE));
    }
  }

  private entry(e: EventEnvelope): { eventId: string; entry: PutEventsRequestEntry } {
    const envelope = EventEnvelopeSchema.parse(e);
    const detail = JSON.stringify(envelope);
    const size = Buffer.byteLength(detail) + Buffer.byteLength(envelope.source) + Buffer.byteLength(envelope.detailType);
    if (size > MAX_ENTRY_BYTES) throw new TradeOpsError('BUS.EVENT_TOO_LARGE', `event ${envelope.eventId} is ${size} bytes; EventBridge takes at most ${MAX_ENTRY_BYTES}`, { details: { eventId: envelope.eventId, size } });
    return {
      eventId: envelope.eventId,
      entry: { EventBusName: this.options.eventBusName, Source: envelope.source, DetailType: envelope.detailType, Detail: detail, Time: new Date(envelope.tsEvent) },
    };
  }

  private async putBatch(batch: Array<{ eventId: string; entry: PutEventsRequestEntry }>): Promise<void> {
    let pending = batch;
    let failures: Array<{ eventId: string; errorCode?: string | undefined; errorMessage?: string | undefined }> = [];
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 2)));
      let result;
      try {
        result = await this.options.client.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
      } catch (e) {
        // The SDK already retried throttling and 5xx; a thrown call failed the whole batch.
        if (attempt === this.maxAttempts) throw new EventPublishError(`PutEvents failed: ${e instanceof Error ? e.message : String(e)}`, pending.map((p) => ({ eventId: p.eventId })), { cause: e });
        continue;
      }
      const results = result.Entries ?? [];
      failures = [];
      const retry: typeof pending = [];
      pending.forEach((p, i) => {
        const r = results[i];
        if (r === undefined || r.ErrorCode !== undefined || r.EventId === undefined) {
          failures.push({ eventId: p.eventId, errorCode: r?.ErrorCode, errorMessage: r?.ErrorMessage });
          retry.push(p);
        }
      });
      if (retry.length === 0) return;
      pending = retry;
    }
    throw new EventPublishError(`${failures.length} event(s) refused by EventBridge after ${this.maxAttempts} attempts: ${failures.map((f) => `${f.eventId} ${f.errorCode ?? ''}`).join(', ')}`, failures);
  }
}
