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

export interface AuditRecorderOptions {
  /** Event ids remembered to skip redeliveries; default 10,000. */
  rememberLast?: number;
  /**
   * How long the first buffered event waits for others before a write starts; default 0 (the
   * events delivered in the same turn of the event loop, plus all arriving during a write, make a
   * batch — group commit, so batches grow with the load instead of adding a fixed delay).
   */
  lingerMs?: number;
  /** Most events in one `appendMany`; default 100. */
  maxEvents?: number;
}

/** The recorder is the bus handler, plus `flush()`: resolves once everything buffered so far is written. */
export interface AuditRecorder extends EventHandler {
  flush(): Promise<void>;
}

interface Pending {
  eventId: string;
  record: AuditRecord;
  done: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The audit-recorder agent: every state-changing event of the bus becomes one entry of the
 * hash-chained audit log. Events are written in batches (`AuditLog.appendMany`, one chain step for
 * many entries) in the order they arrived; each handler call still resolves only once its entry is
 * written, and rejects if the write failed, so the bus's retry and dead-letter handling and
 * `drain()` keep their meaning and nothing is acknowledged that is not in the log. Batches are as
 * large as the events in flight at once: the bus rule's concurrency bounds them.
 * Delivery is at least once; a redelivery of an event already recorded (or being recorded) by this
 * process is skipped (bounded memory of recent event ids). Each entry carries its eventId, so a
 * reader can still tell a rare cross-process duplicate apart — an event is never lost.
 */
export function createAuditRecorder(deps: { audit: AuditLog }, options: AuditRecorderOptions = {}): AuditRecorder {
  const capacity = options.rememberLast ?? 10_000;
  const lingerMs = options.lingerMs ?? 0;
  const maxEvents = Math.max(1, options.maxEvents ?? 100);
  const seen = new Set<string>();
  /** Buffered or being written, by eventId: a redelivery meanwhile waits for the same write. */
  const inFlight = new Map<string, Pending>();
  let buffer: Pending[] = [];
  let writing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const remember = (eventId: string) => {
    seen.add(eventId);
    if (seen.size > capacity) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };

  /** Writes batches until the buffer is empty; one writer at a time keeps the arrival order. */
  const writeAll = async () => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, maxEvents);
      buffer = buffer.slice(batch.length);
      try {
        await deps.audit.appendMany(batch.map((p) => p.record));
        for (const p of batch) remember(p.eventId);
        for (const p of batch) p.resolve();
      } catch (error) {
        // The whole batch is refused (a later step of a split batch may have failed after earlier
        // ones were written: their redelivery then records them again, with the same eventId).
        for (const p of batch) p.reject(error);
      } finally {
        for (const p of batch) inFlight.delete(p.eventId);
      }
    }
  };

  const startWriting = () => {
    timer = undefined;
    if (writing !== undefined) return;
    writing = writeAll().finally(() => {
      writing = undefined;
      // Events that arrived while the last batch was being written.
      if (buffer.length > 0) schedule();
    });
  };

  const schedule = () => {
    if (writing !== undefined || timer !== undefined) return; // the running writer picks the buffer up
    if (buffer.length >= maxEvents) startWriting();
    else timer = setTimeout(startWriting, lingerMs);
  };

  const handler = async (event: EventEnvelope): Promise<void> => {
    if (seen.has(event.eventId)) return;
    const already = inFlight.get(event.eventId);
    if (already) return already.done;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending = { eventId: event.eventId, record: toAuditRecord(event), done, resolve, reject };
    inFlight.set(event.eventId, pending);
    buffer.push(pending);
    schedule();
    return done;
  };

  const flush = async (): Promise<void> => {
    while (buffer.length > 0 || writing !== undefined) {
      if (timer !== undefined) {
        clearTimeout(timer);
        startWriting();
      }
      // A failed batch is the bus's to retry; flush only waits for the buffer to empty.
      await (writing ?? Promise.resolve()).catch(() => undefined);
      if (writing === undefined && buffer.length > 0 && timer === undefined) startWriting();
    }
  };

  return Object.assign(handler, { flush });
}
