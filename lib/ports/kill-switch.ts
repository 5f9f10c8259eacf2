import type { CancelVerification, KillSwitchActivation } from '../core/kill-switch/activation.js';
import type { StrategyHalt } from '../core/kill-switch/halts.js';

/**
 * The kill switch's own records beside the trading-state record: halted strategies, the last
 * whole-firm activation (who, when, why, incident) and the bridge's last cancel verification.
 * @example
 * if (await store.haltStrategy(halt)) await commands.send(...cancels); // false: already halted
 */
export interface KillSwitchStore {
  /** Halts a strategy iff it is not halted yet (conditional write); false when it already is. */
  haltStrategy(halt: StrategyHalt): Promise<boolean>;
  getStrategyHalt(strategyId: string): Promise<StrategyHalt | undefined>;
  listStrategyHalts(): Promise<StrategyHalt[]>;
  /** Lifts a halt; returns the halt removed, `undefined` when the strategy was not halted. */
  resumeStrategy(strategyId: string): Promise<StrategyHalt | undefined>;
  putActivation(activation: KillSwitchActivation): Promise<void>;
  getActivation(): Promise<KillSwitchActivation | undefined>;
  /** The bridge's verdict after a global cancel (overwrites the previous one). */
  putCancelVerification(verification: CancelVerification): Promise<void>;
  getCancelVerification(): Promise<CancelVerification | undefined>;
}
