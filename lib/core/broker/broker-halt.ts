import type { TradingMode, TradingState } from '../trading-state/trading-state.js';

/**
 * The broker-watch agent's halts are written into the trading-state record itself, so the record
 * says who halted, why, and what to go back to — readable by a person in `/api/system/status` and
 * by the agent when the broker is reconciled again. No second store can drift from it.
 *
 * Reason format: `<kind>: <cause> [resume: ACTIVE]`.
 */
export const BROKER_WATCH_ACTOR = 'system:broker-watch';

/** `broker_disconnect`: the alert of alerts.yaml (pages); `broker_maintenance`: an expected disconnect in a known window (no page); `broker_mismatch`: reconciled but not aligned. */
export const BrokerHaltKind = { DISCONNECT: 'broker_disconnect', MAINTENANCE: 'broker_maintenance', MISMATCH: 'broker_mismatch' } as const;
export type BrokerHaltKind = (typeof BrokerHaltKind)[keyof typeof BrokerHaltKind];

export interface BrokerHalt {
  readonly kind: BrokerHaltKind;
  readonly resumeTo: Exclude<TradingMode, 'HALTED'>;
  readonly cause: string;
}

const PATTERN = /^(broker_disconnect|broker_maintenance|broker_mismatch): (.*) \[resume: (ACTIVE|REDUCING)\]$/s;

/** @example brokerHaltReason({ kind: 'broker_disconnect', cause: 'IB 1100', resumeTo: 'ACTIVE' }) // 'broker_disconnect: IB 1100 [resume: ACTIVE]' */
export function brokerHaltReason(halt: BrokerHalt): string {
  return `${halt.kind}: ${halt.cause.replace(/\s+/g, ' ').slice(0, 300)} [resume: ${halt.resumeTo}]`;
}

/**
 * The broker-watch halt the record holds, or undefined if the record is not one (not HALTED, or
 * halted by anyone else — a person's halt is never lifted by the agent).
 */
export function brokerHaltOf(state: TradingState | undefined): BrokerHalt | undefined {
  if (state === undefined || state.mode !== 'HALTED' || state.changedBy !== BROKER_WATCH_ACTOR) return undefined;
  const m = PATTERN.exec(state.reason);
  if (m === null) return undefined;
  return { kind: m[1] as BrokerHaltKind, cause: m[2] ?? '', resumeTo: m[3] as 'ACTIVE' | 'REDUCING' };
}
