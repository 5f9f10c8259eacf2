/**
 * reqHistoricalData: the pure bar model (fixed clock) and the simulator over TCP with an unmodified
 * `@stoqey/ib` IBApi client, whose own decoder is the layout oracle (no 505 may appear).
 */
import { EventName, SecType, type Contract } from '@stoqey/ib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTradingDay } from '../../../lib/core/calendar/nyse.js';
import { fmt, fx } from '../../../fargate/ib-sim/fixed.js';
import { dailyBars, latestBarDay, type DailyBar, type HistoryRequest } from '../../../fargate/ib-sim/history.js';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { adminPost, connectClient, decodeErrors, waitFor, type TestClient } from './helpers.js';

// Wednesday 2026-11-25, 15:00 New York (session open): today's bar is the last one.
const NOW = Date.parse('2026-11-25T20:00:00.000Z');
const base: HistoryRequest = { symbol: 'AAPL', seed: 42, tick: fx('0.01'), anchor: fx('187.25'), now: NOW, endDateTime: '', durationStr: '2 Y', whatToShow: 'TRADES' };
const bars = (over: Partial<HistoryRequest> = {}): DailyBar[] => {
  const r = dailyBars({ ...base, ...over });
  if (!r.ok) throw new Error(r.message);
  return r.bars;
};
const returnsOf = (bs: readonly DailyBar[]): number[] => bs.slice(1).map((b, i) => Number(fmt(b.close)) / Number(fmt(bs[i]!.close)) - 1);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
function excessKurtosis(xs: readonly number[]): number {
  const m = mean(xs);
  const v = mean(xs.map((x) => (x - m) ** 2));
  return mean(xs.map((x) => (x - m) ** 4)) / v ** 2 - 3;
}

describe('dailyBars (the bar model)', () => {
  it('gives one bar per NYSE trading day over the duration, none on weekends or holidays, ending today at the live mid', () => {
    const b = bars();
    expect(b.at(-1)?.day).toBe('2026-11-25');
    expect(b.at(-1)?.close).toBe(fx('187.25'));
    expect(b.every((x) => isTradingDay(x.day))).toBe(true);
    expect(b.map((x) => x.day)).not.toContain('2025-12-25'); // Christmas
    expect(b.map((x) => x.day)).not.toContain('2026-07-03'); // Independence Day observed
    expect(b[0]!.day > '2024-11-25').toBe(true);
    // two calendar years of NYSE sessions
    expect(b.length).toBeGreaterThanOrEqual(500);
    expect(b.length).toBeLessThanOrEqual(503);
    expect(new Set(b.map((x) => x.day)).size).toBe(b.length);
  });

  it('is deterministic per (seed, symbol, day): a shorter or earlier-ending request returns the same bars', () => {
    const full = bars();
    expect(bars()).toEqual(full);
    const last60 = bars({ durationStr: '90 D' });
    expect(last60).toEqual(full.slice(-last60.length));
    const earlier = bars({ endDateTime: '20261120 16:00:00 US/Eastern', durationStr: '1 M' });
    expect(earlier.at(-1)?.day).toBe('2026-11-20');
    expect(earlier).toEqual(full.filter((x) => x.day > '2026-10-20' && x.day <= '2026-11-20'));
    expect(bars({ seed: 43 })).not.toEqual(full);
  });

  it('keeps every price on the tick grid with low ≤ open, close ≤ high, and a WAP and volume for trades', () => {
    for (const b of bars({ tick: fx('0.05'), anchor: fx('590.10') })) {
      for (const p of [b.open, b.high, b.low, b.close]) expect(p % fx('0.05')).toBe(0n);
      expect(b.low <= b.open && b.low <= b.close && b.high >= b.open && b.high >= b.close).toBe(true);
      expect(b.wap! >= b.low && b.wap! <= b.high).toBe(true);
      expect(b.volume).toBeGreaterThan(0);
    }
    expect(bars({ whatToShow: 'MIDPOINT' }).every((b) => b.volume === undefined && b.wap === undefined && b.count === undefined)).toBe(true);
  });

  it('moves names together (a market factor) with fat tails, at daily volatilities of a few percent at most', () => {
    const symbols = ['AAPL', 'MSFT', 'SPY', 'IBM'];
    const rs = symbols.map((symbol) => returnsOf(bars({ symbol, durationStr: '5 Y' })));
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) expect(correlation(rs[i]!, rs[j]!)).toBeGreaterThan(0.1);
    const pooled = rs.flat();
    expect(excessKurtosis(pooled)).toBeGreaterThan(1);
    const vol = Math.sqrt(mean(pooled.map((x) => x * x)));
    expect(vol).toBeGreaterThan(0.005);
    expect(vol).toBeLessThan(0.04);
  });

  it('ends at the previous session before the open and on a holiday', () => {
    expect(latestBarDay(Date.parse('2026-11-25T13:00:00.000Z'))).toBe('2026-11-24'); // 08:00 NY
    expect(latestBarDay(Date.parse('2026-11-26T18:00:00.000Z'))).toBe('2026-11-25'); // Thanksgiving
  });

  it('refuses a duration it cannot read', () => {
    expect(dailyBars({ ...base, durationStr: '2 years' })).toMatchObject({ ok: false });
    expect(dailyBars({ ...base, endDateTime: 'yesterday' })).toMatchObject({ ok: false });
  });
});

