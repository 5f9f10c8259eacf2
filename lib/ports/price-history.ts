import type { PriceHistory } from '../core/market/price-history.js';

/**
 * Daily closes per instrument: written by the broker bridge from IB's daily bars, read by the risk
 * agent for VaR (both runtimes). Closes are decimal strings end to end: nothing in storage drifts.
 * One writer (the bridge) per symbol; a merge is read-modify-write, not a transaction.
 * @example
 * await history.merge({ symbol: 'AAPL', source: 'ib:TRADES', updatedAt, closes });
 * const [aapl] = await history.get(['AAPL'], { since: '2025-01-01' });
 */
export interface PriceHistoryStore {
  /** Merges one symbol's closes into what is stored: by day, the new close wins a day both have; `source` and `updatedAt` are replaced. An empty `closes` changes nothing. */
  merge(history: PriceHistory): Promise<void>;
  /** The stored history of each of `symbols` that has one (others are absent), closes oldest first, from `since` (a day, inclusive) on. */
  get(symbols: readonly string[], options?: { since?: string }): Promise<PriceHistory[]>;
}
