import type { DailyClose } from '../market/price-history.js';
import { RiskParameterError } from './errors.js';
import { returnsMatrix, type ReturnsMatrix } from './returns-matrix.js';

/** Why a symbol's history could not be used for VaR. */
export const HistoryGapReason = {
  /** Nothing stored for the symbol. */
  NO_HISTORY: 'no_history',
  /** Its first close is after the window's first day: fewer returns than the window needs. */
  TOO_SHORT: 'too_short',
  /** More of the window's days lack a close than `maxMissingDays` allows. */
  TOO_MANY_GAPS: 'too_many_gaps',
} as const;
export type HistoryGapReason = (typeof HistoryGapReason)[keyof typeof HistoryGapReason];

export interface HistoryGap {
  symbol: string;
  reason: HistoryGapReason;
  /** Closes the symbol has on the window's days. */
  closesInWindow: number;
}

export interface HistoryReturnsOptions {
  /** Daily returns wanted per symbol (the VaR window); the window spans `window + 1` closes. */
  window: number;
  /**
   * Days of the window a symbol may lack a close on (a halt, a late listing on another venue's
   * holiday): its previous close is carried forward, so that day's return is 0 and the move lands
   * on the next day with a close — the total over the window is kept. @default 5
   */
  maxMissingDays?: number;
}

export interface HistoryReturns {
  /** Simple daily returns of the covered symbols over the window; undefined when none is covered. */
  matrix: ReturnsMatrix | undefined;
  /** Symbols in the matrix, in the order asked for. */
  covered: string[];
  /** Symbols left out, each with its reason: never silently replaced by anything. */
  gaps: HistoryGap[];
  /** The day of the window's first close (base of the first return); undefined with too little history. */
  from: string | undefined;
  /** The window's last day: the most recent close of any symbol asked for. */
  asOf: string | undefined;
  /** Returns per covered symbol (= options.window when anything is covered, else 0). */
  window: number;
}

/**
 * Daily **simple** returns rₜ = Pₜ / Pₜ₋₁ − 1 from stored closes, aligned on common days.
 *
 * Simple, not log: VaR revalues each position as exposure × return, and a linear position's P&L
 * over a day is exactly e·(Pₜ/Pₜ₋₁ − 1); simple returns also add across instruments (the portfolio
 * return is the exposure-weighted sum), which log returns do not. (Log returns add over time, which
 * a one-day VaR never needs.)
 *
 * Alignment: the window's days are the last `window + 1` days on which ANY of the symbols has a
 * close (the reference calendar, so an exchange holiday is a day nobody has). A symbol missing a
 * reference day carries its previous close forward, up to `maxMissingDays`; a symbol whose history
 * does not reach back to the window's first day, or misses more, is a gap — reported, not filled.
 * @example
 * const r = returnsFromCloses(new Map([['AAPL', closes]]), ['AAPL', 'NEW'], { window: 250 });
 * r.gaps // [{ symbol: 'NEW', reason: 'no_history', closesInWindow: 0 }]
 */
export function returnsFromCloses(history: ReadonlyMap<string, readonly DailyClose[]>, symbols: readonly string[], options: HistoryReturnsOptions): HistoryReturns {
  const { window } = options;
  const maxMissing = options.maxMissingDays ?? 5;
  if (!Number.isInteger(window) || window < 2) throw new RiskParameterError('window', `must be an integer ≥ 2, got ${window}`);
  if (!Number.isInteger(maxMissing) || maxMissing < 0) throw new RiskParameterError('maxMissingDays', `must be an integer ≥ 0, got ${maxMissing}`);

  const wanted = [...new Set(symbols)];
  // The union's last window + 1 days are among each symbol's own last window + 1 (a symbol has no
  // more days after such a day than the union has), so only those tails need to be read.
  const daySet = new Set<string>();
  for (const s of wanted) {
    const closes = history.get(s) ?? [];
    for (let i = Math.max(0, closes.length - window - 1); i < closes.length; i++) daySet.add(closes[i]!.day);
  }
  const allDays = [...daySet].sort();
  const asOf = allDays.at(-1);
  const ref = allDays.slice(-(window + 1));
  const enough = ref.length === window + 1;

  const covered: string[] = [];
  const rows: Float64Array[] = [];
  const gaps: HistoryGap[] = [];
  for (const symbol of wanted) {
    const closes = history.get(symbol) ?? [];
    if (closes.length === 0) {
      gaps.push({ symbol, reason: HistoryGapReason.NO_HISTORY, closesInWindow: 0 });
      continue;
    }
    const prices = alignedPrices(closes, ref);
    if (!enough || prices.firstKnown !== 0) {
      gaps.push({ symbol, reason: HistoryGapReason.TOO_SHORT, closesInWindow: prices.present });
      continue;
    }
    if (ref.length - prices.present > maxMissing) {
      gaps.push({ symbol, reason: HistoryGapReason.TOO_MANY_GAPS, closesInWindow: prices.present });
      continue;
    }
    const row = new Float64Array(window);
    for (let t = 1; t <= window; t++) row[t - 1] = prices.p[t]! / prices.p[t - 1]! - 1;
    covered.push(symbol);
    rows.push(row);
  }

  const data = new Float64Array(covered.length * window);
  rows.forEach((row, i) => data.set(row, i * window));
  return {
    matrix: covered.length === 0 ? undefined : returnsMatrix(covered, window, data),
    covered,
    gaps,
    from: enough ? ref[0] : undefined,
    asOf,
    window: covered.length === 0 ? 0 : window,
  };
}

/**
 * The symbol's price on each reference day: its close that day, else its latest earlier close.
 * `firstKnown` is the first reference index with a price (−1: none); `present` counts exact closes.
 */
function alignedPrices(closes: readonly DailyClose[], ref: readonly string[]): { p: Float64Array; firstKnown: number; present: number } {
  const p = new Float64Array(ref.length);
  // Start at the latest close on or before the window's first day (binary search: years of history precede it).
  let lo = 0;
  let hi = closes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (closes[mid]!.day <= (ref[0] ?? '')) lo = mid + 1;
    else hi = mid;
  }
  let j = Math.max(0, lo - 1);
  let last = Number.NaN;
  let firstKnown = -1;
  let present = 0;
  for (let t = 0; t < ref.length; t++) {
    const day = ref[t]!;
    while (j < closes.length && closes[j]!.day <= day) {
      last = Number(closes[j]!.close);
      if (closes[j]!.day === day) present += 1;
      j += 1;
    }
    p[t] = last;
    if (firstKnown === -1 && !Number.isNaN(last)) firstKnown = t;
  }
  return { p, firstKnown, present };
}
