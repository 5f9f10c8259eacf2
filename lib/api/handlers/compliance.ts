import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import { getComplianceStatus, listComplianceAlerts, ListAlertsQuerySchema, logComplianceAction, ReviewAlertInputSchema, reviewMarAlert } from '../../app/surveillance/compliance-alerts.js';

export { ListAlertsQuerySchema };
export const AlertParamsSchema = ReviewAlertInputSchema;
export const ComplianceActionBodySchema = z.strictObject({
  action: z.string().trim().min(1).max(200),
  /** Who acts: optional, filled from the token; when given it must be the token's user. */
  actor: ActingPersonSchema,
  note: z.string().max(4000).optional(),
});

const notFound = (code: string, message: string): ApiResponse => ({ status: code === 'SURVEILLANCE.ALERT_NOT_FOUND' ? 404 : 409, body: { error: code, message } });

/** `GET /api/compliance/alerts` — alert summaries, filterable by status, severity and type. */
export async function complianceAlerts(input: { query: z.infer<typeof ListAlertsQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const r = await listComplianceAlerts({ alerts: deps.stores.complianceAlerts }, input.query);
  return { status: 200, body: { count: r.alerts.length, ...r } };
}

/** `GET /api/compliance/status` — counts by status and severity, the oldest open alert. */
export async function complianceStatus(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  return { status: 200, body: await getComplianceStatus({ alerts: deps.stores.complianceAlerts, clock: deps.clock }) };
}

/** `GET /api/compliance/alerts/{alertId}` — one alert with its evidence and history (review_mar_alert.py). */
export async function complianceAlert(input: { params: z.infer<typeof AlertParamsSchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const r = await reviewMarAlert({ alerts: deps.stores.complianceAlerts }, input.params);
  return r.ok ? { status: 200, body: r.value } : notFound(r.error.code, r.error.message);
}

/** `POST /api/compliance/alerts/{alertId}/actions` — record an action (log_compliance_action.py); audited. */
export async function complianceAction(input: { params: z.infer<typeof AlertParamsSchema>; body: z.infer<typeof ComplianceActionBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const { deps } = ctx;
  const actor = actingUser(ctx, input.body.actor, 'actor');
  const r = await logComplianceAction({ alerts: deps.stores.complianceAlerts, audit: deps.stores.audit, publisher: deps.publisher, ids: deps.newId, clock: deps.clock }, { alertId: input.params.alertId, ...input.body, actor });
  return r.ok ? { status: 200, body: r.value } : notFound(r.error.code, r.error.message);
}