describe('reqHistoricalData over TCP with an IBApi client', () => {
  let sim: IbSimHandle;
  const clients: TestClient[] = [];
  const aapl: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

  beforeAll(async () => {
    // A market that does not step during the test, so the live mid is the one we set.
    sim = await startIbSim({ port: 0, adminPort: 0, seed: 11, tickIntervalMs: 60_000 });
  });
  afterEach(() => {
    expect(decodeErrors).toEqual([]);
  });
  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => undefined);
    await sim.close();
  });

  /** Bars of one request as the client emitted them, and the end marker it emitted itself. */
  async function request(c: TestClient, reqId: number, contract: Contract, duration: string, whatToShow: string) {
    c.ib.reqHistoricalData(reqId, contract, '', duration, '1 day' as never, whatToShow as never, 1, 1, false);
    const mine = () => c.of(EventName.historicalData).filter((a) => a[0] === reqId);
    await waitFor(() => mine().some((a) => String(a[1]).startsWith('finished')), 5000, `historical data end for ${reqId}`);
    const all = mine();
    return { bars: all.filter((a) => !String(a[1]).startsWith('finished')), end: String(all.at(-1)?.[1]) };
  }

  it('answers daily TRADES bars the client decodes, ending at the live price, with its end marker', async () => {
    const c = await connectClient(sim.port, 31);
    clients.push(c);
    const on = c.ib.on.bind(c.ib) as unknown as (name: string, fn: (...args: unknown[]) => void) => void;
    on(EventName.historicalData, (...args: unknown[]) => c.events.push({ name: EventName.historicalData, args }));
    await adminPost(sim.adminUrl ?? '', '/market/set-mid', { symbol: 'AAPL', price: '190.37' });

    const r = await request(c, 7001, aapl, '1 Y', 'TRADES');

    expect(r.bars.length).toBeGreaterThanOrEqual(248);
    expect(r.bars.length).toBeLessThanOrEqual(253);
    // [reqId, date, open, high, low, close, volume, count, WAP]
    const last = r.bars.at(-1)!;
    expect(last[5]).toBe(190.37);
    expect(r.bars.every((b) => /^\d{8}$/.test(String(b[1])))).toBe(true);
    const days = r.bars.map((b) => String(b[1]).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'));
    expect(days.every(isTradingDay)).toBe(true);
    expect([...days].sort()).toEqual(days);
    expect(r.bars.every((b) => (b[6] as number) > 0 && (b[7] as number) > 0 && (b[8] as number) > 0)).toBe(true);
    expect(r.end).toMatch(/^finished-\d{8} {2}00:00:00-\d{8} {2}16:00:00$/);
    expect(c.errors).toEqual([]);

    // The same request again: the same bars (deterministic history)
    const again = await request(c, 7002, aapl, '1 Y', 'TRADES');
    expect(again.bars.map((b) => b.slice(1))).toEqual(r.bars.map((b) => b.slice(1)));
  });

  it('answers MIDPOINT bars without volume, and refuses an unknown contract or another bar size with the request id', async () => {
    const c = await connectClient(sim.port, 32);
    clients.push(c);
    const on = c.ib.on.bind(c.ib) as unknown as (name: string, fn: (...args: unknown[]) => void) => void;
    on(EventName.historicalData, (...args: unknown[]) => c.events.push({ name: EventName.historicalData, args }));

    const mid = await request(c, 8001, aapl, '10 D', 'MIDPOINT');
    expect(mid.bars.length).toBeGreaterThan(3);
    expect(mid.bars.every((b) => b[6] === -1 && b[8] === -1)).toBe(true);

    c.ib.reqHistoricalData(8002, { ...aapl, symbol: 'NOPE' }, '', '1 Y', '1 day' as never, 'TRADES' as never, 1, 1, false);
    c.ib.reqHistoricalData(8003, aapl, '', '1 D', '5 mins' as never, 'TRADES' as never, 1, 1, false);
    await waitFor(() => c.errors.filter((e) => e.reqId === 8002 || e.reqId === 8003).length === 2, 5000, 'two request errors');
    expect(c.errors.map((e) => [e.reqId, e.code])).toEqual([[8002, 200], [8003, 321]]);
  });
});
