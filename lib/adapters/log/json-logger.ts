import type { Clock } from '../../core/shared/clock.js';
import type { Logger } from '../../ports/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Where lines go: `process.stdout`, a file stream, or an array-backed sink in tests. */
  stream: { write(chunk: string): unknown };
  clock?: Clock;
  /** Lines below this level are dropped; default `info`. */
  level?: LogLevel;
  /** Bound to every line (component, correlationId, env …). */
  fields?: Record<string, unknown>;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/**
 * One JSON object per line — `level`, `time`, `msg`, then `component` and `correlationId` when
 * bound, then the rest — the shape CloudWatch Logs Insights and Powertools Logger use, so local
 * logs and Lambda logs read the same.
 * @example
 * const log = new JsonLogger({ stream: process.stdout, level: 'info' }).child({ component: 'gateway' });
 * log.info('order submitted', { correlationId, clientOrderId });
 * // {"level":"INFO","time":"2026-11-26T14:30:00.000Z","msg":"order submitted","component":"gateway","correlationId":"c-1","clientOrderId":"CO-1"}
 */
export class JsonLogger implements Logger {
  private readonly clock: Clock;
  private readonly minRank: number;
  private readonly fields: Record<string, unknown>;

  constructor(private readonly options: JsonLoggerOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.minRank = RANK[options.level ?? 'info'];
    this.fields = options.fields ?? {};
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger({ ...this.options, clock: this.clock, fields: { ...this.fields, ...fields } });
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.minRank) return;
    const merged = { ...this.fields, ...fields };
    const { component, correlationId, ...rest } = merged;
    const line = {
      level: level.toUpperCase(),
      time: this.clock.now().toISOString(),
      msg,
      ...(component === undefined ? {} : { component }),
      ...(correlationId === undefined ? {} : { correlationId }),
      ...rest,
    };
    // A logger must never throw into the code that logs.
    try {
      this.options.stream.write(`${safeStringify(line)}\n`);
    } catch {
      /* the stream is gone (shutdown); nothing sensible to do with the line */
    }
  }
}

/** JSON with Errors expanded, bigints as strings and cycles cut. @internal */
export function safeStringify(value: unknown): string {
  // Most lines hold only strings and numbers: nothing to expand or cut, and the replacer below
  // (a call per value) is the cost of the whole line.
  if (isFlatJson(value)) return JSON.stringify(value);
  const seen = new WeakSet<object>();
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // `v` is already the result of toJSON() (TradeOpsError has one); expand the raw Error instead.
    const raw = this[key];
    if (typeof v === 'bigint') return v.toString();
    if (raw instanceof Error) {
      const e = raw as Error & { code?: unknown; details?: unknown };
      return { name: e.name, message: e.message, ...(e.code === undefined ? {} : { code: e.code }), ...(e.details === undefined ? {} : { details: e.details }), stack: e.stack };
    }
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return v;
  });
}

/** A plain object whose values are all strings, finite-or-not numbers, booleans, null or undefined. */
function isFlatJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    const t = typeof v;
    if (v !== null && t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'undefined') return false;
  }
  return true;
}
