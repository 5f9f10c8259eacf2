import { EMERGENCY_AUDIENCE, type KillSwitchDeps } from './deps.js';

/**
 * Runbook `notify_emergency.py --message …`: one CRITICAL notification to on-call, risk,
 * compliance and management, audited with who sent it. Unlike the kill switch's own notices a
 * failure here is an error: telling people is the whole action.
 * @example await notifyEmergency(deps, { by: 'john.doe', message: 'Emergency shutdown initiated', correlationId });
 */
export async function notifyEmergency(deps: Pick<KillSwitchDeps, 'notifier' | 'audit'>, req: { by: string; message: string; correlationId: string }): Promise<{ audience: readonly string[] }> {
  await deps.notifier.notify({ audience: EMERGENCY_AUDIENCE, severity: 'CRITICAL', subject: `EMERGENCY from ${req.by}`, message: req.message, correlationId: req.correlationId, data: { sentBy: req.by } });
  await deps.audit.append({ actor: req.by, action: 'EMERGENCY_NOTIFIED', subject: 'notifications', correlationId: req.correlationId, data: { message: req.message, audience: [...EMERGENCY_AUDIENCE] } });
  return { audience: EMERGENCY_AUDIENCE };
}
