import type { Order } from '../../lib/core/orders/order.js';
import type { Position } from '../../lib/core/positions/position.js';
import type { TradingState } from '../../lib/core/trading-state/trading-state.js';
import { strategyHaltDenial, type StrategyHalt } from '../../lib/core/kill-switch/halts.js';

/** Reason codes of an OrderDenied raised by the bridge's final gate. */
export const DenyReason = {
  TRADING_HALTED: 'TRADING_HALTED',
  NOT_RISK_REDUCING: 'NOT_RISK_REDUCING',
  TRADING_STATE_UNKNOWN: 'TRADING_STATE_UNKNOWN',
  UNKNOWN_ORDER: 'UNKNOWN_ORDER',
  DUPLICATE_ORDER: 'DUPLICATE_ORDER',
  UNKNOWN_INSTRUMENT: 'UNKNOWN_INSTRUMENT',
  /** Kill switch scoped to one strategy. */
  STRATEGY_HALTED: 'STRATEGY_HALTED',
} as const;
export type DenyReason = (typeof DenyReason)[keyof typeof DenyReason];

export type GateDecision = { allow: true } | { allow: false; reasonCode: DenyReason; reason: string };

/**
 * The last check before an order reaches IB (defence in depth: the kill switch and trading state
 * are enforced again at the last hop, whatever is in flight upstream). Pure; the router reads the
 * inputs fresh for every command.
 *
 * Precedence: unknown order, then duplicate (a working order is never touched), then trading state.
 * A missing trading-state record fails closed.
 * @example
 * finalGate({ order, tradingState, positions, knownSymbol: true }) // { allow: false, reasonCode: 'TRADING_HALTED', ... }
 */
export function finalGate(input: { order: Order | undefined; tradingState: TradingState | undefined; positions: ReadonlyArray<Position>; knownSymbol: boolean; haltedStrategies?: ReadonlyArray<StrategyHalt> | undefined }): GateDecision {
  const { order, tradingState } = input;
  if (order === undefined) return deny('UNKNOWN_ORDER', 'no such clientOrderId in the order store');
  if (order.status !== 'APPROVED' || order.brokerOrderId !== undefined) return deny('DUPLICATE_ORDER', `order is ${order.status}${order.brokerOrderId === undefined ? '' : ` with broker id ${order.brokerOrderId}`}, not APPROVED: already submitted or closed`);
  if (!input.knownSymbol) return deny('UNKNOWN_INSTRUMENT', `${order.symbol} is not in the configured universe`);
  if (tradingState === undefined) return deny('TRADING_STATE_UNKNOWN', 'no trading-state record: failing closed');
  // kill switch: the firm-wide halt is the stronger statement, so it is reported first
  if (tradingState.mode !== 'HALTED') {
    // The same rule the CIO applies to signals (lib/core/kill-switch/halts.ts).
    const halted = strategyHaltDenial(order.origin?.strategyId, input.haltedStrategies ?? []);
    if (halted !== undefined) return deny('STRATEGY_HALTED', halted.message);
  }
  switch (tradingState.mode) {
    case 'ACTIVE':
      return { allow: true };
    case 'HALTED':
      return deny('TRADING_HALTED', `trading is HALTED (v${tradingState.version}: ${tradingState.reason})`);
    case 'REDUCING':
      return isRiskReducing(order, input.positions) ? { allow: true } : deny('NOT_RISK_REDUCING', `trading is REDUCING and ${order.side} ${order.quantity} ${order.symbol} does not reduce the position`);
  }
}

/**
 * True if the order only shrinks an existing position towards zero (never flips or opens one).
 * Positions are summed over accounts unless the order names its account.
 */
export function isRiskReducing(order: Pick<Order, 'symbol' | 'side' | 'quantity' | 'account'>, positions: ReadonlyArray<Position>): boolean {
  const held = positions.filter((p) => p.symbol === order.symbol && (order.account === undefined || p.account === order.account)).reduce((n, p) => n + p.quantity, 0);
  if (held > 0) return order.side === 'SELL' && order.quantity <= held;
  if (held < 0) return order.side === 'BUY' && order.quantity <= -held;
  return false;
}

function deny(reasonCode: DenyReason, reason: string): GateDecision {
  return { allow: false, reasonCode, reason };
}
