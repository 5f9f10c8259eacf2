/**
 * In-memory SignalStore with the port's contract (idempotent by signalId, latest per
 * symbol/strategy by createdAt then signalId), and a Signal builder for tests.
 */
import { isNewer } from '../../core/signals/lifetime.js';
import { SignalSchema, type Signal } from '../../core/signals/signal.js';
import type { SignalRecordOutcome, SignalStore } from '../../ports/signals.js';
import { tradingDayOf } from './gateway-stores.js';

const copy = <T>(v: T): T => structuredClone(v);

export class InMemorySignalStore implements SignalStore {
  readonly signals = new Map<string, Signal>();
  private readonly latest = new Map<string, Signal>();
  async record(signal: Signal): Promise<SignalRecordOutcome> {
    const known = this.signals.get(signal.signalId);
    if (known !== undefined) return sameSignal(known, signal) ? 'duplicate' : 'conflict';
    this.signals.set(signal.signalId, copy(signal));
    const key = `${signal.symbol}#${signal.strategyId}`;
    const current = this.latest.get(key);
    if (current === undefined || isNewer(signal, current)) this.latest.set(key, copy(signal));
    return 'recorded';
  }
  async get(signalId: string): Promise<Signal | undefined> {
    const s = this.signals.get(signalId);
    return s === undefined ? undefined : copy(s);
  }
  async latestBySymbol(symbol: string): Promise<Signal[]> {
    return [...this.latest.values()].filter((s) => s.symbol === symbol).map(copy);
  }
  async listByStrategy(strategyId: string, day: string): Promise<Signal[]> {
    return [...this.signals.values()]
      .filter((s) => s.strategyId === strategyId && tradingDayOf(s.createdAt) === day)
      .sort((a, b) => (isNewer(a, b) ? 1 : -1))
      .map(copy);
  }
}

const sameSignal = (a: Signal, b: Signal): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const sortKeys = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

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
