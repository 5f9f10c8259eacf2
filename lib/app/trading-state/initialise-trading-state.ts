import type { TradingState } from '../../core/trading-state/trading-state.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { AuditLog, TradingStateStore } from '../../ports/stores.js';

/**
 * Creates the trading-state record on the very first start; afterwards returns what is stored,
 * so a restart never silently lifts a halt. Paper accounts start ACTIVE; a live account starts
 * HALTED, so the first live order needs a person to lift the halt deliberately.
 * A lost race (two processes starting at once) is not an error: the winner's record is returned.
 */
export async function initialiseTradingState(deps: { store: TradingStateStore; audit: AuditLog; clock: Clock }, accountMode: 'paper' | 'live'): Promise<{ state: TradingState; created: boolean }> {
  const existing = await deps.store.get();
  if (existing) return { state: existing, created: false };
  const mode = accountMode === 'paper' ? 'ACTIVE' : 'HALTED';
  const reason = accountMode === 'paper' ? 'first start of a paper account' : 'first start of a live account: halted until lifted by authorised people';
  try {
    const state = await deps.store.compareAndSet(-1, { mode, changedAt: deps.clock.now().toISOString(), changedBy: 'system', reason });
    await deps.audit.append({ actor: 'system', action: 'TRADING_STATE_INITIALISED', subject: 'trading-state', data: { mode, version: state.version, accountMode, reason } });
    return { state, created: true };
  } catch (e) {
    if (e instanceof ConcurrencyError) {
      const winner = await deps.store.get();
      if (winner) return { state: winner, created: false };
    }
    throw e;
  }
}
