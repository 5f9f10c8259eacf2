import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { ActingPersonSchema, actingUser } from '../identity.js';
import { HttpError } from '../http-error.js';
import { StrategyIdSchema } from '../../core/kill-switch/halts.js';
import { KillSwitchCode, SETTABLE_MODES } from '../../core/kill-switch/rules.js';
import { activateKillSwitch, haltStrategy, type CancelRequested } from '../../app/kill-switch/activate.js';
import type { KillSwitchDeps } from '../../app/kill-switch/deps.js';
import { setTradingMode } from '../../app/kill-switch/trading-mode.js';
import { resumeStrategy } from '../../app/kill-switch/strategy-resume.js';
import { cancelAllOrders } from '../../app/kill-switch/cancel-all.js';
import { notifyEmergency } from '../../app/kill-switch/notify-emergency.js';

const ReasonSchema = z.string().trim().min(1, 'why (goes to the audit log and the incident)').max(1000);

/** Runbook: `{"reason": "Manual activation", "operator": "john.doe"}`; `scope.strategyId` halts one strategy only. */
export const KillSwitchBodySchema = z.strictObject({
  reason: ReasonSchema,
  operator: ActingPersonSchema,
  scope: z.strictObject({ strategyId: StrategyIdSchema }).optional(),
});
export const StrategyResumeBodySchema = z.strictObject({ strategyId: StrategyIdSchema, reason: ReasonSchema, operator: ActingPersonSchema });
export const TradingModeBodySchema = z.strictObject({ mode: z.enum(SETTABLE_MODES), reason: ReasonSchema, operator: ActingPersonSchema });
/** `force: true` is the runbook's `--force`: a cancel-all is never sent by accident. */
export const CancelAllBodySchema = z.strictObject({ force: z.literal(true, 'cancel-all needs "force": true'), reason: ReasonSchema.optional(), operator: ActingPersonSchema });
export const NotifyEmergencyBodySchema = z.strictObject({ message: z.string().trim().min(1, 'what to tell people').max(2000), operator: ActingPersonSchema });

/** How long `POST /api/orders/cancel_all` waits for the bridge's verification before answering. */
const CANCEL_WAIT_MS = 5_000;

function killSwitchDeps(ctx: RequestContext): KillSwitchDeps {
  const { deps } = ctx;
  if (deps.commands === undefined || deps.notifier === undefined) throw new HttpError(503, 'KILL_SWITCH.NOT_WIRED', 'this deployment of the API has no command queue or notifier wired');
  return {
    tradingState: deps.stores.tradingState,
    killSwitch: deps.stores.killSwitch,
    incidents: deps.stores.incidents,
    orders: deps.stores.orders,
    audit: deps.stores.audit,
    commands: deps.commands,
    notifier: deps.notifier,
    publisher: deps.publisher,
    clock: deps.clock,
    newId: deps.newId,
    logger: ctx.logger,
  };
}

const cancelBody = (c: CancelRequested) => ({ requested: c.requested, command: c.command, ...(c.clientOrderIds === undefined ? {} : { orders: c.clientOrderIds.length, client_order_ids: c.clientOrderIds }), ...(c.error === undefined ? {} : { error: c.error }) });

/**
 * `POST /api/system/kill_switch` — the runbook's kill switch. Whole firm: `{"kill_switch": true,
 * "trading_enabled": false, "activated_by", "activated_at", "reason", "incident_id", "cancel": {...}}`.
 * With `scope.strategyId`: that strategy only (`"strategy_halted": true`, the firm's state unchanged).
 */
