import { parseEvent } from '../../core/events/catalog.js';
import type { EventHandler } from '../../ports/events.js';
import type { CioConfig } from '../../core/cio/config.js';
import { runPretrade, type PretradeDeps } from '../pretrade/run-pretrade.js';
import { proposeForSignal, type CioAgentDeps } from './cio-agent.js';

/**
 * The CIO agent as deployed: on `SignalReceived`, propose (or republish) the order, then put it
 * straight through the pre-trade workflow — a direct call, not a second bus hop — so an approved
 * order reaches the gateway queue with one EventBridge hop on the whole path.
 */
export function createCioPipeline(deps: CioAgentDeps & { pretrade: PretradeDeps }, options: { config: CioConfig; accountId?: string; maxQuoteAgeMs?: number }): EventHandler {
  return async (event) => {
    if (event.detailType !== 'SignalReceived') return;
    const e = parseEvent(event);
    if (e.detailType !== 'SignalReceived') return;
    const outcome = await proposeForSignal(deps, options, e.detail.signal, { eventId: e.eventId, correlationId: e.correlationId });
    const log = deps.logger?.child({ correlationId: e.correlationId, signalId: e.detail.signal.signalId });
    if (outcome.kind === 'skipped') {
      log?.info('signal produced no order', { code: outcome.code, message: outcome.message });
      return;
    }
    const r = await runPretrade(deps.pretrade, outcome.order.clientOrderId);
    log?.info('pre-trade decided', { clientOrderId: outcome.order.clientOrderId, decision: r.decision });
  };
}
