import type { UserRole } from '../../core/auth/roles.js';
import { describeBlockers, evaluateUnlockPreconditions, type UnlockFacts } from '../../core/controls/unlock-preconditions.js';
import { isFinished, type PreconditionReport, type UnlockRequest, type UnlockStatus, type UnlockTargetMode } from '../../core/controls/unlock-request.js';
import {
  cancelUnlock,
  approvalsOutstanding,
  approveUnlock,
  expire,
  finish,
  haltSuperseded,
  isExpired,
  markExecuted,
  openUnlockRequest,
  remainingSeconds,
  resumedTradingState,
  sameBlockers,
  UnlockRefusalCode,
  type UnlockRefusal,
} from '../../core/controls/unlock-rules.js';
import { createEvent } from '../../core/events/catalog.js';
import { ConcurrencyError, err, ok, type Result } from '../../core/shared/errors.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import { isActive } from '../../ports/risk.js';
import type { Audience, Severity } from '../../ports/notifier.js';
import { UNLOCK_WORKFLOW, type UnlockDeps } from './unlock-deps.js';

/** How many times a use case re-reads and retries after losing a conditional write to a concurrent one. */
const MAX_ATTEMPTS = 5;
/** Who is told about a pending request and about its outcome. */
const APPROVERS: Audience[] = ['risk_manager', 'oncall'];
const EVERYONE: Audience[] = ['oncall', 'risk_manager', 'compliance'];

/** What the workflow's Task states return: enough for its Choice states and timeouts. */
export interface UnlockProgress {
  requestId: string;
  status: UnlockStatus;
  /** Preconditions held (only after a check). */
  ok?: boolean;
  remainingSeconds: number;
  recheckSeconds: number;
}

export interface ExecuteOutcome {
  request: UnlockRequest;
  /** True only for the one call that moved the trading state out of HALTED. */
  executed: boolean;
  /** Why it did not execute now, if it did not. */
  blockedBy?: string;
}

export interface RequestUnlockInput {
  requestor: string;
  roles: readonly UserRole[];
  reason: string;
  targetMode: UnlockTargetMode;
  correlationId: string;
}

/**
 * Person 1 of the runbook: asks to lift the current halt. The request binds to the halt's
 * trading-state version; approvers are notified; the unlock workflow starts (its failure to start
 * does not lose the request: approvals still execute it inline, and `retry` re-checks it).
 * One open request per halt: a second one is refused with the id of the first.
 * @example const r = await requestUnlock(deps, { requestor: 'john.doe', roles: ['operator'], reason: 'broker back', targetMode: 'ACTIVE', correlationId });
 */
