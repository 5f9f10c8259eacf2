import { isTradingDay, nyWallTime, previousTradingDay, nextTradingDay, sessionOf, tradingDayOf } from '../../../lib/core/calendar/nyse.js';
import type { Instrument } from '../../../lib/core/instruments/instrument.js';
import { mergeCloses, type DailyClose } from '../../../lib/core/market/price-history.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { Logger } from '../../../lib/ports/logger.js';
import type { PriceHistoryStore } from '../../../lib/ports/price-history.js';
import { doubleToDecimal } from '../mapping/decimal.js';
import type { RawClientEvents } from '../raw-client.js';
import { describe, type EventSink } from './context.js';

/** What the bridge fetches (config `risk.history`). */
export interface PriceHistorySettings {
  /** IB `durationStr`, e.g. "2 Y". */
  readonly duration: string;
  /** IB `whatToShow`: TRADES, MIDPOINT or ADJUSTED_LAST. */
  readonly whatToShow: string;
  /** "HH:MM" New York time on trading days when the day's bars are fetched again. */
  readonly refreshAt: string;
  /** A round whose answers have not all come back by then is closed with the rest marked failed. @default 120000 */
  readonly timeoutMs?: number | undefined;
}

interface Pending {
  readonly instrument: Instrument;
  readonly closes: DailyClose[];
  skipped: number;
}

interface Round {
  readonly pending: Map<number, Pending>;
  readonly updated: Array<{ symbol: Instrument['symbol']; bars: number; from: string; to: string; lastClose: string }>;
  readonly failed: Array<{ symbol: Instrument['symbol']; code: number; message: string }>;
  readonly done: () => void;
}

/**
 * Daily bars → the price-history store. A round asks for every instrument of the universe (the
 * caller sends the requests, in the pacer's background lane), keeps the bars in memory per request,
 * and on each request's end marker merges that symbol's closes into the store; when every request
 * has ended (or failed, or the round timed out) it publishes one PriceHistoryReport.
 *
 * Only closes of finished sessions are stored: IB's newest daily bar is still forming while the
 * market is open, and a VaR return must be close to close. The bar after the close replaces it.
 * @example
 * const requests = history.begin(universe, () => nextRequestId++); for (const r of requests) await raw.reqHistoricalData(r.reqId, contract(r.instrument), s.duration, s.whatToShow);
 */
export class PriceHistoryPublisher {
  private round: Round | undefined;
  /** When the last round ended (epoch ms); a refresh instant after it makes the next one due. */
  lastRoundAt: number | undefined;
  /** Rounds finished (metrics and tests). */
  rounds = 0;

  constructor(
    private readonly store: PriceHistoryStore,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly settings: PriceHistorySettings,
  ) {}

  get running(): boolean {
    return this.round !== undefined;
  }

  /** Whether a fetch is due: never fetched, or a refresh instant (the daily one after the close) has passed since. */
  isDue(): boolean {
    if (this.lastRoundAt === undefined) return true;
    return lastRefreshInstant(this.clock.now(), this.settings.refreshAt).getTime() > this.lastRoundAt;
  }

  isHistoryRequest(reqId: number): boolean {
    return this.round?.pending.has(reqId) === true;
  }

  /**
   * Opens a round over `instruments` (none while one runs) and returns the request id of each;
   * the promise resolves when the round has ended and its report is published.
   */
  begin(instruments: readonly Instrument[], nextRequestId: () => number): { requests: Array<{ reqId: number; instrument: Instrument }>; finished: Promise<void> } | undefined {
    if (this.round !== undefined) return undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const round: Round = { pending: new Map(), updated: [], failed: [], done };
    const requests = instruments.map((instrument) => ({ reqId: nextRequestId(), instrument }));
    for (const r of requests) round.pending.set(r.reqId, { instrument: r.instrument, closes: [], skipped: 0 });
    this.round = round;
    if (requests.length === 0) void this.finish(round);
    return { requests, finished };
  }

  /** A bar: kept in memory until its request ends (bars only touch memory, like ticks). */
  onBar(e: Parameters<RawClientEvents['historicalData']>[0]): void {
    const p = this.round?.pending.get(e.reqId);
    if (p === undefined) return;
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(e.date);
    let close: string | undefined;
    try {
      close = doubleToDecimal(e.close, 'close');
    } catch {
      close = undefined;
    }
    // A bar we cannot date or price is skipped and counted, never guessed.
    if (m === null || close === undefined || !(e.close > 0)) {
      p.skipped += 1;
      return;
    }
    p.closes.push({ day: `${m[1]}-${m[2]}-${m[3]}`, close });
  }

