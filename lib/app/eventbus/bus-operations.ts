import type { BusOperations, ClearStaleResult, RestartResult } from '../../ports/bus-operations.js';
import type { AuditLog } from '../../ports/stores.js';

/** What clear_stale drops when the operator names no age: a market snapshot a minute old is long superseded. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

/**
 * Clears stale market data from the bus (archived first, by the port) and records who did it, how
 * much went and where the archive is, in the audit chain.
 * @example await clearStaleEvents({ ops, audit }, { olderThanMs: 60_000, operator: 'jane', correlationId })
 */
export async function clearStaleEvents(deps: { ops: BusOperations; audit: AuditLog }, request: { olderThanMs: number; operator: string; correlationId: string }): Promise<ClearStaleResult> {
  const result = await deps.ops.clearStale({ olderThanMs: request.olderThanMs, correlationId: request.correlationId });
  await deps.audit.append({
    actor: request.operator,
    action: 'EVENTBUS_STALE_CLEARED',
    subject: 'eventbus',
    data: { olderThanMs: result.olderThanMs, cleared: result.cleared, byConsumer: result.byConsumer, byDetailType: result.byDetailType, archiveKey: result.archiveKey ?? null, archiveLocation: result.archiveLocation ?? null },
    correlationId: request.correlationId,
  });
  return result;
}

/**
 * Restarts an agent's subscription and audits it. An unknown agent is refused by the port before
 * anything happens (nothing audited: nothing was done).
 */
export async function restartAgent(deps: { ops: BusOperations; audit: AuditLog }, request: { agent: string; operator: string; correlationId: string }): Promise<RestartResult> {
  const result = await deps.ops.restartConsumer(request.agent);
  await deps.audit.append({
    actor: request.operator,
    action: 'AGENT_RESTARTED',
    subject: `agent:${request.agent}`,
    data: { keptBacklog: result.keptBacklog, restarts: result.restarts, how: result.how },
    correlationId: request.correlationId,
  });
  return result;
}
