import { IncidentCode, resolutionRefusal, type Incident } from '../../core/kill-switch/incident.js';
import { err, ok, type Result } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { AuditLog, TradingStateStore } from '../../ports/stores.js';

/**
 * Closes an incident (runbook SEV1 steps 6-7: resolve, recover): who, when and how go on the
 * record, its timeline and the audit chain. Refused while the halt that opened it is still in
 * force, and for an incident already resolved (two people resolving at once: one wins).
 * @example await resolveIncident(deps, { id: 'INC-01KB…', by: 'jane.smith', resolution: 'runaway strategy disabled; unlocked REQ-…' })
 */
export async function resolveIncident(
  deps: { incidents: IncidentStore; tradingState: TradingStateStore; audit: AuditLog; clock: Clock },
  req: { id: string; by: string; resolution: string; correlationId?: string },
): Promise<Result<Incident, { code: string; message: string }>> {
  const incident = await deps.incidents.get(req.id);
  if (incident === undefined) return err({ code: IncidentCode.NOT_FOUND, message: `no incident ${req.id}` });
  const refusal = resolutionRefusal(incident, await deps.tradingState.get());
  if (refusal !== undefined) return err(refusal);
  const at = deps.clock.now().toISOString();
  const resolved = await deps.incidents.resolve(req.id, { resolvedBy: req.by, resolvedAt: at, resolution: req.resolution }, { at, by: req.by, event: 'INCIDENT_RESOLVED', detail: { resolution: req.resolution } });
  if (resolved === undefined) return err({ code: IncidentCode.ALREADY_RESOLVED, message: `${req.id} was resolved by someone else meanwhile` });
  await deps.audit.append({ actor: req.by, action: 'INCIDENT_RESOLVED', subject: `incident:${req.id}`, ...(req.correlationId === undefined ? {} : { correlationId: req.correlationId }), data: { severity: incident.severity, resolution: req.resolution, openedAt: incident.openedAt } });
  return ok(resolved);
}
