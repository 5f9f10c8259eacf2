import { describe, expect, it } from 'vitest';
import { runRiskCycle, type RiskCycleDeps } from '../../../lib/app/risk/risk-cycle.js';
import { storedHistoryReturns } from '../../../lib/app/risk/stored-history.js';
import { nextTradingDay } from '../../../lib/core/calendar/nyse.js';
import type { DailyClose } from '../../../lib/core/market/price-history.js';
import { exposureVector } from '../../../lib/core/risk/metrics.js';
import { returnsMatrixFromRows } from '../../../lib/core/risk/returns-matrix.js';
import { historicalVar } from '../../../lib/core/risk/var-historical.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { Symbol } from '../../../lib/core/shared/ids.js';
import type { Position } from '../../../lib/core/positions/position.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryAccountStore, InMemoryPositionStore, InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingNotifier } from '../../support/doubles.js';
import { InMemoryPriceHistoryStore } from '../../../lib/adapters/memory/price-history-store.js';
import { aPolicy, aPosition } from '../../support/builders.js';
import { InMemoryRiskStore } from '../../../lib/adapters/memory/risk-store.js';

const WINDOW = 60;

/** `n` NYSE trading days ending on `last`, oldest first. */
function tradingDays(n: number, first: string): string[] {
  const days = [first];
  while (days.length < n) days.push(nextTradingDay(days.at(-1)!));
  return days;
}

/** A price path in cents: deterministic, zig-zagging with drift, so returns are neither zero nor constant. */
function closes(days: readonly string[], startCents: number, step: number): DailyClose[] {
  let cents = startCents;
  return days.map((day, i) => {
    cents += (i % 3 === 0 ? -2 : 1) * step + (i % 7);
    return { day, close: (cents / 100).toFixed(2) };
  });
}

async function harness(positions: Position[]) {
  const days = tradingDays(WINDOW + 20, '2026-06-01');
  const clock = new ManualClock(`${nextTradingDay(days.at(-1)!)}T15:00:00.000Z`);
  const history = new InMemoryPriceHistoryStore();
  const stores = { positions: new InMemoryPositionStore(), quotes: new InMemoryQuoteStore(), accounts: new InMemoryAccountStore(), risk: new InMemoryRiskStore(), audit: new InMemoryAuditLog(() => clock.now()) };
  await stores.positions.replaceAccount('DU1', positions);
  const notifier = new RecordingNotifier();
  let n = 0;
  const deps: RiskCycleDeps = { stores, notifier, clock, logger: new MemoryLogger(), newId: () => `c-${++n}` };
  const policy = aPolicy({ window: WINDOW });
  const run = () => runRiskCycle(deps, { policy, returns: storedHistoryReturns(history, { window: WINDOW, maxMissingDays: 2, clock }) });
  return { days, clock, history, stores, notifier, run };
}

const simple = (cs: readonly DailyClose[]): number[] => cs.slice(1).map((c, i) => Number(c.close) / Number(cs[i]!.close) - 1);

