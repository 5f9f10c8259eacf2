import { InvariantError } from '../shared/errors.js';
import type { TradingMode, TradingState } from '../trading-state/trading-state.js';
import type { UserRole } from '../auth/roles.js';

/** Stable codes of the kill-switch controls. */
export const KillSwitchCode = {
  /** HALTED is lifted only by the two-person unlock (runbook: Kill Switch Deactivation). */
  UNLOCK_REQUIRED: 'KILL_SWITCH.UNLOCK_REQUIRED',
  /** Back to ACTIVE from REDUCING needs a risk manager. */
  ROLE_REQUIRED: 'KILL_SWITCH.ROLE_REQUIRED',
  NOT_INITIALISED: 'KILL_SWITCH.NOT_INITIALISED',
  STRATEGY_NOT_HALTED: 'KILL_SWITCH.STRATEGY_NOT_HALTED',
  /** The conditional write kept losing to other writers. */
  CONTENDED: 'KILL_SWITCH.CONTENDED',
} as const;

/** Modes `POST /api/system/trading_mode` may set; HALTED has its own route (the kill switch). */
export const SETTABLE_MODES = ['REDUCING', 'ACTIVE'] as const;
export type SettableMode = (typeof SETTABLE_MODES)[number];

export type ModeChangeVerdict = { allowed: true } | { allowed: false; code: string; status: 403 | 409; message: string };

/**
 * Who may move the firm between ACTIVE and REDUCING, and the one thing nobody may do here: leave
 * HALTED. Going to REDUCING restricts trading, so an operator or a risk manager may do it (FIA:
 * operable by the trader and by risk); going back to ACTIVE widens it, so only a risk manager
 * (or admin) may. A halt is lifted only through the two-person unlock.
 * @example modeChangeVerdict('HALTED', 'REDUCING', ['risk_manager']) // { allowed: false, code: 'KILL_SWITCH.UNLOCK_REQUIRED', status: 409, ... }
 */
export function modeChangeVerdict(from: TradingMode, to: SettableMode, roles: readonly UserRole[]): ModeChangeVerdict {
  if (from === 'HALTED') {
    return { allowed: false, code: KillSwitchCode.UNLOCK_REQUIRED, status: 409, message: 'trading is HALTED: it is lifted only by the two-person unlock (POST /api/system/unlock_request, then unlock_approve by a second person)' };
  }
  if (to === 'ACTIVE' && from !== 'ACTIVE' && !roles.some((r) => r === 'risk_manager' || r === 'admin')) {
    return { allowed: false, code: KillSwitchCode.ROLE_REQUIRED, status: 403, message: `only a risk manager may move trading from ${from} back to ACTIVE` };
  }
  return { allowed: true };
}

/**
 * Bounded backoff between global-cancel verification rounds: 50, 100, 200, 400 ms … capped.
 * @example cancelRetryDelayMs(3, { initialMs: 50, maxMs: 1000 }) // 200
 */
export function cancelRetryDelayMs(attempt: number, policy: { initialMs: number; maxMs: number }): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new InvariantError('KILL_SWITCH.BAD_ATTEMPT', `attempt must be a positive integer, got ${attempt}`);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
}

/** Whether the stored activation record belongs to the current halt (same trading-state version). */
export const activationMatches = (state: Pick<TradingState, 'mode' | 'version'>, activation: { stateVersion: number } | undefined): boolean =>
  state.mode === 'HALTED' && activation !== undefined && activation.stateVersion === state.version;
