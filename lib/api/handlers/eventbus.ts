import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import type { BusOperations, ConsumerFigures } from '../../ports/bus-operations.js';
import { BUS_THRESHOLDS, slowestFirst } from '../../core/bus/consumer-health.js';
import { BusOperationsError, BusOperationsErrorCode } from '../../core/bus/errors.js';
import { DROPPABLE_WHEN_STALE } from '../../core/events/catalog.js';
import { clearStaleEvents, DEFAULT_STALE_AFTER_MS, restartAgent } from '../../app/eventbus/bus-operations.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import { HttpError } from '../http-error.js';

/** `POST /api/eventbus/clear_stale` — both fields optional, so the runbook's bare `curl -X POST` works (with a token). */
export const ClearStaleBodySchema = z
  .strictObject({
    /** Only events published at least this long ago go; default 60 s. 0 clears every queued droppable event. */
    older_than_ms: z.number().int().min(0).max(7 * 24 * 60 * 60 * 1000).optional(),
    operator: ActingPersonSchema,
  })
  .optional();

// Any plausible name reaches the handler, so the runbook's `restart/slow_agent` gets a 404 listing the real agents.
export const AgentParamsSchema = z.strictObject({ agent: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an agent name such as audit-recorder') });

function opsOf(ctx: RequestContext): BusOperations {
  const ops = ctx.deps.busOperations;
  if (ops === undefined) throw new HttpError(503, 'BUS.OPERATIONS_UNAVAILABLE', 'event bus operations are not wired in this runtime');
  return ops;
}

/** Snake-case figures of one consumer, as the runbook's curl reads them. */
function consumerBody(c: ConsumerFigures) {
  return {
    consumer: c.consumer,
    rule: c.rule,
    status: c.status,
    backlog: c.backlog,
    oldest_age_ms: c.oldestAgeMs,
    in_flight: c.inFlight,
    delivered: c.delivered,
    failed: c.failed,
    retries: c.retries,
    latency_ms: c.latencyMs === null ? null : { p50: c.latencyMs.p50, p99: c.latencyMs.p99, samples: c.latencyMs.samples },
    dlq_depth: c.dlqDepth,
    restarts: c.restarts,
    last_delivery_at: c.lastDeliveryAt,
  };
}

/** `GET /api/eventbus/stats` — per consumer backlog, oldest age, latency p50/p99, DLQ depth; `backlog_total` for the runbook's "> 1000" check. */
export async function eventbusStats(_input: unknown, ctx: RequestContext): Promise<ApiResponse> {
  const r = await opsOf(ctx).stats();
  const backlogTotal = r.totals.backlog;
  return {
    status: 200,
    body: {
      runtime: r.runtime,
      observed_at: r.observedAt,
      backlog_total: backlogTotal,
      backlog_threshold: BUS_THRESHOLDS.backlogCritical,
      // The runbook's step 2 as a field: whether clearing is worth considering.
      consider_clear_stale: backlogTotal !== null && backlogTotal > BUS_THRESHOLDS.backlogCritical,
      totals: { backlog: r.totals.backlog, in_flight: r.totals.inFlight, delivered: r.totals.delivered, failed: r.totals.failed, dlq_depth: r.totals.dlqDepth },
      consumers: r.consumers.map(consumerBody),
      unavailable: r.unavailable,
    },
  };
}

/** `GET /api/eventbus/consumers` — each consumer with what it consumes, its concurrency and status, slowest first. */
export async function eventbusConsumers(_input: unknown, ctx: RequestContext): Promise<ApiResponse> {
  const r = await opsOf(ctx).stats();
  const consumers = slowestFirst(r.consumers).map((c) => ({ ...consumerBody(c), detail_types: c.detailTypes, concurrency: c.concurrency, droppable_detail_types: c.detailTypes.filter((t) => (DROPPABLE_WHEN_STALE as ReadonlySet<string>).has(t)) }));
  return { status: 200, body: { runtime: r.runtime, observed_at: r.observedAt, count: consumers.length, order: 'slowest first (oldest waiting event, then backlog, then p99 latency, then DLQ depth)', consumers, unavailable: r.unavailable } };
}

/** `POST /api/eventbus/clear_stale` — drops only stale droppable market data, archived first; audited. */
export async function eventbusClearStale(input: { body: z.infer<typeof ClearStaleBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const operator = actingUser(ctx, input.body?.operator, 'operator');
  const ops = opsOf(ctx);
  const olderThanMs = input.body?.older_than_ms ?? DEFAULT_STALE_AFTER_MS;
  try {
    const r = await clearStaleEvents({ ops, audit: ctx.deps.stores.audit }, { olderThanMs, operator, correlationId: ctx.correlationId });
    return {
      status: 200,
      body: {
        operator,
        older_than_ms: r.olderThanMs,
        cleared: r.cleared,
        by_consumer: r.byConsumer,
        by_detail_type: r.byDetailType,
        archive_key: r.archiveKey ?? null,
        archive_location: r.archiveLocation ?? null,
        droppable_detail_types: [...DROPPABLE_WHEN_STALE],
        ...(r.note === undefined ? {} : { note: r.note }),
      },
    };
  } catch (e) {
    if (e instanceof BusOperationsError && e.code === BusOperationsErrorCode.ARCHIVE_FAILED) throw new HttpError(503, e.code, e.message);
    if (e instanceof BusOperationsError && e.code === BusOperationsErrorCode.NOT_SUPPORTED) throw new HttpError(501, e.code, e.message);
    throw e;
  }
}

/** `POST /api/agents/restart/{agent}` — restarts one agent's subscription, keeping its backlog; audited. 404 lists the known agents. */
export async function restartAgentRoute(input: { params: z.infer<typeof AgentParamsSchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const operator = actingUser(ctx, undefined, 'operator');
  const ops = opsOf(ctx);
  const known = ctx.deps.agents.map((a) => a.name);
  if (!known.includes(input.params.agent)) throw new HttpError(404, BusOperationsErrorCode.UNKNOWN_CONSUMER, `no agent named "${input.params.agent}"; known agents: ${known.join(', ')}`, { details: { known } });
  try {
    const r = await restartAgent({ ops, audit: ctx.deps.stores.audit }, { agent: input.params.agent, operator, correlationId: ctx.correlationId });
    return { status: 200, body: { agent: r.consumer, restarted: r.restarted, operator, kept_backlog: r.keptBacklog, restarts: r.restarts, how: r.how } };
  } catch (e) {
    if (e instanceof BusOperationsError && e.code === BusOperationsErrorCode.UNKNOWN_CONSUMER) throw new HttpError(404, e.code, e.message, e.details === undefined ? undefined : { details: e.details });
    if (e instanceof BusOperationsError && e.code === BusOperationsErrorCode.NOT_SUPPORTED) throw new HttpError(501, e.code, e.message);
    throw e;
  }
}
