import { TradeOpsError } from '../../lib/core/shared/errors.js';

/**
 * Errors of the broker bridge, each with a stable code:
 * - `GATEWAY.NOT_CONNECTED` — no logged-in session; the command is NACKed for redelivery.
 * - `GATEWAY.CONNECT_TIMEOUT` — TCP accepted but no login (nextValidId + accounts) in time.
 * - `GATEWAY.CONNECT_FAILED` — refused, closed during the handshake, or 326.
 * - `GATEWAY.SESSION_ENDED` — the session died before a queued message was handed to the socket.
 * - `GATEWAY.PACER_CLOSED`, `GATEWAY.STOPPED` — shutting down.
 * - `GATEWAY.CONFIG_INVALID` — a bad option.
 * @example
 * throw new GatewayError('GATEWAY.NOT_CONNECTED', 'broker unavailable for 5000 ms');
 */
export class GatewayError extends TradeOpsError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'GatewayError';
  }
}
