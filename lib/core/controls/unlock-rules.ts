import type { UserRole } from '../auth/roles.js';
import { err, ok, type Result } from '../shared/errors.js';
import type { TradingState } from '../trading-state/trading-state.js';
import { isFinished, type PreconditionReport, type UnlockPolicy, type UnlockRequest, type UnlockRequestId, type UnlockTargetMode } from './unlock-request.js';

/**
 * The rules of the two-person unlock, pure: each returns the next record or a refusal with a stable
 * code (the API maps codes to statuses, the audit stores them) and a message a person can act on.
 * Step Functions callbacks carry no approver identity, so every identity rule is enforced here,
 * never by the workflow.
 */
export const UnlockRefusalCode = {
  NOT_HALTED: 'UNLOCK.NOT_HALTED',
  REQUESTOR_ROLE: 'UNLOCK.REQUESTOR_ROLE',
  APPROVER_ROLE: 'UNLOCK.APPROVER_ROLE',
  SELF_APPROVAL: 'UNLOCK.SELF_APPROVAL',
  DUPLICATE_APPROVAL: 'UNLOCK.DUPLICATE_APPROVAL',
  REQUEST_CLOSED: 'UNLOCK.REQUEST_CLOSED',
  EXPIRED: 'UNLOCK.EXPIRED',
  HALT_CHANGED: 'UNLOCK.HALT_CHANGED',
  NOT_FOUND: 'UNLOCK.NOT_FOUND',
  REQUEST_OPEN: 'UNLOCK.REQUEST_OPEN',
  CANCEL_NOT_ALLOWED: 'UNLOCK.CANCEL_NOT_ALLOWED',
  CANCELLED: 'UNLOCK.CANCELLED',
} as const;
export type UnlockRefusalCode = (typeof UnlockRefusalCode)[keyof typeof UnlockRefusalCode];

export interface UnlockRefusal {
  code: UnlockRefusalCode;
  message: string;
  details?: Record<string, unknown>;
}

/** An `admin` may do everything; otherwise one of the listed roles. */
const holdsOneOf = (roles: readonly UserRole[], allowed: readonly UserRole[]): boolean => roles.includes('admin') || roles.some((r) => allowed.includes(r));

export interface OpenUnlockInput {
  requestId: UnlockRequestId;
  requestor: string;
  requestorRoles: readonly UserRole[];
  reason: string;
  targetMode: UnlockTargetMode;
  /** The trading state now; the request binds to its version. */
  state: TradingState | undefined;
  now: Date;
}

/**
 * A new request against the current halt.
 * @example openUnlockRequest({ requestId, requestor: 'john.doe', requestorRoles: ['operator'], reason: 'fixed', targetMode: 'ACTIVE', state, now }, policy)
 */
export function openUnlockRequest(input: OpenUnlockInput, policy: UnlockPolicy): Result<UnlockRequest, UnlockRefusal> {
  if (!holdsOneOf(input.requestorRoles, policy.requestorRoles)) {
    return err({ code: UnlockRefusalCode.REQUESTOR_ROLE, message: `${input.requestor} may not request an unlock: it needs one of the roles ${policy.requestorRoles.join(', ')} (has ${input.requestorRoles.join(', ') || 'none'})`, details: { requiredRoles: policy.requestorRoles } });
  }
  const s = input.state;
  if (s === undefined || s.mode !== 'HALTED') {
    return err({ code: UnlockRefusalCode.NOT_HALTED, message: `trading is not halted (mode ${s?.mode ?? 'unknown'}): there is nothing to unlock`, details: { mode: s?.mode ?? null } });
  }
  return ok({
    requestId: input.requestId,
    requestor: input.requestor,
    reason: input.reason,
    targetMode: input.targetMode,
    status: 'PENDING',
    createdAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + policy.expiryMs).toISOString(),
    approvalsRequired: policy.approvalsRequired,
    approvals: [],
    halt: { version: s.version, activatedBy: s.changedBy, activatedAt: s.changedAt, reason: s.reason },
    version: 0,
  });
}

/** Whether a live request has passed its expiry (it then only moves to EXPIRED). */
export const isExpired = (req: UnlockRequest, now: Date): boolean => !isFinished(req.status) && now.getTime() >= Date.parse(req.expiresAt);

