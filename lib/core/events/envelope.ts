import { z } from 'zod';
import { CorrelationIdSchema, EventIdSchema, IsoTimestampSchema } from '../shared/ids.js';

/**
 * Every event on the bus, in both runtimes. In AWS, `source` and `detailType` map to EventBridge's
 * `source` and `detail-type`, and the whole envelope is the `detail` (so ids survive the hop).
 * `tsEvent` is when it happened, `tsInit` when this object was created.
 * @example
 * { eventId: 'e-1', source: 'tradeops.gateway', detailType: 'OrderFilled', tsEvent: '…', tsInit: '…', correlationId: 'c-1', causationId: 'e-0', detail: { … } }
 */
export const EventEnvelopeSchema = z.strictObject({
  eventId: EventIdSchema,
  source: z.string().regex(/^tradeops\.[a-z0-9.-]+$/, 'a tradeops.* source'),
  detailType: z.string().min(1),
  tsEvent: IsoTimestampSchema,
  tsInit: IsoTimestampSchema,
  correlationId: CorrelationIdSchema,
  causationId: z.string().optional(),
  detail: z.unknown(),
});
export type EventEnvelope<D = unknown> = Omit<z.infer<typeof EventEnvelopeSchema>, 'detail'> & { detail: D };
