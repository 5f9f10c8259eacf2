import type { EventEnvelope } from '../core/events/envelope.js';

/**
 * Publishes validated events (EventBridge in AWS, the in-process bus locally).
 * Delivery is at least once and unordered in both runtimes: every consumer is idempotent.
 */
export interface EventPublisher {
  publish(events: ReadonlyArray<EventEnvelope>): Promise<void>;
}

/** A consumer of the bus: the same handler a Lambda target runs in AWS. */
export type EventHandler = (event: EventEnvelope) => Promise<void>;
