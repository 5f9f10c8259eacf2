import type { Clock } from '../../core/shared/clock.js';
import { err, ok, type Result } from '../../core/shared/errors.js';
import { isActive, type RiskAlertState, type RiskStore } from '../../ports/risk.js';
import type { AuditLog } from '../../ports/stores.js';

/** Expected refusals of a reset (returned, not thrown); the API maps them to 404 / 409. */
export const ResetAlertCode = {
  NOT_ACTIVE: 'RISK.ALERT_NOT_ACTIVE',
  CONDITION_HOLDS: 'RISK.ALERT_CONDITION_HOLDS',
} as const;
export type ResetAlertCode = (typeof ResetAlertCode)[keyof typeof ResetAlertCode];

export interface ResetAlertRequest {
  alert: string;
  operator: string;
  reason: string;
  /** Reset although the condition still holds (the alert then stays quiet until it clears once). */
  force?: boolean | undefined;
  correlationId: string;
}

export type ResetAlertError = { code: ResetAlertCode; message: string; details?: Record<string, unknown> };

/**
 * Runbook "Reset alert after resolution": resets an active risk alert. Refused while the alert's
 * condition still holds in the latest risk snapshot — resetting then would only re-raise it —
 * unless `force` (with the reason, audited). A forced reset keeps the alert from being raised
 * again until its condition has cleared once, so it does not re-fire (and re-act) every cycle.
 * @example
 * const r = await resetRiskAlert(deps, { alert: 'var_critical', operator: 'jane.doe', reason: 'positions reduced', correlationId });
 */
export async function resetRiskAlert(deps: { risk: RiskStore; audit: AuditLog; clock: Clock }, req: ResetAlertRequest): Promise<Result<RiskAlertState, ResetAlertError>> {
  const current = await deps.risk.getAlert(req.alert);
  if (current === undefined || !isActive(current)) return err({ code: ResetAlertCode.NOT_ACTIVE, message: `risk alert ${req.alert} is not active` });
  const snapshot = await deps.risk.getSnapshot();
  const condition = snapshot?.conditions[req.alert];
  // no snapshot, or a rule no longer evaluated: nothing says it cleared, so treat it as holding
  const holds = condition?.holds ?? true;
  if (holds && req.force !== true) {
    return err({
      code: ResetAlertCode.CONDITION_HOLDS,
      message: condition === undefined
        ? `risk alert ${req.alert}: its condition has not been evaluated since it was raised; pass "force": true with a reason to reset anyway`
        : `risk alert ${req.alert} still holds (${condition.metric} ${condition.value ?? 'unbounded'} ≥ ${condition.threshold} at ${snapshot!.computedAt}); reduce risk first, or pass "force": true with a reason`,
      details: { condition: condition ?? null, computedAt: snapshot?.computedAt ?? null },
    });
  }
  const resetAt = deps.clock.now().toISOString();
  const reset = await deps.risk.reset(req.alert, { resetAt, resetBy: req.operator, resetReason: req.reason, forced: holds, holdUntilClear: holds });
  if (reset === undefined) return err({ code: ResetAlertCode.NOT_ACTIVE, message: `risk alert ${req.alert} was reset concurrently` });
  await deps.audit.append({
    actor: req.operator,
    action: 'RISK_ALERT_RESET',
    subject: `risk-alert:${req.alert}`,
    data: { alert: req.alert, reason: req.reason, forced: holds, raisedAt: current.raisedAt, condition: condition ?? null },
    correlationId: req.correlationId,
  });
  return ok(reset);
}
