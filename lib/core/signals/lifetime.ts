import { tradingDayOf } from '../calendar/nyse.js';
import type { Signal } from './signal.js';

/**
 * How long a signal counts. `intraday` lasts until the end of its New York calendar day; the others
 * are fixed durations from `createdAt` (1d = 24 h, 1w = 7 d, 1m = 30 d). A later signal of the same
 * strategy for the same symbol replaces an earlier one whatever their horizons.
 */
const HORIZON_MS: Readonly<Record<Exclude<Signal['horizon'], 'intraday'>, number>> = {
  '1d': 24 * 3_600_000,
  '1w': 7 * 24 * 3_600_000,
  '1m': 30 * 24 * 3_600_000,
};

/**
 * Whether `signal` has expired at `now`.
 * @example isExpired({ horizon: '1d', createdAt: '2026-11-26T14:30:00.000Z' }, new Date('2026-11-27T14:30:00.000Z')) // true
 */
export function isExpired(signal: Pick<Signal, 'horizon' | 'createdAt'>, now: Date): boolean {
  const created = new Date(signal.createdAt);
  if (signal.horizon === 'intraday') return tradingDayOf(now) > tradingDayOf(created);
  return now.getTime() >= created.getTime() + HORIZON_MS[signal.horizon];
}

/** Newer first: later `createdAt`, ties broken by the larger signalId, so the order is total. */
export function isNewer(a: Pick<Signal, 'createdAt' | 'signalId'>, b: Pick<Signal, 'createdAt' | 'signalId'>): boolean {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  return ta !== tb ? ta > tb : a.signalId > b.signalId;
}

/**
 * The signals that count for one symbol at `now`: the latest per strategy, dropped if expired
 * (an expired latest signal is not replaced by an older one — the strategy has gone quiet).
 * Sorted by strategyId, so everything downstream is deterministic.
 * @example activeSignals(await store.latestBySymbol('AAPL'), clock.now())
 */
export function activeSignals(signals: readonly Signal[], now: Date): Signal[] {
  const latest = new Map<string, Signal>();
  for (const s of signals) {
    const current = latest.get(s.strategyId);
    if (current === undefined || isNewer(s, current)) latest.set(s.strategyId, s);
  }
  return [...latest.values()].filter((s) => !isExpired(s, now)).sort((a, b) => (a.strategyId < b.strategyId ? -1 : a.strategyId > b.strategyId ? 1 : 0));
}