export async function killSwitch(input: { body: z.infer<typeof KillSwitchBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const b = input.body;
  const by = actingUser(ctx, b.operator, 'operator');
  const deps = killSwitchDeps(ctx);
  if (b.scope !== undefined) {
    const r = await haltStrategy(deps, { strategyId: b.scope.strategyId, by, reason: b.reason, correlationId: ctx.correlationId });
    if (!r.ok) return { status: 409, body: { error: r.error.code, message: r.error.message } };
    const state = await deps.tradingState.get();
    const v = r.value;
    return {
      status: 200,
      body: {
        kill_switch: state?.mode === 'HALTED',
        trading_enabled: state !== undefined && state.mode !== 'HALTED',
        scope: { strategyId: v.halt.strategyId },
        strategy_halted: true,
        already_active: v.alreadyActive,
        activated_by: v.halt.haltedBy,
        activated_at: v.halt.haltedAt,
        reason: v.halt.reason,
        incident_id: v.halt.incidentId ?? null,
        severity: v.incident?.severity ?? null,
        cancel: cancelBody(v.cancel),
        notified: v.notified,
      },
    };
  }
  const r = await activateKillSwitch(deps, { by, reason: b.reason, correlationId: ctx.correlationId });
  if (!r.ok) return { status: r.error.code === KillSwitchCode.NOT_INITIALISED ? 503 : 409, body: { error: r.error.code, message: r.error.message } };
  const v = r.value;
  return {
    status: 200,
    body: {
      kill_switch: true,
      trading_enabled: false,
      trading_state: v.state.mode,
      version: v.state.version,
      already_active: v.alreadyActive,
      activated_by: v.activation.activatedBy,
      activated_at: v.activation.activatedAt,
      reason: v.activation.reason,
      incident_id: v.activation.incidentId,
      severity: 'SEV1',
      cancel: cancelBody(v.cancel),
      notified: v.notified,
    },
  };
}

/** `POST /api/system/strategy_resume` — lifts one strategy's halt (risk manager; see resumeStrategy for why one person suffices). */
export async function strategyResume(input: { body: z.infer<typeof StrategyResumeBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const b = input.body;
  const by = actingUser(ctx, b.operator, 'operator');
  const r = await resumeStrategy(killSwitchDeps(ctx), { strategyId: b.strategyId, by, reason: b.reason, correlationId: ctx.correlationId });
  if (!r.ok) return { status: 404, body: { error: r.error.code, message: r.error.message } };
  return { status: 200, body: { strategy_halted: false, strategyId: b.strategyId, resumed_by: by, reason: b.reason, halt: r.value.halt, notified: r.value.notified } };
}

/** `POST /api/system/trading_mode` — `{"mode": "REDUCING" | "ACTIVE", "reason"}`; 409 from HALTED (two-person unlock). */
export async function tradingMode(input: { body: z.infer<typeof TradingModeBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const b = input.body;
  const by = actingUser(ctx, b.operator, 'operator');
  const r = await setTradingMode(killSwitchDeps(ctx), { to: b.mode, by, roles: ctx.identity?.roles ?? [], reason: b.reason, correlationId: ctx.correlationId });
  if (!r.ok) return { status: r.error.status, body: { error: r.error.code, message: r.error.message, ...(r.error.code === KillSwitchCode.UNLOCK_REQUIRED ? { procedure: 'POST /api/system/unlock_request, then POST /api/system/unlock_approve by a second person' } : {}) } };
  const s = r.value.state;
  return { status: 200, body: { changed: r.value.changed, from: r.value.from, trading_state: s.mode, version: s.version, changed_by: s.changedBy, changed_at: s.changedAt, reason: s.reason, notified: r.value.notified } };
}

/** `POST /api/orders/cancel_all` — runbook `cancel_all_orders.py --force`: global cancel at the broker, and its verification. */
export async function cancelAll(input: { body: z.infer<typeof CancelAllBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const b = input.body;
  const by = actingUser(ctx, b.operator, 'operator');
  const deps = killSwitchDeps(ctx);
  const sleep = ctx.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const r = await cancelAllOrders({ ...deps, sleep }, { by, reason: b.reason ?? `cancel-all-orders by ${by}`, correlationId: ctx.correlationId, waitMs: CANCEL_WAIT_MS });
  const v = r.verification;
  return {
    status: v === undefined ? 202 : 200,
    body: {
      requested: true,
      correlation_id: ctx.correlationId,
      verified: v?.complete ?? false,
      verification: v === undefined ? null : { complete: v.complete, remaining: v.remaining, attempts: v.attempts, durationMs: v.durationMs, verifiedAt: v.verifiedAt, brokerOrderIds: v.brokerOrderIds },
      ...(v === undefined ? { message: `the bridge has not reported its verification within ${CANCEL_WAIT_MS} ms; GET /api/system/status shows it when it does` } : {}),
    },
  };
}

/** `POST /api/system/notify_emergency` — runbook `notify_emergency.py --message`: on-call, risk, compliance, management. */
export async function notifyEmergencyRoute(input: { body: z.infer<typeof NotifyEmergencyBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const b = input.body;
  const by = actingUser(ctx, b.operator, 'operator');
  const r = await notifyEmergency(killSwitchDeps(ctx), { by, message: b.message, correlationId: ctx.correlationId });
  return { status: 200, body: { notified: true, audience: r.audience, sent_by: by } };
}
