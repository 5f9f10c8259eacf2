import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../core/shared/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Notification, Notifier } from '../../ports/notifier.js';
import { safeStringify } from '../log/json-logger.js';

export interface OutboxNotifierOptions {
  /** JSON-lines file the notifications are appended to, e.g. `.data/outbox.jsonl`. */
  file: string;
  clock: Clock;
  logger?: Logger;
}

/**
 * The local stand-in for SNS: every notification becomes one JSON line in the outbox file (what
 * would have been sent, to whom) and one log line at a level matching its severity.
 * @example
 * const notifier = new OutboxNotifier({ file: '.data/outbox.jsonl', clock });
 * await notifier.notify({ audience: ['oncall'], severity: 'CRITICAL', subject: 'Kill switch activated', message: '…' });
 */
export class OutboxNotifier implements Notifier {
  /** Appends one at a time so concurrent notifications never interleave within a line. */
  private tail: Promise<void> = Promise.resolve();
  private dirReady: Promise<unknown> | undefined;

  constructor(private readonly options: OutboxNotifierOptions) {}

  notify(n: Notification): Promise<void> {
    const line = `${safeStringify({ at: this.options.clock.now().toISOString(), ...n })}\n`;
    const level = n.severity === 'CRITICAL' ? 'error' : n.severity === 'WARNING' ? 'warn' : 'info';
    this.options.logger?.[level](`notify ${n.audience.join(',')}: ${n.subject}`, { severity: n.severity, audience: n.audience, ...(n.correlationId === undefined ? {} : { correlationId: n.correlationId }) });
    const write = this.tail.then(async () => {
      this.dirReady ??= mkdir(dirname(this.options.file), { recursive: true });
      await this.dirReady;
      await appendFile(this.options.file, line, 'utf8');
    });
    // Keep the chain alive after a failed write; the caller still sees its own failure.
    this.tail = write.catch(() => undefined);
    return write;
  }
}
