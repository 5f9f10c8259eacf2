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
  /**
   * How long one read of the closes (and the returns built from it) serves the same symbols; default
   * 60 s. Closes change once a day (after the close, when the bridge stores the finished session),
   * while the risk cycle runs on every fill: without it each fill re-read every held symbol's year
   * of history. The cost is a VaR up to this long behind a fresh history; 0 reads every time.
   */
  cacheMs?: number;
}

const DEFAULT_CACHE_MS = 60_000;

/**
 * The risk cycle's returns in both runtimes: the daily closes the bridge stored (IB's daily bars),
 * turned into aligned simple returns over the window. A held symbol without a usable history is a
 * gap in the result — the cycle leaves it out of VaR and raises `var_history_gap` — never replaced
 * by made-up returns.
 * @example
 * const returns = storedHistoryReturns(stores.priceHistory, { window: 250, maxMissingDays: 5, clock });
 */
export function storedHistoryReturns(store: Pick<PriceHistoryStore, 'get'>, options: StoredHistoryOptions): ReturnsSource {
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  let cached: { key: string; at: number; value: Promise<Awaited<ReturnType<ReturnsSource>>> } | undefined;
  const compute = async (symbols: readonly string[]) => {
    const stored = await store.get(symbols, { since: sinceFor(options.window + options.maxMissingDays, options.clock.now()) });
    const r = returnsFromCloses(new Map(stored.map((h) => [h.symbol as string, h.closes])), symbols, { window: options.window, maxMissingDays: options.maxMissingDays });
    const covered = new Set(r.covered);
    const sources = [...new Set(stored.filter((h) => covered.has(h.symbol)).map((h) => h.source))].sort();
    return {
      matrix: r.matrix,
      history: { source: sources.length === 0 ? 'none' : sources.join(','), window: r.window, from: r.from ?? null, asOf: r.asOf ?? null, symbols: r.covered, gaps: r.gaps },
    };
  };
  return async (symbols) => {
    const now = options.clock.now().getTime();
    // Keyed by the symbols asked for and the day (a new day moves the window).
    const key = `${tradingDayOf(new Date(now))}|${[...new Set(symbols)].sort().join(',')}`;
    if (cacheMs > 0 && cached !== undefined && cached.key === key && now - cached.at < cacheMs) return cached.value;
    const value = compute(symbols);
    cached = { key, at: now, value };
    // A failed read is not kept, nor one with gaps (at start-up the first cycle may run before the
    // bridge has stored any history): the next cycle reads again.
    value.then(
      (v) => {
        if (v.history.gaps.length > 0 && cached?.value === value) cached = undefined;
      },
      () => {
        if (cached?.value === value) cached = undefined;
      },
    );
    return value;
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
