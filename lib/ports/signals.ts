import type { Signal } from '../core/signals/signal.js';

/**
 * What `record` did with a signal: stored it, recognised a redelivery (same signalId, same
 * content), or refused a different signal reusing a known signalId.
 */
export type SignalRecordOutcome = 'recorded' | 'duplicate' | 'conflict';

/**
 * Signals, idempotent by signalId. Besides the signal itself, the store keeps the latest signal per
 * (symbol, strategy) — "latest" by createdAt, then signalId, whatever the arrival order — which is
 * what the CIO nets.
 * @example
 * if ((await signals.record(s)) !== 'conflict') await publisher.publish([signalReceived]);
 * const latest = await signals.latestBySymbol('AAPL'); // one per strategy
 */
export interface SignalStore {
  /** Stores the signal unless its signalId is known; see `SignalRecordOutcome`. */
  record(signal: Signal): Promise<SignalRecordOutcome>;
  get(signalId: string): Promise<Signal | undefined>;
  /** The latest signal of each strategy for a symbol (expired ones included: the caller judges). */
  latestBySymbol(symbol: string): Promise<Signal[]>;
  /** A strategy's signals created on a trading day (`YYYY-MM-DD`, America/New_York), oldest first. */
  listByStrategy(strategyId: string, day: string): Promise<Signal[]>;
}
