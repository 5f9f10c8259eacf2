import { describe, expect, it } from 'vitest';
import { acceptSignal } from '../../../lib/app/cio/accept-signal.js';
import { MaCrossoverStrategy } from '../../../lib/app/strategies/ma-crossover.js';
import { MeanReversionStrategy } from '../../../lib/app/strategies/mean-reversion.js';
import type { Scheduler } from '../../../lib/app/strategies/scheduler.js';
import { createEvent } from '../../../lib/core/events/catalog.js';
import { QuoteSchema, type Quote } from '../../../lib/core/market/quote.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { createIdGenerator, seededRandomSource } from '../../../lib/core/shared/ids-gen.js';
import type { Signal } from '../../../lib/core/signals/signal.js';
import { InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { RecordingPublisher } from '../../support/doubles.js';
import { InMemorySignalStore } from '../../../lib/adapters/memory/signal-store.js';

/** A scheduler the test fires by hand. */
class ManualScheduler implements Scheduler {
  private readonly timers = new Map<number, () => void>();
  private next = 0;
  every(_ms: number, fn: () => void): () => void {
    const id = this.next++;
    this.timers.set(id, fn);
    return () => this.timers.delete(id);
  }
  fire(): void {
    for (const fn of this.timers.values()) fn();
  }
  get active(): number {
    return this.timers.size;
  }
}

function setup() {
  const clock = new ManualClock('2026-11-26T15:00:00.000Z');
  const signals = new InMemorySignalStore();
  const publisher = new RecordingPublisher();
  const ids = createIdGenerator({ now: () => clock.now(), random: seededRandomSource(5) });
  const quotes = new InMemoryQuoteStore();
  const scheduler = new ManualScheduler();
  const deps = { quotes, clock, scheduler, accept: (s: Signal) => acceptSignal({ signals, publisher, clock, ids }, s) };
  const sent = () => publisher.ofType<{ signal: Signal }>('SignalReceived').map((e) => e.detail.signal);
  return { clock, signals, publisher, quotes, scheduler, deps, sent };
}

const quote = (symbol: string, mid: number): Quote => QuoteSchema.parse({ symbol, bid: (mid - 0.01).toFixed(2), ask: (mid + 0.01).toFixed(2), at: '2026-11-26T15:00:00.000Z' });

/** Feeds one price per second. */
async function feed(t: ReturnType<typeof setup>, strategy: { onQuotes(q: readonly Quote[]): Promise<void> }, symbol: string, prices: readonly number[]) {
  for (const p of prices) {
    t.clock.advance(1000);
    await strategy.onQuotes([quote(symbol, p)]);
  }
}

describe('MaCrossoverStrategy', () => {
  it('goes LONG once the fast average clears the slow one, with its identity and rationale', async () => {
    const t = setup();
    const s = new MaCrossoverStrategy(t.deps, { strategyId: 'ma-crossover', agentVersion: '1.0.0', fast: 3, slow: 6, band: 0.001 });

    await feed(t, s, 'AAPL', [100, 100, 100, 100, 100, 100]);
    expect(t.sent()).toHaveLength(0);
    await feed(t, s, 'AAPL', [101, 102]);

    const [signal] = t.sent();
    expect(signal).toMatchObject({ strategyId: 'ma-crossover', agentId: 'ma-crossover-agent', agentVersion: '1.0.0', symbol: 'AAPL', direction: 'LONG', horizon: 'intraday' });
    expect(signal!.rationale).toMatch(/MA3 .* above MA6/);
    expect(t.sent()).toHaveLength(1); // the second rising sample holds the same view
  });

  it('sends a reversal only after the minimum interval, and a held view again after the refresh', async () => {
    const t = setup();
    const s = new MaCrossoverStrategy(t.deps, { strategyId: 'ma', agentVersion: '1', fast: 2, slow: 4, band: 0.001, minSignalIntervalMs: 10_000, refreshMs: 60_000 });
    await feed(t, s, 'AAPL', [100, 100, 100, 102]); // LONG at t+4s

    await feed(t, s, 'AAPL', [96, 95]); // SHORT view at +6 s: too soon
    expect(t.sent().map((x) => x.direction)).toEqual(['LONG']);
    await feed(t, s, 'AAPL', [94, 93, 92, 91, 90, 89, 88, 87]); // +14 s, 10 s after the LONG: SHORT goes out, once
    expect(t.sent().map((x) => x.direction)).toEqual(['LONG', 'SHORT']);
    t.clock.advance(60_000);
    await feed(t, s, 'AAPL', [86]);

    expect(t.sent().map((x) => x.direction)).toEqual(['LONG', 'SHORT', 'SHORT']);
  });
});

describe('MeanReversionStrategy', () => {
  it('bets against a stretch and goes FLAT when the price is back at the mean', async () => {
    const t = setup();
    const s = new MeanReversionStrategy(t.deps, { strategyId: 'mean-reversion', agentVersion: '2.0.0', window: 6, entryZ: 2, exitZ: 0.5, minSignalIntervalMs: 0 });

    await feed(t, s, 'MSFT', [100, 100.1, 99.9, 100, 100.1, 99.9]);
    await feed(t, s, 'MSFT', [103]); // far above the mean
    await feed(t, s, 'MSFT', [100.5]); // back near the (now wider) mean

    expect(t.sent().map((x) => [x.direction, x.agentId])).toEqual([
      ['SHORT', 'mean-reversion-agent'],
      ['FLAT', 'mean-reversion-agent'],
    ]);
    expect(t.sent()[0]!.strength).toBeGreaterThan(0.5);
  });

  it('does not open with FLAT', async () => {
    const t = setup();
    const s = new MeanReversionStrategy(t.deps, { strategyId: 'mr', agentVersion: '1', window: 4, minSignalIntervalMs: 0 });

    await feed(t, s, 'MSFT', [100, 101, 100, 101, 100.5, 100.5]);

    expect(t.sent()).toHaveLength(0);
  });
});

describe('PollingStrategy start/stop', () => {
  it('polls the QuoteStore while started, only its symbols, and stops cleanly', async () => {
    const t = setup();
    const s = new MaCrossoverStrategy(t.deps, { strategyId: 'ma', agentVersion: '1', fast: 2, slow: 3, band: 0.001, symbols: ['AAPL'] });
    const poll = async (aapl: number, msft: number) => {
      await t.quotes.putMany([quote('AAPL', aapl), quote('MSFT', msft)]);
      t.clock.advance(1000);
      const before = s.polls;
      t.scheduler.fire();
      if (s.running) await expect.poll(() => s.polls, { timeout: 1000 }).toBe(before + 1);
    };

    s.start();
    s.start();
    expect(t.scheduler.active).toBe(1);
    for (const p of [100, 100, 100, 105]) await poll(p, p);
    await s.stop();
    await poll(200, 200);
    await poll(50, 50);

    expect(s.running).toBe(false);
    expect(s.polls).toBe(4);
    expect(t.scheduler.active).toBe(0);
    expect(t.sent().map((x) => [x.symbol, x.direction])).toEqual([['AAPL', 'LONG']]);
  });

  it('can be fed MarketSnapshotReport events instead', async () => {
    const t = setup();
    const s = new MaCrossoverStrategy(t.deps, { strategyId: 'ma', agentVersion: '1', fast: 2, slow: 3, band: 0.001 });
    const handler = s.snapshotHandler();

    for (const p of [100, 100, 100, 95]) {
      t.clock.advance(1000);
      await handler(createEvent('MarketSnapshotReport', { quotes: [quote('AAPL', p)] }, { eventId: `e-${p}`, now: t.clock.now(), correlationId: 'c-md' }));
    }

    expect(t.sent().map((x) => x.direction)).toEqual(['SHORT']);
  });
});
