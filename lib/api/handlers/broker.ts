import { z } from 'zod';
import type { BrokerReconciled } from '../../core/broker/reconciliation.js';
import type { ComponentHealth } from '../../core/health/health.js';
import { HttpError } from '../http-error.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import type { ApiResponse, RequestContext } from '../route-spec.js';

/** `POST /api/broker/reconcile` body: who asks (bound to the token) and, after checking, whether to take the broker's positions as the truth. */
export const ReconcileBodySchema = z
  .strictObject({
    operator: ActingPersonSchema,
    /** The operator has confirmed a position difference and accepts the broker's positions as the new baseline. */
    accept_broker_positions: z.boolean().optional(),
  })
  .optional();

export const ReconciliationQuerySchema = z.strictObject({
  /** The correlation id `POST /api/broker/reconcile` answered with: `pending` until that run's result is in. */
  correlation_id: z.string().min(1).max(128).optional(),
});

/** The bridge's last reconciliation as it wrote it into its heartbeat (`component: 'broker'`). */
export function reconciliationOf(broker: ComponentHealth | undefined): (BrokerReconciled & { correlationId?: string }) | undefined {
  const r = broker?.detail['reconciliation'];
  return typeof r === 'object' && r !== null ? (r as BrokerReconciled & { correlationId?: string }) : undefined;
}

/**
 * `POST /api/broker/reconcile` (operator) — the runbook's reconcile_orders.py: asks the bridge to
 * reconcile orders, executions and positions now (a `Reconcile` command on the gateway queue).
 * 202 `{"correlation_id", "poll"}`; the result arrives as BrokerReconciled and in
 * `GET /api/broker/reconciliation?correlation_id=…`. While the broker is away the next login's
 * reconciliation answers it.
 */
export async function requestReconcile(input: { body: z.infer<typeof ReconcileBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const { deps } = ctx;
  const operator = actingUser(ctx, input.body?.operator, 'operator');
  if (deps.commands === undefined) throw new HttpError(503, 'BROKER.NO_COMMAND_QUEUE', 'this runtime has no gateway command queue wired to the API');
  const correlationId = `reconcile-${deps.newId()}`;
  const accept = input.body?.accept_broker_positions === true;
  await deps.commands.send({ kind: 'Reconcile', correlationId: correlationId as never, issuedAt: deps.clock.now().toISOString(), issuedBy: operator, ...(accept ? { acceptBrokerPositions: true } : {}) });
  ctx.logger.info('broker reconciliation requested', { operator, correlationId, acceptBrokerPositions: accept });
  return { status: 202, body: { correlation_id: correlationId, requested_by: operator, accept_broker_positions: accept, poll: `/api/broker/reconciliation?correlation_id=${correlationId}` } };
}

/**
 * `GET /api/broker/reconciliation` (viewer) — the last reconciliation: aligned or not, what
 * differs, external orders adopted, orders resolved, fills recovered, the broker's positions;
 * plus the broker's connection and maintenance state. 404 before the first one; with
 * `correlation_id`, 202 `{"status":"pending"}` until that request's run has reported.
 */
export async function lastReconciliation(input: { query: z.infer<typeof ReconciliationQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const broker = (await deps.stores.health.list()).find((h) => h.component === 'broker');
  const last = reconciliationOf(broker);
  const connection = {
    connected: broker?.detail['connected'] === true,
    reconciled: broker?.detail['reconciled'] === true,
    broker_maintenance: broker?.detail['broker_maintenance'] === true,
    ...(typeof broker?.detail['maintenance_window'] === 'string' ? { maintenance_window: broker.detail['maintenance_window'] } : {}),
    observed_at: broker?.observedAt,
  };
  const wanted = input.query.correlation_id;
  if (wanted !== undefined && last?.correlationId !== wanted) return { status: 202, body: { status: 'pending', correlation_id: wanted, broker: connection } };
  if (last === undefined) throw new HttpError(404, 'BROKER.NO_RECONCILIATION', 'the bridge has not reported a reconciliation yet (is it connected?)');
  return { status: 200, body: { status: 'done', correlation_id: last.correlationId, ...last, broker: connection } };
}
