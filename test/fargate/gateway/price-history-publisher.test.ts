import { describe, expect, it } from 'vitest';
import { lastRefreshInstant, nextRefreshInstant, PriceHistoryPublisher } from '../../../fargate/gateway/publishers/price-history.js';
import { EventSink } from '../../../fargate/gateway/publishers/context.js';
import { InstrumentSchema } from '../../../lib/core/instruments/instrument.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { InMemoryPriceHistoryStore } from '../../../lib/adapters/memory/price-history-store.js';

const AAPL = InstrumentSchema.parse({ symbol: 'AAPL', primaryExchange: 'NASDAQ' });

function harness(now: string) {
  const clock = new ManualClock(now);
  const store = new InMemoryPriceHistoryStore();
  const publisher = new RecordingPublisher();
  const sink = new EventSink(publisher, clock, () => 'e-1', new MemoryLogger(), 'c-1');
  const history = new PriceHistoryPublisher(store, sink, clock, new MemoryLogger(), { duration: '1 M', whatToShow: 'MIDPOINT', refreshAt: '16:30' });
  return { clock, store, publisher, history };
}

describe('PriceHistoryPublisher', () => {
  it("stores finished sessions only: today's forming bar is left for the fetch after the close", async () => {
    // Wednesday 2026-11-25 14:00 New York: the market is open
    const h = harness('2026-11-25T19:00:00.000Z');
    const round = h.history.begin([AAPL], () => 900)!;
    h.history.onBar({ reqId: 900, date: '20261124', open: 1, high: 1, low: 1, close: 186.9, volume: 1 });
    h.history.onBar({ reqId: 900, date: '20261125', open: 1, high: 1, low: 1, close: 187.3000000001, volume: 1 });
    await h.history.onEnd({ reqId: 900, start: '', end: '' });
    await round.finished;
    expect((await h.store.get(['AAPL']))[0]?.closes).toEqual([{ day: '2026-11-24', close: '186.9' }]);
    expect(h.publisher.ofType('PriceHistoryReport')[0]?.detail).toEqual({ source: 'ib:MIDPOINT', duration: '1 M', updated: [{ symbol: 'AAPL', bars: 1, from: '2026-11-24', to: '2026-11-24', lastClose: '186.9' }], failed: [] });
  });

  it('skips a bar it cannot date or price instead of guessing, and fails a symbol with no usable bar', async () => {
    const h = harness('2026-11-25T23:00:00.000Z');
    const round = h.history.begin([AAPL], () => 901)!;
    h.history.onBar({ reqId: 901, date: 'garbage', open: 1, high: 1, low: 1, close: 10, volume: 1 });
    h.history.onBar({ reqId: 901, date: '20261125', open: 1, high: 1, low: 1, close: -1, volume: 1 });
    await h.history.onEnd({ reqId: 901, start: '', end: '' });
    await round.finished;
    expect(await h.store.get(['AAPL'])).toEqual([]);
    expect(h.publisher.ofType<{ failed: unknown[] }>('PriceHistoryReport')[0]?.detail.failed).toEqual([{ symbol: 'AAPL', code: 0, message: 'no finished daily bar among 2 received' }]);
  });

  it('is due until a round ends, then again once the next refresh instant has passed', async () => {
    const h = harness('2026-11-25T19:00:00.000Z');
    expect(h.history.isDue()).toBe(true);
    const round = h.history.begin([AAPL], () => 902)!;
    expect(h.history.begin([AAPL], () => 903)).toBeUndefined(); // one round at a time
    await h.history.onError({ reqId: 902, code: 162, message: 'pacing violation' });
    await round.finished;
    expect(h.history.isDue()).toBe(false);
    h.clock.set(new Date('2026-11-25T21:31:00.000Z')); // 16:31 New York
    expect(h.history.isDue()).toBe(true);
  });

  it('does not count a round cut short by a lost session with nothing stored as a fetch', async () => {
    const h = harness('2026-11-25T19:00:00.000Z');
    const round = h.history.begin([AAPL], () => 904)!;
    await h.history.abandon('session ended');
    await round.finished;
    expect(h.history.isDue()).toBe(true);
  });
});

describe('refresh instants (New York, trading days)', () => {
  it('finds the last and the next refresh time around weekends and holidays', () => {
    // Thanksgiving Thursday 2026-11-26, noon New York
    const thanksgiving = new Date('2026-11-26T17:00:00.000Z');
    expect(lastRefreshInstant(thanksgiving, '16:30').toISOString()).toBe('2026-11-25T21:30:00.000Z');
    expect(nextRefreshInstant(thanksgiving, '16:30').toISOString()).toBe('2026-11-27T21:30:00.000Z');
    // Friday 17:00 New York → the next one is Monday
    expect(nextRefreshInstant(new Date('2026-11-27T22:00:00.000Z'), '16:30').toISOString()).toBe('2026-11-30T21:30:00.000Z');
  });
});
