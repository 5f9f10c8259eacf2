import type { EventEnvelope } from '../../../lib/core/events/envelope.js';

let n = 0;
export function anEvent(detailType: string, detail: unknown = {}, source = 'tradeops.gateway'): EventEnvelope {
  n += 1;
  return {
    eventId: `e-${n}`,
    source,
    detailType,
    tsEvent: '2026-11-26T15:00:00.000Z',
    tsInit: '2026-11-26T15:00:00.000Z',
    correlationId: `c-${n}`,
    detail,
  } as EventEnvelope;
}