/** Seconds until expiry, at least 1 (Step Functions timeouts are whole seconds ≥ 1). */
export const remainingSeconds = (req: UnlockRequest, now: Date): number => Math.max(1, Math.ceil((Date.parse(req.expiresAt) - now.getTime()) / 1000));

/**
 * What is still missing before the approvals are complete: `count` more distinct approvers, of
 * whom at least one must not be the person who activated the kill switch. M-of-N counts distinct
 * people; the activator may approve, but is never enough alone — someone who did not pull the
 * switch must agree that it is safe to resume.
 */
export function approvalsOutstanding(req: UnlockRequest): { count: number; needsNonActivator: boolean; message: string } {
  const approvers = new Set(req.approvals.map((a) => a.approver));
  const nonActivator = [...approvers].some((a) => a !== req.halt.activatedBy);
  const byCount = Math.max(0, req.approvalsRequired - approvers.size);
  const needsNonActivator = !nonActivator;
  const count = Math.max(byCount, needsNonActivator ? 1 : 0);
  const message = count === 0
    ? 'approvals complete'
    : `${count} more approval${count === 1 ? '' : 's'} needed${needsNonActivator ? `, at least one from someone other than ${req.halt.activatedBy} (who activated the kill switch) and ${req.requestor} (the requestor)` : ''}`;
  return { count, needsNonActivator, message };
}

export interface ApproveInput {
  approver: string;
  approverRoles: readonly UserRole[];
  now: Date;
  /** The trading state now: the approval is refused if the halt it was made for is gone. */
  state: TradingState | undefined;
}

/**
 * One approval. Refused: on a finished or expired request (a replay after the fact), by the
 * requestor, by someone without an approver role, twice by the same person, or when the halt the
 * request was made for has been superseded. Accepted: the approval is added and the request
 * becomes APPROVED once `approvalsOutstanding` is zero.
 * @example approveUnlock(req, { approver: 'jane.smith', approverRoles: ['risk_manager'], now, state }, policy)
 */
export function approveUnlock(req: UnlockRequest, input: ApproveInput, policy: UnlockPolicy): Result<UnlockRequest, UnlockRefusal> {
  const id = req.requestId;
  if (req.status === 'EXPIRED' || isExpired(req, input.now)) {
    return err({ code: UnlockRefusalCode.EXPIRED, message: `${id} expired at ${req.expiresAt}: approvals are only valid within ${Math.round(policy.expiryMs / 60_000)} minutes of the request; make a new request`, details: { expiresAt: req.expiresAt } });
  }
  if (isFinished(req.status)) {
    return err({ code: UnlockRefusalCode.REQUEST_CLOSED, message: `${id} is ${req.status}: it takes no more approvals`, details: { status: req.status } });
  }
  if (req.status !== 'PENDING') {
    return err({ code: UnlockRefusalCode.REQUEST_CLOSED, message: `${id} is already ${req.status}: its approvals are complete`, details: { status: req.status } });
  }
  if (input.approver === req.requestor) {
    return err({ code: UnlockRefusalCode.SELF_APPROVAL, message: `${input.approver} made ${id} and cannot approve it: a second person must approve`, details: { requestor: req.requestor } });
  }
  if (!holdsOneOf(input.approverRoles, policy.approverRoles)) {
    return err({ code: UnlockRefusalCode.APPROVER_ROLE, message: `${input.approver} may not approve an unlock: it needs one of the roles ${policy.approverRoles.join(', ')} (has ${input.approverRoles.join(', ') || 'none'})`, details: { requiredRoles: policy.approverRoles } });
  }
  if (req.approvals.some((a) => a.approver === input.approver)) {
    return err({ code: UnlockRefusalCode.DUPLICATE_APPROVAL, message: `${input.approver} has already approved ${id}: each approver counts once`, details: { approvals: req.approvals.map((a) => a.approver) } });
  }
  const halt = haltSuperseded(req, input.state);
  if (halt !== undefined) return err(halt);
  const next: UnlockRequest = { ...req, approvals: [...req.approvals, { approver: input.approver, at: input.now.toISOString(), roles: [...input.approverRoles] }] };
  return ok(approvalsOutstanding(next).count === 0 ? { ...next, status: 'APPROVED' } : next);
}

/**
 * The refusal when the trading state is no longer the halt the request was made for: a new halt
 * (someone pulled the switch again, maybe for a new reason) or a resume by another path. The
 * approvers agreed to lift *that* halt, not whatever came after.
 */
