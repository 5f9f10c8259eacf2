import type { SystemPhaseChange, SystemPhaseRecord } from '../core/lifecycle/phase.js';

/**
 * The one lifecycle record (phase, drain, last startup run). Every change is a conditional write on
 * `version`: `expectedVersion` −1 creates it; a lost race throws ConcurrencyError `STATE.VERSION_CONFLICT`.
 * @example
 * const current = await phases.get();
 * await phases.compareAndSet(current?.version ?? -1, next);
 */
export interface SystemPhaseStore {
  get(): Promise<SystemPhaseRecord | undefined>;
  compareAndSet(expectedVersion: number, next: SystemPhaseChange): Promise<SystemPhaseRecord>;
}