describe('risk cycle on stored price history', () => {
  it('computes VaR from the stored closes over the configured window, and says where they came from', async () => {
    // Prepare
    const book = [aPosition('AAPL', 1000, '187.00'), aPosition('MSFT', -300, '400.00')];
    const h = await harness(book);
    const aapl = closes(h.days, 18_000, 150);
    const msft = closes(h.days, 40_000, 420);
    await h.history.merge({ symbol: 'AAPL' as Symbol, source: 'ib:TRADES', updatedAt: '2026-09-01T21:00:00.000Z', closes: aapl });
    await h.history.merge({ symbol: 'MSFT' as Symbol, source: 'ib:TRADES', updatedAt: '2026-09-01T21:00:00.000Z', closes: msft });
    // Act
    const { snapshot } = await h.run();
    // Assess: the same VaR as historical simulation over the last WINDOW simple returns of those closes
    const m = returnsMatrixFromRows(['AAPL', 'MSFT'], [simple(aapl.slice(-WINDOW - 1)), simple(msft.slice(-WINDOW - 1))]);
    const expected = historicalVar(m, exposureVector(m.symbols, book).exposures, { confidence: 0.99 }).var;
    expect(Number(snapshot.var.var)).toBeCloseTo(expected, 1);
    expect(snapshot.var.window).toBe(WINDOW);
    expect(snapshot.history).toEqual({ source: 'ib:TRADES', window: WINDOW, from: h.days.at(-WINDOW - 1), asOf: h.days.at(-1), symbols: ['AAPL', 'MSFT'], gaps: [] });
    expect(snapshot.coverage.uncovered).toEqual([]);
    expect(snapshot.conditions['var_history_gap']).toMatchObject({ value: 0, holds: false });
    expect(h.notifier.sent).toEqual([]);
  });

  it('leaves a held symbol with too short a history out of VaR and raises the data-quality alert once', async () => {
    const book = [aPosition('AAPL', 1000, '187.00'), aPosition('NEWCO', 100, '20.00'), aPosition('GONE', 50, '10.00')];
    const h = await harness(book);
    await h.history.merge({ symbol: 'AAPL' as Symbol, source: 'ib:TRADES', updatedAt: '2026-09-01T21:00:00.000Z', closes: closes(h.days, 18_000, 150) });
    await h.history.merge({ symbol: 'NEWCO' as Symbol, source: 'ib:TRADES', updatedAt: '2026-09-01T21:00:00.000Z', closes: closes(h.days.slice(-10), 2_000, 30) });

    const first = await h.run();
    const second = await h.run();

    expect(first.snapshot.history?.symbols).toEqual(['AAPL']);
    expect(first.snapshot.history?.gaps).toEqual([
      { symbol: 'GONE', reason: 'no_history', closesInWindow: 0 },
      { symbol: 'NEWCO', reason: 'too_short', closesInWindow: 10 },
    ]);
    expect(first.snapshot.coverage.uncovered).toEqual(['GONE', 'NEWCO']);
    expect(first.snapshot.var.components.map((c) => c.symbol)).toEqual(['AAPL']);
    expect(first.raised.map((a) => a.name)).toEqual(['var_history_gap']);
    expect(first.raised[0]?.message).toMatch(/NEWCO: too_short/);
    expect(second.raised).toEqual([]);
    expect(h.notifier.sent.map((n) => [n.subject, n.audience])).toEqual([['[WARNING] var_history_gap', ['oncall', 'risk_manager']]]);
    expect(h.stores.audit.entries.map((e) => e.action)).toContain('RISK_ALERT_RAISED');
  });

  it('with nothing stored, reports VaR 0 over no history (source none) and alerts — it never falls back to synthetic returns', async () => {
    const h = await harness([aPosition('AAPL', 1000, '187.00')]);
    const { snapshot, raised } = await h.run();
    expect(snapshot.var.var).toBe('0.00');
    expect(snapshot.history).toMatchObject({ source: 'none', window: 0, symbols: [], gaps: [{ symbol: 'AAPL', reason: 'no_history', closesInWindow: 0 }] });
    expect(raised.map((a) => a.name)).toEqual(['var_history_gap']);
  });
});

describe('storedHistoryReturns: one read serves the cycles of a minute', () => {
  it('reads the closes once for the same symbols within cacheMs, again after it, on a new symbol set, and after a failed read', async () => {
    // Prepare: a store that counts reads and can fail once
    const clock = new ManualClock('2026-11-27T15:00:00.000Z');
    const inner = new InMemoryPriceHistoryStore();
    const days = tradingDays(30, '2026-10-14');
    await inner.merge({ symbol: 'AAPL' as Symbol, source: 'ib:TRADES', updatedAt: '2026-11-26T21:30:00.000Z', closes: closes(days, 18_000, 40) });
    await inner.merge({ symbol: 'MSFT' as Symbol, source: 'ib:TRADES', updatedAt: '2026-11-26T21:30:00.000Z', closes: closes(days, 40_000, 90) });
    let reads = 0;
    let failNext = false;
    const store = {
      get: (symbols: readonly string[], o?: { since?: string }) => {
        reads += 1;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('store down'));
        }
        return inner.get(symbols, o);
      },
    };
    const returns = storedHistoryReturns(store, { window: 20, maxMissingDays: 2, clock, cacheMs: 60_000 });

    // Act + Assess
    await returns(['AAPL', 'MSFT']);
    await returns(['MSFT', 'AAPL']);
    expect(reads).toBe(1);
    await returns(['AAPL']);
    expect(reads).toBe(2);
    clock.advance(61_000);
    await returns(['AAPL']);
    expect(reads).toBe(3);
    clock.advance(61_000);
    failNext = true;
    await expect(returns(['AAPL'])).rejects.toThrow('store down');
    await returns(['AAPL']);
    expect(reads).toBe(5);
    // a symbol without history is a gap: such a result is not kept (the bridge may store it any moment)
    await returns(['IBM']);
    await returns(['IBM']);
    expect(reads).toBe(7);
  });
});