export function haltSuperseded(req: UnlockRequest, state: TradingState | undefined): UnlockRefusal | undefined {
  if (state !== undefined && state.mode === 'HALTED' && state.version === req.halt.version) return undefined;
  return {
    code: UnlockRefusalCode.HALT_CHANGED,
    message: state?.mode === 'HALTED'
      ? `${req.requestId} was made for the halt at version ${req.halt.version} (by ${req.halt.activatedBy}); trading was halted again since (version ${state.version}, by ${state.changedBy}: ${state.reason}); make a new request`
      : `${req.requestId} was made for the halt at version ${req.halt.version}; trading is no longer halted (mode ${state?.mode ?? 'unknown'}, version ${state?.version ?? '-'})`,
    details: { requestedFor: req.halt.version, current: state === undefined ? null : { mode: state.mode, version: state.version } },
  };
}

/** The request, ended with a code and message (EXPIRED / REFUSED / CANCELLED). */
export function finish(req: UnlockRequest, status: 'EXPIRED' | 'REFUSED' | 'CANCELLED', outcome: { code: string; message: string }, now: Date): UnlockRequest {
  const { taskToken: _dropped, ...rest } = req;
  return { ...rest, status, outcome: { code: outcome.code, message: outcome.message, at: now.toISOString() } };
}

export function expire(req: UnlockRequest, now: Date): UnlockRequest {
  return finish(req, 'EXPIRED', { code: UnlockRefusalCode.EXPIRED, message: `not completed by ${req.expiresAt}; trading stays HALTED` }, now);
}

/** The request after the one conditional write HALTED → target mode succeeded. */
export function markExecuted(req: UnlockRequest, state: TradingState, now: Date): UnlockRequest {
  const { taskToken: _dropped, ...rest } = req;
  return { ...rest, status: 'EXECUTED', executed: { at: now.toISOString(), tradingStateVersion: state.version, mode: req.targetMode } };
}

/** The trading-state record an executed unlock writes: who asked, who approved, why. */
export function resumedTradingState(req: UnlockRequest, now: Date): { mode: UnlockTargetMode; changedAt: string; changedBy: string; reason: string } {
  const approvers = req.approvals.map((a) => a.approver).join(', ');
  return {
    mode: req.targetMode,
    changedAt: now.toISOString(),
    changedBy: req.requestor,
    reason: `unlock ${req.requestId}: requested by ${req.requestor}, approved by ${approvers}${req.reason ? ` — ${req.reason}` : ''}`,
  };
}

/** Whether two reports fail on the same checks (so a repeated check is not a new audit entry). */
export function sameBlockers(a: PreconditionReport | undefined, b: PreconditionReport): boolean {
  const names = (r: PreconditionReport | undefined) => (r?.checks ?? []).filter((c) => !c.ok).map((c) => c.name).sort().join(',');
  return a !== undefined && names(a) === names(b);
}

/**
 * Withdraws an open request (PENDING, or APPROVED but blocked): its requestor may, and so may
 * anyone who could approve it (an approver who sees it should not go ahead). Trading stays HALTED.
 * @example cancelUnlock(req, { by: 'john.doe', roles: ['operator'], reason: 'wrong halt' }, policy, now)
 */
export function cancelUnlock(req: UnlockRequest, input: { by: string; roles: readonly string[]; reason: string }, policy: UnlockPolicy, now: Date): Result<UnlockRequest, UnlockRefusal> {
  if (req.status !== 'PENDING' && req.status !== 'APPROVED') return err({ code: UnlockRefusalCode.REQUEST_CLOSED, message: `${req.requestId} is ${req.status}: nothing to cancel` });
  const mayApprove = input.roles.includes('admin') || input.roles.some((r) => (policy.approverRoles as readonly string[]).includes(r));
  if (input.by !== req.requestor && !mayApprove) {
    return err({ code: UnlockRefusalCode.CANCEL_NOT_ALLOWED, message: `${input.by} neither made ${req.requestId} (${req.requestor} did) nor may approve it (roles ${policy.approverRoles.join(', ')})` });
  }
  return ok(finish(req, 'CANCELLED', { code: UnlockRefusalCode.CANCELLED, message: `cancelled by ${input.by}: ${input.reason}` }, now));
}