  /** A request's end marker: its finished sessions' closes go to the store. */
  async onEnd(e: Parameters<RawClientEvents['historicalDataEnd']>[0]): Promise<void> {
    const round = this.round;
    const p = round?.pending.get(e.reqId);
    if (round === undefined || p === undefined) return;
    round.pending.delete(e.reqId);
    const closes = mergeCloses([], p.closes.filter((c) => this.sessionFinished(c.day)));
    const symbol = p.instrument.symbol;
    if (p.skipped > 0) this.logger.warn('daily bars skipped: no date or no positive close', { symbol, skipped: p.skipped });
    if (closes.length === 0) {
      round.failed.push({ symbol, code: 0, message: `no finished daily bar among ${p.closes.length + p.skipped} received` });
    } else {
      try {
        await this.store.merge({ symbol, source: `ib:${this.settings.whatToShow}`, updatedAt: this.clock.now().toISOString(), closes });
        round.updated.push({ symbol, bars: closes.length, from: closes[0]!.day, to: closes.at(-1)!.day, lastClose: closes.at(-1)!.close });
      } catch (error) {
        this.logger.error('price history write failed', { symbol, error: describe(error) });
        round.failed.push({ symbol, code: 0, message: `store write failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    if (round.pending.size === 0) await this.finish(round);
  }

  /** An error on one of the round's requests (200 unknown contract, 162 pacing or no data, 321 invalid): that symbol failed. */
  async onError(e: { reqId: number; code: number; message: string }): Promise<void> {
    const round = this.round;
    const p = round?.pending.get(e.reqId);
    if (round === undefined || p === undefined) return;
    round.pending.delete(e.reqId);
    round.failed.push({ symbol: p.instrument.symbol, code: e.code, message: e.message });
    if (round.pending.size === 0) await this.finish(round);
  }

  /** Closes the round with every unanswered request failed (timeout, or the session ended: a fresh session asks again). */
  async abandon(reason: string): Promise<void> {
    const round = this.round;
    if (round === undefined) return;
    for (const p of round.pending.values()) round.failed.push({ symbol: p.instrument.symbol, code: 0, message: reason });
    round.pending.clear();
    await this.finish(round, reason);
  }

  private async finish(round: Round, abandoned?: string): Promise<void> {
    if (this.round !== round) return;
    this.round = undefined;
    // A round cut short by a lost session is not a fetch: the next login is still due to fetch.
    if (abandoned === undefined || round.updated.length > 0) this.lastRoundAt = this.clock.now().getTime();
    this.rounds += 1;
    const updated = [...round.updated].sort((a, b) => a.symbol.localeCompare(b.symbol));
    const failed = [...round.failed].sort((a, b) => a.symbol.localeCompare(b.symbol));
    if (failed.length > 0) this.logger.warn('daily bars not fetched for some instruments', { failed });
    this.logger.info('price history fetched', { source: `ib:${this.settings.whatToShow}`, duration: this.settings.duration, updated: updated.length, failed: failed.length });
    if (updated.length > 0 || failed.length > 0) await this.sink.emit('PriceHistoryReport', { source: `ib:${this.settings.whatToShow}`, duration: this.settings.duration, updated, failed });
    round.done();
  }

  private sessionFinished(day: string): boolean {
    const now = this.clock.now();
    const today = tradingDayOf(now);
    if (day < today) return true;
    if (day > today) return false;
    const session = sessionOf(today);
    return session !== undefined && now.getTime() >= session.close.getTime();
  }
}

/** The latest refresh instant at or before `now`: `hh:mm` New York on the latest trading day it has passed on. */
export function lastRefreshInstant(now: Date, refreshAt: string): Date {
  const [h, m] = refreshAt.split(':').map(Number) as [number, number];
  let day = tradingDayOf(now);
  if (!isTradingDay(day) || nyWallTime(day, h, m).getTime() > now.getTime()) day = previousTradingDay(day);
  return nyWallTime(day, h, m);
}

/** The next refresh instant strictly after `now`. */
export function nextRefreshInstant(now: Date, refreshAt: string): Date {
  const [h, m] = refreshAt.split(':').map(Number) as [number, number];
  let day = tradingDayOf(now);
  if (!isTradingDay(day) || nyWallTime(day, h, m).getTime() <= now.getTime()) day = nextTradingDay(day);
  return nyWallTime(day, h, m);
}
