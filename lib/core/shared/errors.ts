/**
 * Base of every TradeOps error. The `code` is stable and survives a queue, a Step Functions
 * `Catch` or a JSON response, where `instanceof` does not.
 * @example
 * throw new InvariantError('ORDER.ILLEGAL_TRANSITION', 'cannot go from FILLED to SUBMITTED');
 */
export class TradeOpsError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TradeOpsError';
    this.code = code;
    this.details = options?.details;
  }
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

/** A broken invariant: the service that hits one should crash, restart and reconcile. */
export class InvariantError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'InvariantError';
  }
}

/** Input that failed validation at a boundary (config, API body, broker message we keep). */
export class ValidationError extends TradeOpsError {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;
  constructor(code: string, message: string, issues: ReadonlyArray<{ path: string; message: string }>, options?: { cause?: unknown }) {
    super(code, message, { ...options, details: { issues } });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** A conditional write lost a race (optimistic concurrency); the caller re-reads and decides. */
export class ConcurrencyError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'ConcurrencyError';
  }
}

/** Expected outcomes are results, not exceptions (STYLE.md §10). */
export type Result<T, E = { code: string; message: string }> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
