import type { UserRole } from '../../core/auth/roles.js';
import { KillSwitchCode, modeChangeVerdict, type SettableMode } from '../../core/kill-switch/rules.js';
import { ConcurrencyError, err, ok, type Result } from '../../core/shared/errors.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import { nextState } from '../../core/trading-state/transitions.js';
import { notifySafely, publishStateChanged, type KillSwitchDeps } from './deps.js';

export type TradingModeError = { code: string; message: string; status: 403 | 404 | 409 | 503 };

/**
 * REDUCING mode (only exposure-reducing orders; pre-trade and the final gate enforce it) and the
 * way back to ACTIVE, set like the kill switch: one conditional write, an audit entry with who and
 * why, TradingStateChanged, and on-call and risk told. HALTED is never left here (409: two-person
 * unlock); back to ACTIVE needs a risk manager (see `modeChangeVerdict`).
 * @example
 * await setTradingMode(deps, { to: 'REDUCING', by: 'jane.doe', roles: ['risk_manager'], reason: 'VaR at 95 %', correlationId });
 */
export async function setTradingMode(
  deps: Pick<KillSwitchDeps, 'tradingState' | 'audit' | 'publisher' | 'notifier' | 'clock' | 'newId' | 'logger'>,
  req: { to: SettableMode; by: string; roles: readonly UserRole[]; reason: string; correlationId: string },
): Promise<Result<{ changed: boolean; from: TradingState['mode']; state: TradingState; notified: boolean }, TradingModeError>> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await deps.tradingState.get();
    if (current === undefined) return err({ code: KillSwitchCode.NOT_INITIALISED, message: 'no trading-state record yet (first start in progress)', status: 503 });
    const verdict = modeChangeVerdict(current.mode, req.to, req.roles);
    if (!verdict.allowed) return err({ code: verdict.code, message: verdict.message, status: verdict.status });
    const change = nextState(current, req.to, req.by, req.reason, deps.clock.now());
    if (!change.changed) return ok({ changed: false, from: current.mode, state: current, notified: false });
    let state: TradingState;
    try {
      state = await deps.tradingState.compareAndSet(current.version, change.state);
    } catch (e) {
      if (e instanceof ConcurrencyError) continue; // someone else wrote (a kill switch?): re-read and judge again
      throw e;
    }
    await deps.audit.append({ actor: req.by, action: 'TRADING_MODE_CHANGED', subject: 'trading-state', correlationId: req.correlationId, data: { from: change.from, to: req.to, version: state.version, reason: req.reason, roles: [...req.roles] } });
    await publishStateChanged(deps, { from: change.from, to: req.to, version: state.version, changedBy: req.by, reason: req.reason }, req.correlationId);
    const notified = await notifySafely(deps, {
      audience: ['oncall', 'risk_manager'],
      severity: 'WARNING',
      subject: `Trading mode ${change.from} → ${req.to} by ${req.by}`,
      message: req.to === 'REDUCING' ? `Only exposure-reducing orders are accepted from now on (${req.reason}).` : `Trading is back to ACTIVE (${req.reason}).`,
      correlationId: req.correlationId,
      data: { from: change.from, to: req.to, version: state.version, by: req.by, reason: req.reason },
    });
    return ok({ changed: true, from: change.from, state, notified });
  }
  return err({ code: KillSwitchCode.CONTENDED, message: 'the trading state kept changing; try again', status: 409 });
}
