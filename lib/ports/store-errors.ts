import { TradeOpsError } from '../core/shared/errors.js';

/**
 * Error codes every state-store adapter (DynamoDB, memory) raises beside the ports' own: lost
 * conditional writes are `ConcurrencyError`s with the port's codes (`STATE.VERSION_CONFLICT`,
 * `ORDER.DUPLICATE`, …); everything else becomes one of these. Here, not in an adapter, so the memory
 * adapters raise the same errors without importing the DynamoDB one (and the AWS SDK with it).
 */
export const StoreErrorCode = {
  /** Throttled, network failure, or the service answered 5xx after the SDK's retries. */
  UNAVAILABLE: 'STORE.UNAVAILABLE',
  /** The request was refused (validation, missing table, access denied): a bug or misconfiguration. */
  REQUEST_FAILED: 'STORE.REQUEST_FAILED',
  /** A stored record does not parse with its core schema. */
  CORRUPT_RECORD: 'STORE.CORRUPT_RECORD',
  /** An update or commission targeted a record that does not exist. */
  NOT_FOUND: 'STORE.NOT_FOUND',
  /** The audit append lost the race too many times in a row. */
  AUDIT_CONTENTION: 'AUDIT.APPEND_CONTENTION',
} as const;

export class StoreError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}
