import type { LifecycleRefusal } from '../../core/lifecycle/transitions.js';
import type { SystemPhaseChange, SystemPhaseRecord } from '../../core/lifecycle/phase.js';
import { ConcurrencyError, type Result } from '../../core/shared/errors.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';
import type { AuditLog } from '../../ports/stores.js';

export interface PhaseDeps {
  phases: SystemPhaseStore;
  audit: AuditLog;
}

/**
 * Reads the lifecycle record, applies one pure transition, writes it with a conditional write on
 * the version read and audits the change. A lost race re-reads and re-applies (the transition then
 * sees the winner's record and may refuse). Refusals are results, never thrown.
 * @example
 * const r = await changePhase(deps, (cur) => beginDrain(cur, { drainId, by, reason, timeoutS, now }), { actor: by, action: 'SYSTEM_SHUTDOWN_REQUESTED' });
 */
export async function changePhase(
  deps: PhaseDeps,
  transition: (current: SystemPhaseRecord | undefined) => Result<SystemPhaseChange, LifecycleRefusal>,
  audit: { actor: string; action: string; data?: Record<string, unknown> },
): Promise<Result<SystemPhaseRecord, LifecycleRefusal>> {
  for (let attempt = 0; ; attempt++) {
    const current = await deps.phases.get();
    const next = transition(current);
    if (!next.ok) return next;
    try {
      const written = await deps.phases.compareAndSet(current?.version ?? -1, next.value);
      await deps.audit.append({
        actor: audit.actor,
        action: audit.action,
        subject: 'system-phase',
        data: { from: current?.phase ?? null, to: written.phase, version: written.version, reason: written.reason, ...audit.data },
      });
      return { ok: true, value: written };
    } catch (e) {
      if (e instanceof ConcurrencyError && attempt < 4) continue;
      throw e;
    }
  }
}
