import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { HttpError } from '../http-error.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import { requestShutdown, requestStartup } from '../../app/lifecycle/request-lifecycle.js';
import { archiveSession } from '../../app/lifecycle/archive-session.js';
import { reviewPendingAlerts } from '../../app/lifecycle/pending-alerts.js';
import type { SystemPhaseRecord } from '../../core/lifecycle/phase.js';

const Reason = z.string().trim().min(1).max(500);

/** `POST /api/system/shutdown` — the runbook posts it without a body: the reason defaults, the operator comes from the token. */
export const ShutdownBodySchema = z
  .strictObject({
    reason: Reason.optional(),
    /** How long to wait for the working orders to finish before reporting a timed-out drain; default from config. */
    timeout_s: z.number().int().min(1).max(86_400).optional(),
    operator: ActingPersonSchema,
  })
  .optional();

export const StartupBodySchema = z.strictObject({ reason: Reason.optional(), operator: ActingPersonSchema }).optional();

const isCalendarDate = (d: string) => {
  const t = Date.parse(`${d}T12:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
export const ArchiveSessionBodySchema = z
  .strictObject({
    /** The trading day to archive (`YYYY-MM-DD`, New York); default today. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date').optional(),
    operator: ActingPersonSchema,
  })
  .optional();

function lifecycleOf(ctx: RequestContext) {
  const l = ctx.deps.lifecycle;
  if (!l) throw new HttpError(503, 'LIFECYCLE.NOT_WIRED', 'the lifecycle workflows are not wired in this runtime');
  return l;
}

const refusal = (e: { code: string; message: string; kind: 'refused' | 'not_started' }): never => {
  throw new HttpError(e.kind === 'refused' ? 409 : 503, e.code, e.message);
};

/** The phase record as the runbook's scripts read it: snake case, like /api/system/status. */
function phaseBody(record: SystemPhaseRecord | undefined) {
  if (!record) return { phase: null, since: null, by: null, reason: 'the lifecycle has never run here: new orders are admitted by the trading state alone', version: null };
  const d = record.drain;
  const s = record.startup;
  return {
    phase: record.phase,
    since: record.since,
    by: record.by,
    reason: record.reason,
    version: record.version,
    drain: d ? { drain_id: d.drainId, requested_at: d.requestedAt, timeout_s: d.timeoutS, deadline: d.deadline, timed_out: d.timedOut, working_orders: d.workingOrders ?? [], finished_at: d.finishedAt ?? null } : null,
    startup: s
      ? {
          run_id: s.runId,
          status: s.status,
          started_at: s.startedAt,
          started_by: s.startedBy,
          finished_at: s.finishedAt ?? null,
          failed_step: s.failedStep ?? null,
          error: s.error ?? null,
          steps: s.steps.map((x) => ({ step: x.step, status: x.status, at: x.at, summary: x.summary, code: x.code ?? null, findings: x.findings ?? {} })),
        }
      : null,
  };
}

/** `POST /api/system/shutdown` → 202 DRAINING; the shutdown workflow then waits for the working orders (→ STOPPED) or the timeout (stays DRAINING, `timed_out`). */
export async function shutdown(input: { body: z.infer<typeof ShutdownBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, input.body?.operator, 'operator');
  const l = lifecycleOf(ctx);
  const timeoutS = input.body?.timeout_s ?? l.defaultDrainTimeoutS;
  const r = await requestShutdown({ stores: ctx.deps.stores, starter: l.starter, clock: ctx.deps.clock, newId: ctx.deps.newId }, { by, reason: input.body?.reason ?? 'graceful shutdown', timeoutS, pollSeconds: l.pollSeconds });
  if (!r.ok) return refusal(r.error);
  const pending = (await ctx.deps.stores.orders.listWorking()).length;
  return { status: 202, body: { ...phaseBody(r.value.record), pending_orders: pending, execution_id: r.value.executionId } };
}

/** `POST /api/system/startup` → 202 STARTING with the run id; the startup workflow's steps show in `GET /api/system/state`. */
export async function startup(input: { body: z.infer<typeof StartupBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, input.body?.operator, 'operator');
  const l = lifecycleOf(ctx);
  const r = await requestStartup({ stores: ctx.deps.stores, starter: l.starter, clock: ctx.deps.clock, newId: ctx.deps.newId }, { by, reason: input.body?.reason ?? 'startup' });
  if (!r.ok) return refusal(r.error);
  return { status: 202, body: { ...phaseBody(r.value.record), run_id: r.value.runId, execution_id: r.value.executionId } };
}

/** `GET /api/system/state` — the lifecycle phase with who, when, why; the drain; the last startup run; pending orders; the trading state beside it. */
export async function systemState(_input: unknown, ctx: RequestContext): Promise<ApiResponse> {
  const [record, working, trading] = await Promise.all([ctx.deps.stores.systemPhase.get(), ctx.deps.stores.orders.listWorking(), ctx.deps.stores.tradingState.get()]);
  return {
    status: 200,
    body: {
      ...phaseBody(record),
      accepting_new_orders: record === undefined || record.phase === 'READY',
      pending_orders: working.length,
      trading_state: trading?.mode ?? 'UNINITIALISED',
      env: ctx.deps.env,
    },
  };
}

/** `POST /api/system/archive_session` — the day's orders, fills, trades, positions and audit head into the backup bucket, with a sha256 manifest. */
export async function archiveSessionRoute(input: { body: z.infer<typeof ArchiveSessionBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, input.body?.operator, 'operator');
  const l = lifecycleOf(ctx);
  const a = await archiveSession({ stores: ctx.deps.stores, blobs: l.archive, clock: ctx.deps.clock }, { date: input.body?.date, by });
  return { status: 201, body: { date: a.date, prefix: a.prefix, manifest_key: a.manifestKey, files: a.files, audit_head: a.auditHead } };
}

/** `GET /api/system/pending_alerts` — compliance alerts not closed and active risk alerts; `critical` lists those that block READY (the startup's rule). */
export async function pendingAlerts(_input: unknown, ctx: RequestContext): Promise<ApiResponse> {
  const r = await reviewPendingAlerts(ctx.deps.stores);
  return { status: 200, body: { compliance: r.compliance, risk: r.risk, critical: r.critical, count: r.compliance.length + r.risk.length, critical_count: r.critical.length } };
}
