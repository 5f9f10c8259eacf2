import type { EventEnvelope } from '../../core/events/envelope.js';
import type { AuditRecord } from '../../core/audit/audit-entry.js';
import type { EventHandler } from '../../ports/events.js';
import type { AuditLog } from '../../ports/stores.js';

/** `OrderSubmitted` → `ORDER_SUBMITTED`: audit actions are UPPER_SNAKE. */
export function auditAction(detailType: string): string {
  return detailType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** What the entry is about: the order, the fill, or the event kind when neither applies. */
export function auditSubject(event: EventEnvelope): string {
  const d = (event.detail ?? {}) as Record<string, unknown>;
  const fill = d['fill'] as Record<string, unknown> | undefined;
  if (typeof d['clientOrderId'] === 'string') return `order:${d['clientOrderId']}`;
  if (fill && typeof fill['execId'] === 'string') return `fill:${fill['execId']}`;
  if (typeof d['execId'] === 'string') return `fill:${d['execId']}`;
  if (typeof d['brokerOrderId'] === 'string') return `broker-order:${d['brokerOrderId']}`;
  return event.detailType;
}

export function toAuditRecord(event: EventEnvelope): AuditRecord {
  return {
    actor: event.source,
    action: auditAction(event.detailType),
    subject: auditSubject(event),
    data: { eventId: event.eventId, tsEvent: event.tsEvent, detail: event.detail as Record<string, unknown> },
    correlationId: event.correlationId,
  };
}

/**
 * The audit-recorder agent: every state-changing event of the bus becomes one entry of the
 * hash-chained audit log. Delivery is at least once; a redelivery of an event already recorded by
 * this process is skipped (bounded memory of recent event ids). Each entry carries its eventId,
 * so a reader can still tell a rare cross-process duplicate apart — an event is never lost.
 */
export function createAuditRecorder(deps: { audit: AuditLog }, options: { rememberLast?: number } = {}): EventHandler {
  const capacity = options.rememberLast ?? 10_000;
  const seen = new Set<string>();
  return async (event) => {
    if (seen.has(event.eventId)) return;
    await deps.audit.append(toAuditRecord(event));
    seen.add(event.eventId);
    if (seen.size > capacity) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };
}
