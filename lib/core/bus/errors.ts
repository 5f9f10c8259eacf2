import { TradeOpsError } from '../shared/errors.js';

/** Stable codes of event bus operations. */
export const BusOperationsErrorCode = {
  UNKNOWN_CONSUMER: 'BUS.UNKNOWN_CONSUMER',
  NOT_SUPPORTED: 'BUS.NOT_SUPPORTED',
  ARCHIVE_FAILED: 'BUS.ARCHIVE_FAILED',
} as const;

/** A refused bus operation; `details.known` lists the consumers when one is unknown. */
export class BusOperationsError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'BusOperationsError';
  }
}
