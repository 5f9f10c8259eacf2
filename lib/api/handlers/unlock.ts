import { z } from 'zod';
import { cancelUnlockRequest, approveUnlockRequest, executeUnlock, requestUnlock } from '../../app/unlock/unlock-service.js';
import type { UnlockDeps } from '../../app/unlock/unlock-deps.js';
import { UnlockRequestIdSchema, UnlockStatusSchema, UnlockTargetModeSchema, type UnlockRequest } from '../../core/controls/unlock-request.js';
import { approvalsOutstanding, UnlockRefusalCode, type UnlockRefusal } from '../../core/controls/unlock-rules.js';
import { HttpError } from '../http-error.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import type { ApiResponse, RequestContext } from '../route-spec.js';

/**
 * The two-person unlock over HTTP (runbook "Kill Switch Deactivation"). Identities come from the
 * token (`requestor` / `approver` in the body are optional and must match it); who may approve is
 * config (`controls.unlock.approverRoles`), checked here beyond the route's coarse role.
 */

/** Who may call the unlock's state-changing routes at all; the use cases then apply config's finer roles (admin implied). */
export const UNLOCK_ACTING_ROLES = ['operator', 'risk_manager', 'compliance'] as const;

/** @example { "requestor": "john.doe", "reason": "broker reconnected, positions verified", "target_mode": "ACTIVE" } */
export const UnlockRequestBodySchema = z.strictObject({
  requestor: ActingPersonSchema,
  reason: z.string().max(1000).default(''),
  target_mode: UnlockTargetModeSchema.default('ACTIVE'),
});

/** @example { "approver": "jane.smith", "request_id": "REQ-01JDX7Q8ZK0000000000000001" } */
export const UnlockApproveBodySchema = z.strictObject({
  approver: ActingPersonSchema,
  request_id: UnlockRequestIdSchema,
});

