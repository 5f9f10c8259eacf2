import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import { IncidentCode, IncidentIdSchema } from '../../core/kill-switch/incident.js';
import { resolveIncident } from '../../app/kill-switch/resolve-incident.js';

export const IncidentParamsSchema = z.strictObject({ incidentId: IncidentIdSchema });
export const ResolveIncidentBodySchema = z.strictObject({
  resolution: z.string().trim().min(1, 'what was done (goes to the incident and the audit log)').max(2000),
  operator: ActingPersonSchema,
});

/** `GET /api/incidents` — the open incidents, oldest first (SEV1 from the kill switch, SEV2 from strategy halts). */
export async function openIncidents(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const incidents = await deps.stores.incidents.listOpen();
  return { status: 200, body: { count: incidents.length, incidents } };
}

/** `GET /api/incidents/{incidentId}` — one incident with its whole timeline. */
export async function incident(input: { params: z.infer<typeof IncidentParamsSchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const found = await deps.stores.incidents.get(input.params.incidentId);
  return found === undefined ? { status: 404, body: { error: IncidentCode.NOT_FOUND, message: `no incident ${input.params.incidentId}` } } : { status: 200, body: found };
}

/** `POST /api/incidents/{incidentId}/resolve` — 409 while its halt is in force or once resolved. */
export async function resolveIncidentRoute(input: { params: z.infer<typeof IncidentParamsSchema>; body: z.infer<typeof ResolveIncidentBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, input.body.operator, 'operator');
  const { deps } = ctx;
  const r = await resolveIncident({ incidents: deps.stores.incidents, tradingState: deps.stores.tradingState, audit: deps.stores.audit, clock: deps.clock }, { id: input.params.incidentId, by, resolution: input.body.resolution, correlationId: ctx.correlationId });
  if (r.ok) return { status: 200, body: r.value };
  return { status: r.error.code === IncidentCode.NOT_FOUND ? 404 : 409, body: { error: r.error.code, message: r.error.message } };
}
