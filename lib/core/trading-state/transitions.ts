import { InvariantError } from '../shared/errors.js';
import { TradingMode, type TradingState } from './trading-state.js';

/**
 * The trading-state machine: ACTIVE (trade freely), REDUCING (only orders that reduce exposure),
 * HALTED (kill switch: no new orders; cancels still go through). What each mode allows is here;
 * who may move it (two-person unlock from HALTED, roles) is the controls layer's job, not this one.
 *
 * Every mode may move to every other: a halt must be possible from anywhere, and an unlock may go
 * straight back to ACTIVE or step through REDUCING. The table still exists so that a later rule
 * (e.g. "HALTED → ACTIVE only via REDUCING") is one edit.
 */
export const TRADING_TRANSITIONS: Readonly<Record<TradingMode, readonly TradingMode[]>> = {
  ACTIVE: [TradingMode.REDUCING, TradingMode.HALTED],
  REDUCING: [TradingMode.ACTIVE, TradingMode.HALTED],
  HALTED: [TradingMode.REDUCING, TradingMode.ACTIVE],
};

export const TradingStateErrorCode = {
  ILLEGAL_TRANSITION: 'TRADING_STATE.ILLEGAL_TRANSITION',
  REASON_REQUIRED: 'TRADING_STATE.REASON_REQUIRED',
} as const;

/** Denial codes for a submit refused by the trading state (used by the final gate and pre-trade). */
export const TradingStateDenial = {
  HALTED: 'TRADING_STATE.HALTED',
  REDUCING_ONLY: 'TRADING_STATE.REDUCING_ONLY',
} as const;

/**
 * The first record, written once by the first start (`compareAndSet(-1, …)`). The mode is the
 * caller's explicit choice from config — e.g. ACTIVE for a paper account, HALTED for a fresh live
 * install that must be reviewed first — so there is no default to trip over.
 * @example await store.compareAndSet(-1, initialTradingState(clock.now(), 'ACTIVE', { by: 'local-runtime', reason: 'paper start' }))
 */
export function initialTradingState(at: Date | string, mode: TradingMode, options: { by?: string; reason?: string } = {}): TradingState {
  return {
    mode,
    version: 0,
    changedAt: typeof at === 'string' ? at : at.toISOString(),
    changedBy: options.by ?? 'system',
    reason: options.reason ?? 'initial state',
  };
}

/**
 * Whether a new order may be submitted in `mode`. `reducesExposure`: the order only shrinks an open
 * position toward zero (never flips it) — the caller decides that against current positions.
 * @example canSubmit('REDUCING', { reducesExposure: true }) // true
 */
export function canSubmit(mode: TradingMode, order: { reducesExposure: boolean }): boolean {
  return submitDenial(mode, order) === undefined;
}

/** Why `canSubmit` says no, as a denial code; `undefined` when the submit is allowed. */
export function submitDenial(mode: TradingMode, order: { reducesExposure: boolean }): (typeof TradingStateDenial)[keyof typeof TradingStateDenial] | undefined {
  switch (mode) {
    case 'ACTIVE':
      return undefined;
    case 'REDUCING':
      return order.reducesExposure ? undefined : TradingStateDenial.REDUCING_ONLY;
    case 'HALTED':
      return TradingStateDenial.HALTED;
  }
}

/** Cancels are always allowed: a kill switch must be able to withdraw working orders. */
export const canCancel = (_mode: TradingMode): boolean => true;

export const canMove = (from: TradingMode, to: TradingMode): boolean => from === to || TRADING_TRANSITIONS[from].includes(to);

export type TradingStateChange = { changed: true; from: TradingMode; state: TradingState } | { changed: false; state: TradingState };

/**
 * The state after a request to move to `to`. Same mode: `{ changed: false }` with the current
 * record untouched (a repeated kill switch is not a new event). Otherwise the new record with
 * `version + 1`; write it with `compareAndSet(current.version, …)` and publish TradingStateChanged.
 * @throws InvariantError `TRADING_STATE.REASON_REQUIRED` for an empty reason (the audit needs one);
 *   `TRADING_STATE.ILLEGAL_TRANSITION` for a move the table does not allow
 * @example
 * const r = nextState(current, 'HALTED', 'john.doe', 'Manual activation', clock.now());
 * if (r.changed) await store.compareAndSet(current.version, r.state);
 */
export function nextState(current: TradingState, to: TradingMode, by: string, reason: string, at: Date | string): TradingStateChange {
  if (current.mode === to) return { changed: false, state: current };
  if (by.trim() === '' || reason.trim() === '') throw new InvariantError(TradingStateErrorCode.REASON_REQUIRED, 'a trading-state change needs who and why');
  if (!canMove(current.mode, to)) throw new InvariantError(TradingStateErrorCode.ILLEGAL_TRANSITION, `trading state cannot go from ${current.mode} to ${to}`, { details: { from: current.mode, to } });
  return {
    changed: true,
    from: current.mode,
    state: { mode: to, version: current.version + 1, changedAt: typeof at === 'string' ? at : at.toISOString(), changedBy: by, reason },
  };
}