export const UnlockRequestParamsSchema = z.strictObject({ requestId: UnlockRequestIdSchema });
export const UnlockListQuerySchema = z.strictObject({
  status: UnlockStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Refusal code → HTTP status: identity and role refusals are 403, a request past its time 410, state conflicts 409. */
const STATUS_OF: Readonly<Record<string, number>> = {
  [UnlockRefusalCode.SELF_APPROVAL]: 403,
  [UnlockRefusalCode.APPROVER_ROLE]: 403,
  [UnlockRefusalCode.REQUESTOR_ROLE]: 403,
  [UnlockRefusalCode.CANCEL_NOT_ALLOWED]: 403,
  [UnlockRefusalCode.EXPIRED]: 410,
  [UnlockRefusalCode.NOT_FOUND]: 404,
  [UnlockRefusalCode.DUPLICATE_APPROVAL]: 409,
  [UnlockRefusalCode.REQUEST_CLOSED]: 409,
  [UnlockRefusalCode.HALT_CHANGED]: 409,
  [UnlockRefusalCode.NOT_HALTED]: 409,
  [UnlockRefusalCode.REQUEST_OPEN]: 409,
};

function refused(e: UnlockRefusal): ApiResponse {
  return { status: STATUS_OF[e.code] ?? 409, body: { error: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) } };
}

function unlockDeps(ctx: RequestContext): UnlockDeps {
  const u = ctx.deps.unlock;
  if (u === undefined) throw new HttpError(503, 'UNLOCK.UNAVAILABLE', 'the two-person unlock is not wired in this runtime');
  return u;
}

/**
 * A request as people see it. The workflow's task token is never shown: Step Functions lets
 * whoever holds it complete the wait, so it stays between the store and the approval use case.
 */
export function unlockView(r: UnlockRequest) {
  const outstanding = r.status === 'PENDING' ? approvalsOutstanding(r) : undefined;
  return {
    request_id: r.requestId,
    status: r.status,
    requestor: r.requestor,
    reason: r.reason,
    target_mode: r.targetMode,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    approvals_required: r.approvalsRequired,
    approvals: r.approvals.map((a) => ({ approver: a.approver, at: a.at, roles: a.roles })),
    outstanding: outstanding?.message ?? null,
    halt: { version: r.halt.version, activated_by: r.halt.activatedBy, activated_at: r.halt.activatedAt, reason: r.halt.reason },
    preconditions: r.preconditions ?? null,
    blocked: r.status === 'APPROVED' && r.preconditions !== undefined && !r.preconditions.ok,
    outcome: r.outcome ?? null,
    executed: r.executed ?? null,
  };
}

/** `POST /api/system/unlock_request` — person 1: 202 with the request id; approvers are notified. */
export async function postUnlockRequest(input: { body: z.infer<typeof UnlockRequestBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const requestor = actingUser(ctx, input.body.requestor, 'requestor');
  const r = await requestUnlock(unlockDeps(ctx), { requestor, roles: ctx.identity?.roles ?? [], reason: input.body.reason, targetMode: input.body.target_mode, correlationId: ctx.correlationId });
  if (!r.ok) return refused(r.error);
  const view = unlockView(r.value.request);
  return { status: 202, body: { request_id: view.request_id, status: view.status, expires_at: view.expires_at, outstanding: view.outstanding, workflow: r.value.workflow, request: view } };
}

/** `POST /api/system/unlock_approve` — person 2: 200 with what is still outstanding, or what the execution did. */
export async function postUnlockApprove(input: { body: z.infer<typeof UnlockApproveBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const approver = actingUser(ctx, input.body.approver, 'approver');
  const r = await approveUnlockRequest(unlockDeps(ctx), { requestId: input.body.request_id, approver, roles: ctx.identity?.roles ?? [], correlationId: ctx.correlationId });
  if (!r.ok) return refused(r.error);
  const view = unlockView(r.value.request);
  const e = r.value.execution;
  return {
    status: 200,
    body: {
      request_id: view.request_id,
      status: view.status,
      approvals: view.approvals.map((a) => a.approver),
      outstanding: r.value.request.status === 'PENDING' ? r.value.outstanding : null,
      // With a workflow waiting, the approval hands over and the workflow executes; without, it ran here.
      executed: e?.executed ?? (view.status === 'EXECUTED'),
      blocked_by: e?.blockedBy ?? null,
      request: view,
    },
  };
}

/** `GET /api/system/unlock_requests` — newest first. */
export async function listUnlockRequests(input: { query: z.infer<typeof UnlockListQuerySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const requests = await unlockDeps(ctx).requests.list({ statuses: input.query.status === undefined ? undefined : [input.query.status], limit: input.query.limit });
  return { status: 200, body: { count: requests.length, requests: requests.map(unlockView) } };
}

/** `GET /api/system/unlock_requests/{requestId}`. */
export async function getUnlockRequest(input: { params: z.infer<typeof UnlockRequestParamsSchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const r = await unlockDeps(ctx).requests.get(input.params.requestId);
  if (r === undefined) return refused({ code: UnlockRefusalCode.NOT_FOUND, message: `no unlock request ${input.params.requestId}` });
  return { status: 200, body: unlockView(r) };
}

/**
 * `POST /api/system/unlock_requests/{requestId}/retry` — re-checks the preconditions of an approved
 * request now (after fixing what blocked it) and executes if they hold. Grants nothing: only an
 * APPROVED request can execute. Audited with the caller.
 */
export async function retryUnlockRequest(input: { params: z.infer<typeof UnlockRequestParamsSchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, undefined, 'operator');
  const deps = unlockDeps(ctx);
  if ((await deps.requests.get(input.params.requestId)) === undefined) return refused({ code: UnlockRefusalCode.NOT_FOUND, message: `no unlock request ${input.params.requestId}` });
  const o = await executeUnlock(deps, { requestId: input.params.requestId, correlationId: ctx.correlationId, trigger: 'retry', by });
  return { status: 200, body: { request_id: o.request.requestId, status: o.request.status, executed: o.executed, blocked_by: o.blockedBy ?? null, request: unlockView(o.request) } };
}

export const UnlockCancelBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'why the request is withdrawn (audited)').max(1000),
  operator: ActingPersonSchema,
});

/**
 * `POST /api/system/unlock_requests/{requestId}/cancel` — withdraws an open request (its requestor,
 * or anyone who may approve it); trading stays HALTED. 403 for anyone else, 409 once finished.
 */
export async function cancelUnlockRoute(input: { params: z.infer<typeof UnlockRequestParamsSchema>; body: z.infer<typeof UnlockCancelBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const by = actingUser(ctx, input.body.operator, 'operator');
  const r = await cancelUnlockRequest(unlockDeps(ctx), { requestId: input.params.requestId, by, roles: ctx.identity?.roles ?? [], reason: input.body.reason, correlationId: ctx.correlationId });
  if (!r.ok) return refused(r.error);
  return { status: 200, body: { request_id: r.value.requestId, status: r.value.status, request: unlockView(r.value) } };
}
