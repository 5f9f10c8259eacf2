import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { SymbolSchema } from '../../core/shared/ids.js';
import { ReducePlanCode } from '../../core/risk/reduce.js';
import { isActive, type RiskSnapshot } from '../../ports/risk.js';
import { resetRiskAlert, ResetAlertCode } from '../../app/risk/reset-alert.js';
import { reducePosition as reducePositionUseCase, ReducePositionCode } from '../../app/risk/reduce-position.js';
import { anyRefused } from '../../app/risk/propose.js';
import { ActingPersonSchema, actingUser } from '../identity.js';

export const ResetAlertBodySchema = z.strictObject({
  alert: z.string().regex(/^[a-z][a-z0-9_]*$/, 'an alert name such as var_critical'),
  operator: ActingPersonSchema,
  reason: z.string().trim().min(1, 'why the alert may be reset').max(1000),
  /** Reset although the condition still holds. */
  force: z.boolean().optional(),
});

export const ReducePositionBodySchema = z.strictObject({
  symbol: SymbolSchema,
  /** Fraction of the current size to keep: 0.5 halves it, 0 closes it. */
  target: z.number().min(0).max(1),
  operator: ActingPersonSchema,
  reason: z.string().trim().min(1).max(1000).optional(),
  lotSize: z.number().int().positive().optional(),
});

const notComputed = (): ApiResponse => ({ status: 503, body: { error: 'RISK_NOT_COMPUTED', message: 'No risk figures yet: the risk agent has not completed its first cycle (it runs on its schedule and on fills)' } });

/**
 * `GET /api/risk/limits` — limits and alert thresholds in force: the deployment's risk policy, else
 * the one the last risk cycle used.
 */
export async function riskLimits(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const policy = deps.riskPolicy ?? (await deps.stores.risk.getSnapshot())?.policy;
  if (policy === undefined) return { status: 503, body: { error: 'RISK_POLICY_UNKNOWN', message: 'No risk policy configured and no risk cycle has run yet' } };
  return { status: 200, body: { ...policy, source: deps.riskPolicy === undefined ? 'last_risk_cycle' : 'config' } };
}

/**
 * `GET /api/risk/var` — `{"var", "limit", "utilization", level, alert, method, confidence, components, computedAt}` (runbook step 1),
 * and `history`: where the returns came from (source, window, first and last day, symbols covered, gaps).
 */
export async function riskVar(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const s = await deps.stores.risk.getSnapshot();
  if (s === undefined) return notComputed();
  const v = s.var;
  return {
    status: 200,
    body: {
      var: v.var, limit: v.limit, utilization: v.utilization, level: v.level, alert: v.alert, method: v.method, confidence: v.confidence, window: v.window,
      components: v.components,
      parametric: { var: s.parametric.var, utilization: s.parametric.utilization, level: s.parametric.level },
      coverage: s.coverage,
      history: s.history ?? null,
      computedAt: s.computedAt,
    },
  };
}

/** `GET /api/risk/metrics` — exposure, leverage, P&L (daily vs limit), drawdown, utilisations, active alerts. */
export async function riskMetrics(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const [s, alerts] = await Promise.all([deps.stores.risk.getSnapshot(), deps.stores.risk.listAlerts()]);
  if (s === undefined) return notComputed();
  return { status: 200, body: { ...metricsOf(s), activeAlerts: alerts.filter(isActive).sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.name.localeCompare(b.name)) } };
}

function metricsOf(s: RiskSnapshot) {
  return {
    computedAt: s.computedAt,
    tradingDay: s.tradingDay,
    exposure: { gross: s.exposure.gross, net: s.exposure.net, long: s.exposure.long, short: s.exposure.short },
    netLiquidation: s.netLiquidation,
    leverage: s.leverage,
    pnl: s.pnl,
    daily: s.daily,
    startOfDay: s.startOfDay,
    drawdown: s.drawdown,
    var: { var: s.var.var, limit: s.var.limit, utilization: s.var.utilization, level: s.var.level },
    utilization: s.utilization,
    conditions: s.conditions,
    coverage: s.coverage,
  };
}

/** `POST /api/risk/reset_alert` — runbook step 5; refused (409) while the condition holds unless `force`. Audited. */
export async function resetAlert(input: { body: z.infer<typeof ResetAlertBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const { deps, correlationId } = ctx;
  const b = input.body;
  const operator = actingUser(ctx, b.operator, 'operator');
  const r = await resetRiskAlert({ risk: deps.stores.risk, audit: deps.stores.audit, clock: deps.clock }, { alert: b.alert, operator, reason: b.reason, force: b.force, correlationId });
  if (r.ok) return { status: 200, body: { reset: true, alert: r.value } };
  const status = r.error.code === ResetAlertCode.NOT_ACTIVE ? 404 : 409;
  return { status, body: { error: r.error.code, message: r.error.message, ...(r.error.details ?? {}) } };
}

/**
 * `POST /api/risk/reduce_position` — runbook step 4 (`reduce-position --symbol X --target 0.5`):
 * the planned orders, each proposed through the pre-trade checks, with what became of it.
 */
export async function reducePosition(input: { body: z.infer<typeof ReducePositionBodySchema> }, ctx: RequestContext): Promise<ApiResponse> {
  const { deps, correlationId } = ctx;
  const b = input.body;
  const operator = actingUser(ctx, b.operator, 'operator');
  const r = await reducePositionUseCase(
    { positions: deps.stores.positions, quotes: deps.stores.quotes, audit: deps.stores.audit, clock: deps.clock, proposeOrders: deps.proposeOrders },
    { symbol: b.symbol, target: b.target, operator, reason: b.reason, lotSize: b.lotSize, correlationId },
  );
  if (!r.ok) {
    const status = r.error.code === ReducePlanCode.NO_POSITION ? 404 : r.error.code === ReducePositionCode.NOT_WIRED ? 503 : 400;
    return { status, body: { error: r.error.code, message: r.error.message } };
  }
  const { plan, outcomes } = r.value;
  return {
    status: 200,
    body: {
      symbol: plan.symbol, target: b.target, currentQuantity: plan.currentQuantity, resultingQuantity: plan.resultingQuantity,
      orders: plan.orders.map((o, i) => ({ ...o, outcome: outcomes[i] ?? null })),
      anyDenied: anyRefused(outcomes),
    },
  };
}
