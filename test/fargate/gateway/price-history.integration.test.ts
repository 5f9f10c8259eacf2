/**
 * The bridge fetches daily bars from a real ib-sim over TCP (real @stoqey/ib client) into the
 * price-history store, and publishes one PriceHistoryReport per round.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayService, type GatewayService } from '../../../fargate/gateway/gateway-service.js';
import { fmt, fx } from '../../../fargate/ib-sim/fixed.js';
import { dailyBars } from '../../../fargate/ib-sim/history.js';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { sessionOf, tradingDayOf } from '../../../lib/core/calendar/nyse.js';
import { InstrumentSchema, type Instrument } from '../../../lib/core/instruments/instrument.js';
import type { PriceHistoryReport } from '../../../lib/core/events/gateway-events.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';
import { until } from '../../support/poll.js';
import { InMemoryCommandQueue, MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { InMemoryPriceHistoryStore } from '../../../lib/adapters/memory/price-history-store.js';

const PRICES = { AAPL: '187.25', MSFT: '415.5' } as const;
const universe: Instrument[] = [
  InstrumentSchema.parse({ symbol: 'AAPL', conId: 265598, primaryExchange: 'NASDAQ' }),
  InstrumentSchema.parse({ symbol: 'MSFT', conId: 272093, primaryExchange: 'NASDAQ' }),
  // not listed at the simulator: IB answers 200 on the request id
  InstrumentSchema.parse({ symbol: 'NOPE', primaryExchange: 'NYSE' }),
];
const clock = { now: () => new Date() };
const active: TradingState = { mode: 'ACTIVE', version: 1, changedAt: new Date().toISOString(), changedBy: 'test', reason: 'test' };

interface Rig {
  sim: IbSimHandle;
  gw: GatewayService;
  history: InMemoryPriceHistoryStore;
  publisher: RecordingPublisher;
}
const rigs: Rig[] = [];

async function rig(): Promise<Rig> {
  // A market that does not step during the test: the live mid (the history's anchor) stays the initial price.
  const sim = await startIbSim({ port: 0, seed: 7, tickIntervalMs: 60_000, instruments: Object.entries(PRICES).map(([symbol, price], i) => ({ symbol, price, conId: universe[i]!.conId! })) });
  const history = new InMemoryPriceHistoryStore();
  const publisher = new RecordingPublisher();
  const gw = createGatewayService({
    config: {
      host: '127.0.0.1', port: sim.port, clientId: 7, maxMessagesPerSecond: 40, connectTimeoutMs: 5_000, watchdogIntervalMs: 1_000, watchdogTimeoutMs: 5_000, // generous: a loaded machine must not flap the session mid-round
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 }, heartbeatIntervalMs: 250, snapshotIntervalMs: 250, commandWaitMs: 3_000, universe,
      history: { duration: '1 Y', whatToShow: 'TRADES', refreshAt: '16:30' },
    },
    stores: { ...inMemoryStores({ tradingState: active }), priceHistory: history },
    publisher,
    commands: new InMemoryCommandQueue(50),
    logger: new MemoryLogger(),
    clock,
  });
  const r = { sim, gw, history, publisher };
  rigs.push(r);
  await gw.start();
  return r;
}

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    expect(r.gw.status().codesSeen['505']).toBeUndefined();
    await r.gw.stop();
    await r.sim.close();
  }
});

/** What ib-sim serves for a symbol now, cut to finished sessions (what the bridge must store). */
function expectedCloses(symbol: keyof typeof PRICES): Array<{ day: string; close: string }> {
  const now = Date.now();
  const r = dailyBars({ symbol, seed: 7, tick: fx('0.01'), anchor: fx(PRICES[symbol]), now, endDateTime: '', durationStr: '1 Y', whatToShow: 'TRADES' });
  if (!r.ok) throw new Error(r.message);
  const today = tradingDayOf(new Date(now));
  const session = sessionOf(today);
  const finished = (day: string): boolean => day < today || (session !== undefined && now >= session.close.getTime());
  return r.bars.filter((b) => finished(b.day)).map((b) => ({ day: b.day, close: fmt(b.close) }));
}

describe('bridge → price-history store', () => {
  it('fetches daily bars for the universe on login, stores the closes of finished sessions exactly, and reports the round', async () => {
    const r = await rig();
    const reports = await until('PriceHistoryReport', () => {
      const got = r.publisher.ofType<PriceHistoryReport>('PriceHistoryReport');
      return got.length > 0 ? got : undefined;
    }, 10_000);

    const [aapl, msft] = await r.history.get(['AAPL', 'MSFT']);
    expect(aapl?.closes).toEqual(expectedCloses('AAPL'));
    expect(msft?.closes).toEqual(expectedCloses('MSFT'));
    expect(aapl?.source).toBe('ib:TRADES');
    expect(aapl!.closes.length).toBeGreaterThan(240);
    expect(reports).toHaveLength(1);
    const report = reports[0]!.detail;
    expect(report.source).toBe('ib:TRADES');
    expect(report.updated.map((u) => [u.symbol, u.bars, u.to, u.lastClose])).toEqual([
      ['AAPL', aapl!.closes.length, aapl!.closes.at(-1)!.day, aapl!.closes.at(-1)!.close],
      ['MSFT', msft!.closes.length, msft!.closes.at(-1)!.day, msft!.closes.at(-1)!.close],
    ]);
    expect(report.failed).toEqual([{ symbol: 'NOPE', code: 200, message: expect.stringContaining('No security definition') }]);
    expect(r.gw.status().messagesSent['reqHistoricalData']).toBe(universe.length);
  });

  it('does not fetch again on a reconnect while the history is current', async () => {
    const r = await rig();
    // A round that stored both listed symbols (a round cut short by a lost session does not count as a fetch).
    await until('a complete round', () => r.publisher.ofType<PriceHistoryReport>('PriceHistoryReport').some((e) => e.detail.updated.length === 2) || undefined, 10_000);
    const sent = r.gw.status().messagesSent['reqHistoricalData'];
    const reports = r.publisher.ofType('PriceHistoryReport').length;
    const sessions = r.gw.status().sessions;

    r.sim.faults.dropConnections();
    await until('logged in and reconciled again', () => (r.gw.status().sessions > sessions && r.gw.status().health === 'ok') || undefined, 10_000);

    expect(r.gw.status().messagesSent['reqHistoricalData']).toBe(sent);
    expect(r.publisher.ofType('PriceHistoryReport')).toHaveLength(reports);
  });
});
