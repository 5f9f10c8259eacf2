import type { EventEnvelope } from '../../core/events/envelope.js';

/** The event as EventBridge delivers it to a rule's pattern and target. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  /** The whole envelope, so eventId, correlationId and causationId survive the hop. */
  detail: EventEnvelope;
}

/**
 * Our envelope in EventBridge's shape — the same mapping `EventBridgePublisher` sends, so a
 * pattern written for AWS matches the same events on the local bus.
 * @example
 * toEventBridgeEvent(envelope, { account: '000000000000', region: 'us-east-1' })['detail-type'] // envelope.detailType
 */
export function toEventBridgeEvent(e: EventEnvelope, where: { account: string; region: string }): EventBridgeEvent {
  return {
    version: '0',
    id: e.eventId,
    source: e.source,
    'detail-type': e.detailType,
    account: where.account,
    region: where.region,
    time: e.tsEvent,
    resources: [],
    detail: e,
  };
}
