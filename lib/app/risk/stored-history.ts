import { tradingDayOf } from '../../core/calendar/nyse.js';
import { returnsFromCloses } from '../../core/risk/history-returns.js';
import type { Clock } from '../../core/shared/clock.js';
import type { PriceHistoryStore } from '../../ports/price-history.js';
import type { ReturnsSource } from './risk-cycle.js';

export interface StoredHistoryOptions {
  /** Daily returns per VaR (config `risk.varWindowDays`). */
  window: number;
  /** Days of the window a symbol may lack a close (config `risk.maxMissingDays`). */
  maxMissingDays: number;
  clock: Pick<Clock, 'now'>;
}

/**
 * The risk cycle's returns in both runtimes: the daily closes the bridge stored (IB's daily bars),
 * turned into aligned simple returns over the window. A held symbol without a usable history is a
 * gap in the result — the cycle leaves it out of VaR and raises `var_history_gap` — never replaced
 * by made-up returns.
 * @example
 * const returns = storedHistoryReturns(stores.priceHistory, { window: 250, maxMissingDays: 5, clock });
 */
export function storedHistoryReturns(store: Pick<PriceHistoryStore, 'get'>, options: StoredHistoryOptions): ReturnsSource {
  return async (symbols) => {
    const stored = await store.get(symbols, { since: sinceFor(options.window + options.maxMissingDays, options.clock.now()) });
    const r = returnsFromCloses(new Map(stored.map((h) => [h.symbol as string, h.closes])), symbols, { window: options.window, maxMissingDays: options.maxMissingDays });
    const covered = new Set(r.covered);
    const sources = [...new Set(stored.filter((h) => covered.has(h.symbol)).map((h) => h.source))].sort();
    return {
      matrix: r.matrix,
      history: { source: sources.length === 0 ? 'none' : sources.join(','), window: r.window, from: r.from ?? null, asOf: r.asOf ?? null, symbols: r.covered, gaps: r.gaps },
    };
  };
}

/**
 * The first calendar day worth reading for `tradingDays` closes before today: 7/5 calendar days per
 * trading day plus three weeks of holidays, so the read stays a few items per symbol as years of
 * history pile up.
 */
function sinceFor(tradingDays: number, now: Date): string {
  const days = Math.ceil(((tradingDays + 1) * 7) / 5) + 21;
  return tradingDayOf(new Date(now.getTime() - days * 86_400_000));
}
