import { KillSwitchCode } from '../../core/kill-switch/rules.js';
import type { StrategyHalt } from '../../core/kill-switch/halts.js';
import { err, ok, type Result } from '../../core/shared/errors.js';
import { KILL_SWITCH_AUDIENCE, notifySafely, type KillSwitchDeps } from './deps.js';

/**
 * Lifts a strategy halt. DECISION: one risk manager suffices here (the route's role), unlike the
 * firm-wide HALTED → ACTIVE which needs two people. A strategy halt stops one algorithm while the
 * firm's controls (pre-trade limits, final gate) stay fully in force for it once resumed; MiFID II
 * RTS 6 asks for "a designated person" to re-enable a disabled algorithm, which the risk-manager
 * role is. The decision, the halt it ends and the reason are written to the audit chain and the
 * incident's timeline.
 * @example
 * await resumeStrategy(deps, { strategyId: 'ma-crossover', by: 'jane.smith', reason: 'signal bug fixed', correlationId });
 */
export async function resumeStrategy(
  deps: Pick<KillSwitchDeps, 'killSwitch' | 'incidents' | 'audit' | 'notifier' | 'clock' | 'logger'>,
  req: { strategyId: string; by: string; reason: string; correlationId: string },
): Promise<Result<{ halt: StrategyHalt; notified: boolean }, { code: string; message: string }>> {
  const halt = await deps.killSwitch.resumeStrategy(req.strategyId);
  if (halt === undefined) return err({ code: KillSwitchCode.STRATEGY_NOT_HALTED, message: `strategy ${req.strategyId} is not halted` });
  const at = deps.clock.now().toISOString();
  await deps.audit.append({
    actor: req.by,
    action: 'STRATEGY_RESUMED',
    subject: `strategy:${req.strategyId}`,
    correlationId: req.correlationId,
    data: { strategyId: req.strategyId, reason: req.reason, haltedBy: halt.haltedBy, haltedAt: halt.haltedAt, haltReason: halt.reason, incidentId: halt.incidentId ?? null, approval: 'single risk manager (strategy scope)' },
  });
  if (halt.incidentId !== undefined) await deps.incidents.appendTimeline(halt.incidentId, { at, by: req.by, event: 'STRATEGY_RESUMED', detail: { strategyId: req.strategyId, reason: req.reason } });
  const notified = await notifySafely(deps, {
    audience: KILL_SWITCH_AUDIENCE,
    severity: 'WARNING',
    subject: `Strategy ${req.strategyId} resumed by ${req.by}`,
    message: `The halt of ${req.strategyId} (by ${halt.haltedBy} at ${halt.haltedAt}: ${halt.reason}) is lifted: ${req.reason}.`,
    correlationId: req.correlationId,
    data: { strategyId: req.strategyId, resumedBy: req.by, incidentId: halt.incidentId ?? null },
  });
  return ok({ halt, notified });
}
