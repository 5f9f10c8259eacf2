import { TradeOpsError } from '../../../lib/core/shared/errors.js';

/**
 * A broker message we cannot translate into our types (missing id, fractional shares, bad time).
 * The message is logged and reported as a BrokerNotice; it never crashes the bridge.
 * @example
 * throw new MappingError('MAPPING.BAD_TIME', 'cannot parse exec time "x"', { value: 'x' });
 */
export class MappingError extends TradeOpsError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? undefined : { details });
    this.name = 'MappingError';
  }
}
