import { TradeOpsError } from '../core/shared/errors.js';

/**
 * An expected refusal a handler raises with its HTTP status (403 identity mismatch, 409 conflict…);
 * the dispatcher answers `{ error: code, message, details }` with that status.
 * @example throw new HttpError(403, 'AUTH.IDENTITY_MISMATCH', 'operator "john.doe" is not the caller "jane.smith"')
 */
export class HttpError extends TradeOpsError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    options?: { details?: Record<string, unknown> },
  ) {
    super(code, message, options);
    this.name = 'HttpError';
  }
}
