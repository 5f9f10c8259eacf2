/** Builders of valid test values (parsed, so brands are real), overridable field by field. */
import { RUNBOOK_RISK_ALERTS } from '../../lib/app/risk/policy.js';
import type { VarReturns } from '../../lib/app/risk/risk-cycle.js';
import type { Position } from '../../lib/core/positions/position.js';
import { PositionSchema } from '../../lib/core/positions/position.js';
import { syntheticReturns } from '../../lib/core/risk/synthetic-returns.js';
import { SignalSchema, type Signal } from '../../lib/core/signals/signal.js';
import type { RiskPolicy } from '../../lib/ports/risk.js';

/** A small synthetic universe: deterministic returns, seeded (tests only; the runtimes read stored history). */
export const UNIVERSE = ['AAPL', 'MSFT', 'SPY', 'XOM'] as const;
export const testMatrix = (symbols: readonly string[]) => syntheticReturns({ symbols: [...UNIVERSE].filter((s) => symbols.includes(s)), days: 300, seed: 42, tailDof: 5 });
export const testReturns = (symbols: readonly string[]): VarReturns => {
  const matrix = testMatrix(symbols);
  const gaps = symbols.filter((s) => !matrix.symbols.includes(s)).map((symbol) => ({ symbol, reason: 'no_history' as const, closesInWindow: 0 }));
  return { matrix: matrix.instruments === 0 ? undefined : matrix, history: { source: 'synthetic', window: matrix.days, from: null, asOf: null, symbols: [...matrix.symbols], gaps } };
};

export function aPosition(symbol: string, quantity: number, price: string, overrides: Partial<Position> = {}): Position {
  return PositionSchema.parse({ account: 'DU1', symbol, quantity, avgCost: price, currency: 'USD', marketPrice: price, realizedPnl: '0', updatedAt: '2026-11-27T14:00:00.000Z', ...overrides });
}

export function aPolicy(overrides: Partial<RiskPolicy> = {}): RiskPolicy {
  return { varLimit: '1000000', dailyLossLimit: '10000', maxLeverage: '2', confidence: 0.99, window: 250, alerts: RUNBOOK_RISK_ALERTS.map((a) => ({ ...a, notify: [...a.notify] })), ...overrides };
}

let seq = 0;
/** A valid signal (parsed, so brands are real), overridable field by field; a fresh signalId each call. */
export function aSignal(overrides: Partial<Record<keyof Signal, unknown>> = {}): Signal {
  seq += 1;
  return SignalSchema.parse({
    signalId: `SIG-${seq}`,
    strategyId: 'momentum-1',
    agentId: 'momentum-agent',
    agentVersion: '1.0.0',
    symbol: 'AAPL',
    direction: 'LONG',
    targetWeight: '0.05',
    strength: 1,
    horizon: '1d',
    rationale: 'test signal',
    createdAt: '2026-11-26T15:00:00.000Z',
    ...overrides,
  });
}