export async function requestUnlock(deps: UnlockDeps, input: RequestUnlockInput): Promise<Result<{ request: UnlockRequest; workflow: 'started' | 'not started' }, UnlockRefusal>> {
  const now = deps.clock.now();
  const state = await deps.tradingState.get();
  const opened = openUnlockRequest({ requestId: deps.newRequestId(), requestor: input.requestor, requestorRoles: input.roles, reason: input.reason, targetMode: input.targetMode, state, now }, deps.policy);
  if (!opened.ok) return refuse(deps, input.requestor, 'UNLOCK_REQUEST_REFUSED', `unlock-request:${input.requestor}`, opened.error, input.correlationId);
  const open = (await deps.requests.list({ statuses: ['PENDING', 'APPROVED'] })).find((r) => r.halt.version === opened.value.halt.version && !isExpired(r, now));
  if (open !== undefined) {
    return refuse(deps, input.requestor, 'UNLOCK_REQUEST_REFUSED', `unlock:${open.requestId}`, { code: UnlockRefusalCode.REQUEST_OPEN, message: `${open.requestId} (by ${open.requestor}, expires ${open.expiresAt}) is already open for this halt; approve or let it expire`, details: { requestId: open.requestId } }, input.correlationId);
  }
  const request = await deps.requests.create(opened.value);
  await deps.audit.append({ actor: request.requestor, action: 'UNLOCK_REQUESTED', subject: subject(request), data: { requestId: request.requestId, requestor: request.requestor, roles: [...input.roles], reason: request.reason, targetMode: request.targetMode, expiresAt: request.expiresAt, approvalsRequired: request.approvalsRequired, halt: request.halt }, correlationId: input.correlationId });
  await notify(deps, APPROVERS, 'WARNING', `Unlock requested: ${request.requestId}`, `${request.requestor} asks to lift the halt set by ${request.halt.activatedBy} (${request.halt.reason}) and resume ${request.targetMode}: "${request.reason}". ${approvalsOutstanding(request).message} from ${deps.policy.approverRoles.join('/')} before ${request.expiresAt}: tradeops unlock-approve --request-id ${request.requestId}`, request, input.correlationId);
  let workflow: 'started' | 'not started' = 'not started';
  if (deps.workflows !== undefined) {
    try {
      await deps.workflows.start(UNLOCK_WORKFLOW, { requestId: request.requestId, approval: progress(deps, request, now) }, { executionName: request.requestId });
      workflow = 'started';
    } catch (e) {
      deps.logger?.error('unlock workflow did not start; approvals will execute inline', { requestId: request.requestId, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return ok({ request, workflow });
}

export interface ApproveUnlockInput {
  requestId: string;
  approver: string;
  roles: readonly UserRole[];
  correlationId: string;
}

/**
 * Person 2 (…M+1): approves. Every refusal is audited with the approver's identity. An approval
 * that completes the request hands it to the workflow (its waiting task token), or executes it
 * inline when no workflow is waiting — the conditional writes make either path happen once.
 * @example const r = await approveUnlockRequest(deps, { requestId: 'REQ-…', approver: 'jane.smith', roles: ['risk_manager'], correlationId });
 */
export async function approveUnlockRequest(deps: UnlockDeps, input: ApproveUnlockInput): Promise<Result<{ request: UnlockRequest; outstanding: string; execution?: ExecuteOutcome }, UnlockRefusal>> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const req = await deps.requests.get(input.requestId);
    if (req === undefined) return refuse(deps, input.approver, 'UNLOCK_APPROVAL_REFUSED', `unlock:${input.requestId}`, { code: UnlockRefusalCode.NOT_FOUND, message: `no unlock request ${input.requestId}` }, input.correlationId);
    if (isExpired(req, now)) await expireRequest(deps, req, input.correlationId);
    const state = await deps.tradingState.get();
    const decided = approveUnlock(req, { approver: input.approver, approverRoles: input.roles, now, state }, deps.policy);
    if (!decided.ok) {
      if (decided.error.code === UnlockRefusalCode.HALT_CHANGED) await invalidate(deps, req, decided.error, input.correlationId);
      return refuse(deps, input.approver, 'UNLOCK_APPROVAL_REFUSED', subject(req), decided.error, input.correlationId);
    }
    let saved: UnlockRequest;
    try {
      saved = await deps.requests.update(decided.value);
    } catch (e) {
      if (e instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    const outstanding = approvalsOutstanding(saved);
    await deps.audit.append({ actor: input.approver, action: 'UNLOCK_APPROVED', subject: subject(saved), data: { requestId: saved.requestId, approver: input.approver, roles: [...input.roles], requestor: saved.requestor, approvals: saved.approvals.map((a) => a.approver), complete: saved.status === 'APPROVED', outstanding: outstanding.message }, correlationId: input.correlationId });
    if (saved.status !== 'APPROVED') {
      await signal(deps, saved);
      return ok({ request: saved, outstanding: outstanding.message });
    }
    await notify(deps, EVERYONE, 'WARNING', `Unlock approved: ${saved.requestId}`, `${saved.requestId} by ${saved.requestor} is approved by ${saved.approvals.map((a) => a.approver).join(', ')}; trading resumes (${saved.targetMode}) once the preconditions hold.`, saved, input.correlationId);
    if (await signal(deps, saved)) return ok({ request: saved, outstanding: outstanding.message });
    const execution = await executeUnlock(deps, { requestId: saved.requestId, correlationId: input.correlationId, trigger: 'approval' });
    return ok({ request: execution.request, outstanding: outstanding.message, execution });
  }
}

/**
 * Checks the preconditions of an APPROVED request and, if they hold and `execute`, makes the one
 * conditional write HALTED → target mode (version of the halt the request was made for), publishes
 * TradingStateChanged, audits and notifies. Blocked: the request stays APPROVED with the failing
 * checks recorded (audited and notified when the set of blockers changes), and is re-checked by
 * the workflow or `retry` until it expires. Idempotent: an EXECUTED request is returned as is.
 * @example const o = await executeUnlock(deps, { requestId, correlationId, trigger: 'retry' }); o.blockedBy
 */
export async function executeUnlock(deps: UnlockDeps, input: { requestId: string; correlationId: string; trigger: 'approval' | 'workflow' | 'retry'; execute?: boolean; by?: string }): Promise<ExecuteOutcome> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const req = await deps.requests.get(input.requestId);
    if (req === undefined) throw new ConcurrencyError(UnlockRefusalCode.NOT_FOUND, `no unlock request ${input.requestId}`);
    if (isFinished(req.status)) return { request: req, executed: false, ...(req.status === 'EXECUTED' ? {} : { blockedBy: `${req.requestId} is ${req.status}` }) };
    if (isExpired(req, now)) return { request: await expireRequest(deps, req, input.correlationId), executed: false, blockedBy: `${req.requestId} expired at ${req.expiresAt}` };
    if (req.status === 'PENDING') return { request: req, executed: false, blockedBy: approvalsOutstanding(req).message };

    const facts = await readFacts(deps);
    const report = evaluateUnlockPreconditions(req, facts, now);
    const halt = haltSuperseded(req, facts.state);
    if (halt !== undefined && !resumedByThis(req, facts.state)) return { request: await invalidate(deps, req, halt, input.correlationId), executed: false, blockedBy: halt.message };
    if (halt !== undefined) return { request: await recordExecuted(deps, req, facts.state!, input.correlationId), executed: false };
    if (!report.ok || input.execute === false) {
      const recorded = await recordReport(deps, req, report, input.correlationId);
      if (recorded === 'conflict' && attempt < MAX_ATTEMPTS) continue;
      return { request: recorded === 'conflict' ? req : recorded, executed: false, ...(report.ok ? {} : { blockedBy: describeBlockers(report) }) };
    }

    let written: TradingState;
    try {
      written = await deps.tradingState.compareAndSet(req.halt.version, resumedTradingState(req, now));
    } catch (e) {
      // Someone moved the state between our read and our write: re-read and judge again.
      if (e instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    const done = await recordExecuted(deps, { ...req, preconditions: report }, written, input.correlationId);
    await deps.publisher.publish([createEvent('TradingStateChanged', { from: 'HALTED', to: written.mode, version: written.version, changedBy: written.changedBy, reason: written.reason }, { eventId: deps.newEventId(), now, correlationId: input.correlationId })]);
    await deps.audit.append({ actor: 'system', action: 'UNLOCK_EXECUTED', subject: subject(done), data: { requestId: done.requestId, requestor: done.requestor, approvers: done.approvals.map((a) => a.approver), from: 'HALTED', to: written.mode, fromVersion: req.halt.version, version: written.version, trigger: input.trigger, ...(input.by === undefined ? {} : { by: input.by }), preconditions: report }, correlationId: input.correlationId });
    // The incident the kill switch opened for this halt records the recovery (runbook SEV1 step 7);
    // a person resolves it after the review.
    const activation = await deps.incidents?.killSwitch.getActivation();
    if (deps.incidents !== undefined && activation !== undefined && activation.stateVersion === req.halt.version) {
      await deps.incidents.store.appendTimeline(activation.incidentId, { at: now.toISOString(), by: 'system', event: 'TRADING_RESUMED', detail: { requestId: done.requestId, requestor: done.requestor, approvers: done.approvals.map((a) => a.approver), to: written.mode, version: written.version } });
    }
    await notify(deps, EVERYONE, 'CRITICAL', `Trading resumed (${written.mode}): ${done.requestId}`, `The halt set by ${req.halt.activatedBy} (${req.halt.reason}) is lifted: trading is ${written.mode} (version ${written.version}). Requested by ${req.requestor}, approved by ${req.approvals.map((a) => a.approver).join(', ')}.`, done, input.correlationId);
    return { request: done, executed: true };
  }
}

/**
 * The workflow's callback task: stores the task token on the request so an approval can complete
 * it. If nothing is left to wait for (approvals complete, finished, expired) it completes its own
 * token at once — an approval that arrived between two waits is not lost.
 */
export async function awaitUnlockApproval(deps: UnlockDeps, input: { requestId: string; taskToken: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const req = await deps.requests.get(input.requestId);
    if (req === undefined || req.status !== 'PENDING' || isExpired(req, deps.clock.now())) {
      await deps.tokens?.succeed(input.taskToken, { ...(req === undefined ? { requestId: input.requestId, status: 'REFUSED' } : progress(deps, req, deps.clock.now())) });
      return;
    }
    try {
      await deps.requests.update({ ...req, taskToken: input.taskToken });
      return;
    } catch (e) {
      if (e instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}

/**
 * Withdraws an open request (its requestor, or anyone who may approve it): CANCELLED, audited,
 * notified; a workflow waiting for approvals is released and ends. Trading stays HALTED.
 */
export async function cancelUnlockRequest(deps: UnlockDeps, input: { requestId: string; by: string; roles: readonly UserRole[]; reason: string; correlationId: string }): Promise<Result<UnlockRequest, UnlockRefusal>> {
  for (let attempt = 1; ; attempt++) {
    const req = await deps.requests.get(input.requestId);
    if (req === undefined) return err({ code: UnlockRefusalCode.NOT_FOUND, message: `no unlock request ${input.requestId}` });
    const r = cancelUnlock(req, { by: input.by, roles: input.roles, reason: input.reason }, deps.policy, deps.clock.now());
    if (!r.ok) return r;
    let saved: UnlockRequest;
    try {
      saved = await deps.requests.update(r.value);
    } catch (e) {
      if (e instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    await deps.audit.append({ actor: input.by, action: 'UNLOCK_CANCELLED', subject: subject(saved), data: { requestId: saved.requestId, requestor: saved.requestor, reason: input.reason, statusBefore: req.status }, correlationId: input.correlationId });
    if (req.taskToken !== undefined) await deps.tokens?.succeed(req.taskToken, { ...progress(deps, saved, deps.clock.now()) });
    await notify(deps, ['risk_manager', 'oncall'], 'INFO', `Unlock cancelled: ${saved.requestId}`, `${input.by} cancelled ${saved.requestId} (${input.reason}); trading stays HALTED.`, saved, input.correlationId);
    return ok(saved);
  }
}

/** The workflow's timeout path: the request's time is up. Idempotent. */
export async function expireUnlock(deps: UnlockDeps, input: { requestId: string; correlationId: string }): Promise<UnlockProgress> {
  const req = await deps.requests.get(input.requestId);
  if (req === undefined) return { requestId: input.requestId, status: 'REFUSED', remainingSeconds: 1, recheckSeconds: deps.recheckSeconds };
  const after = isFinished(req.status) ? req : await expireRequest(deps, req, input.correlationId);
  return progress(deps, after, deps.clock.now());
}

/** A request's progress as the workflow's Choice states read it. */
export function progress(deps: Pick<UnlockDeps, 'recheckSeconds'>, req: UnlockRequest, now: Date, okNow?: boolean): UnlockProgress {
  return { requestId: req.requestId, status: req.status, ...(okNow === undefined ? {} : { ok: okNow }), remainingSeconds: remainingSeconds(req, now), recheckSeconds: deps.recheckSeconds };
}

// ---------------------------------------------------------------- internals

const subject = (req: UnlockRequest) => `unlock:${req.requestId}`;

/** Whether the state is the one this very request wrote (a concurrent executor of the same request won). */
function resumedByThis(req: UnlockRequest, state: TradingState | undefined): boolean {
  return state !== undefined && state.version === req.halt.version + 1 && state.reason.startsWith(`unlock ${req.requestId}:`);
}

async function readFacts(deps: UnlockDeps): Promise<UnlockFacts> {
  const [state, health, working, alerts, snapshot] = await Promise.all([deps.tradingState.get(), deps.health.list(), deps.orders.listWorking(), deps.risk.listAlerts(), deps.risk.getSnapshot()]);
  return {
    state,
    broker: health.find((h) => h.component === 'broker'),
    brokerStaleAfterMs: deps.brokerStaleAfterMs,
    externalWorkingOrders: working.filter((o) => o.external).map((o) => ({ clientOrderId: o.clientOrderId, symbol: o.symbol })),
    activeCriticalRiskAlerts: alerts.filter((a) => isActive(a) && a.severity === 'CRITICAL').map((a) => ({ name: a.name, message: a.message })),
    varUtilization: snapshot?.var.utilization,
  };
}

/** Writes the latest precondition report; audits and notifies only when the blockers change. */
async function recordReport(deps: UnlockDeps, req: UnlockRequest, report: PreconditionReport, correlationId: string): Promise<UnlockRequest | 'conflict'> {
  const changed = !sameBlockers(req.preconditions, report);
  let saved: UnlockRequest;
  try {
    saved = await deps.requests.update({ ...req, preconditions: report });
  } catch (e) {
    if (e instanceof ConcurrencyError) return 'conflict';
    throw e;
  }
  if (changed && !report.ok) {
    await deps.audit.append({ actor: 'system', action: 'UNLOCK_BLOCKED', subject: subject(req), data: { requestId: req.requestId, failing: report.checks.filter((c) => !c.ok) }, correlationId });
    await notify(deps, EVERYONE, 'WARNING', `Unlock blocked: ${req.requestId}`, `${req.requestId} is approved but trading stays HALTED: ${describeBlockers(report)}. It is re-checked until ${req.expiresAt} (or now: tradeops unlock-status --request-id ${req.requestId} --retry).`, req, correlationId);
  }
  return saved;
}

/** Marks the request EXECUTED after its trading-state write, retrying a lost request write: the state write is done and must be recorded. */
async function recordExecuted(deps: UnlockDeps, req: UnlockRequest, state: TradingState, _correlationId: string): Promise<UnlockRequest> {
  let current = req;
  for (let attempt = 1; ; attempt++) {
    if (current.status === 'EXECUTED') return current;
    try {
      return await deps.requests.update(markExecuted(current, state, deps.clock.now()));
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw e;
      current = (await deps.requests.get(req.requestId)) ?? current;
    }
  }
}

async function expireRequest(deps: UnlockDeps, req: UnlockRequest, correlationId: string): Promise<UnlockRequest> {
  const expired = expire(req, deps.clock.now());
  try {
    const saved = await deps.requests.update(expired);
    await deps.audit.append({ actor: 'system', action: 'UNLOCK_EXPIRED', subject: subject(req), data: { requestId: req.requestId, requestor: req.requestor, approvals: req.approvals.map((a) => a.approver), expiresAt: req.expiresAt, status: req.status }, correlationId });
    await notify(deps, APPROVERS, 'INFO', `Unlock expired: ${req.requestId}`, `${req.requestId} by ${req.requestor} was not completed by ${req.expiresAt}; trading stays HALTED.`, saved, correlationId);
    await signal(deps, req, saved);
    return saved;
  } catch (e) {
    if (e instanceof ConcurrencyError) return (await deps.requests.get(req.requestId)) ?? expired;
    throw e;
  }
}

/** The halt the request lifts is gone: the request is REFUSED for good (audited). */
async function invalidate(deps: UnlockDeps, req: UnlockRequest, why: UnlockRefusal, correlationId: string): Promise<UnlockRequest> {
  try {
    const saved = await deps.requests.update(finish(req, 'REFUSED', why, deps.clock.now()));
    await deps.audit.append({ actor: 'system', action: 'UNLOCK_INVALIDATED', subject: subject(req), data: { requestId: req.requestId, code: why.code, message: why.message }, correlationId });
    await signal(deps, req, saved);
    return saved;
  } catch (e) {
    if (e instanceof ConcurrencyError) return (await deps.requests.get(req.requestId)) ?? req;
    throw e;
  }
}

/** Completes the workflow's waiting token, if any; true when a workflow took it. */
async function signal(deps: UnlockDeps, withToken: UnlockRequest, now: UnlockRequest = withToken): Promise<boolean> {
  if (withToken.taskToken === undefined || deps.tokens === undefined) return false;
  try {
    return await deps.tokens.succeed(withToken.taskToken, { ...progress(deps, now, deps.clock.now()) });
  } catch (e) {
    deps.logger?.warn('unlock workflow could not be signalled; acting inline', { requestId: withToken.requestId, error: e instanceof Error ? e.message : String(e) });
    return false;
  }
}

async function refuse<T>(deps: UnlockDeps, actor: string, action: string, subj: string, refusal: UnlockRefusal, correlationId: string): Promise<Result<T, UnlockRefusal>> {
  await deps.audit.append({ actor, action, subject: subj, data: { code: refusal.code, message: refusal.message, ...(refusal.details === undefined ? {} : { details: refusal.details }) }, correlationId });
  return err(refusal);
}

async function notify(deps: UnlockDeps, audience: Audience[], severity: Severity, subjectLine: string, message: string, req: UnlockRequest, correlationId: string): Promise<void> {
  try {
    await deps.notifier.notify({ audience, severity, subject: subjectLine, message, correlationId, data: { requestId: req.requestId, status: req.status, requestor: req.requestor, approvals: req.approvals.map((a) => a.approver), expiresAt: req.expiresAt } });
  } catch (e) {
    // A failed page must not undo an audited decision; it is logged for the on-call.
    deps.logger?.error('unlock notification failed', { requestId: req.requestId, subject: subjectLine, error: e instanceof Error ? e.message : String(e) });
  }
}
