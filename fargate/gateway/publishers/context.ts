import type { DetailType, EventDetailInput } from '../../../lib/core/events/catalog.js';
import { createEvent } from '../../../lib/core/events/catalog.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { EventPublisher } from '../../../lib/ports/events.js';
import type { Logger } from '../../../lib/ports/logger.js';

/**
 * Builds catalogued events with injected ids and time and publishes them. A publish failure is
 * logged, not thrown: broker callbacks must keep flowing, and every store write that matters has
 * already happened (consumers reconcile from the stores).
 * @internal
 */
export class EventSink {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly logger: Logger,
    /** Correlation id for events not caused by an order (connection, market data, heartbeats). */
    readonly sessionCorrelationId: string,
  ) {}

  async emit<K extends DetailType>(detailType: K, detail: EventDetailInput<K>, options: { correlationId?: string | undefined; causationId?: string | undefined; tsEvent?: string | undefined } = {}): Promise<void> {
    let event;
    try {
      event = createEvent(detailType, detail, { eventId: this.newId(), now: this.clock.now(), correlationId: options.correlationId ?? this.sessionCorrelationId, causationId: options.causationId, tsEvent: options.tsEvent });
    } catch (error) {
      this.logger.error('event failed validation, not published', { detailType, error: describe(error) });
      return;
    }
    try {
      await this.publisher.publish([event]);
    } catch (error) {
      this.logger.error('event publish failed', { detailType, eventId: event.eventId, correlationId: event.correlationId, error: describe(error) });
    }
  }
}

export function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, ...('code' in error ? { code: (error as { code: unknown }).code } : {}) };
  return { message: String(error) };
}
