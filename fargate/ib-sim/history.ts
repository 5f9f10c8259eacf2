/**
 * Daily bars the way IB's historical data farm (HMDS) answers reqHistoricalData, for a simulated
 * market: deterministic per (seed, symbol, day), ending at the instrument's current mid so the
 * history joins the live quotes.
 *
 * Returns follow a one-factor model with fat tails: rᵢ = βᵢ·m + σᵢ·εᵢ, where the market factor m is
 * shared by every symbol on a day (names are correlated, and crash days hit them all) and m, εᵢ are
 * Student-t(4) shocks rescaled to unit variance. Each day's shocks come from a generator seeded by
 * (seed, day) and (seed, symbol, day), so a longer or shorter request, or another symbol in the
 * universe, never changes a day's return.
 *
 * The exchange calendar is the one piece of lib/core used here: holidays and weekends are a fact
 * about NYSE, not about TradeOps (the image copies lib/core for it; see the Dockerfile).
 */
import { isTradingDay, previousTradingDay, sessionOf, tradingDayOf } from '../../lib/core/calendar/nyse.js';
import { fmt, type Fixed } from './fixed.js';
import { mulberry32 } from './market.js';

/** IB's `whatToShow` values the simulator serves for daily bars. */
export const WHAT_TO_SHOW = ['TRADES', 'MIDPOINT', 'BID', 'ASK', 'ADJUSTED_LAST'] as const;
export type WhatToShow = (typeof WHAT_TO_SHOW)[number];

export interface DailyBar {
  /** New York trading day, `YYYY-MM-DD`. */
  day: string;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
  /** Shares traded; undefined for quote-based bars (IB sends −1 for MIDPOINT, BID, ASK). */
  volume: number | undefined;
  wap: Fixed | undefined;
  count: number | undefined;
}

export interface HistoryRequest {
  symbol: string;
  seed: number;
  tick: Fixed;
  /** The current mid: the last bar's close. */
  anchor: Fixed;
  /** Epoch ms "now" (the simulator's clock). */
  now: number;
  /** IB `endDateTime`: "" for now, else starting with `yyyyMMdd`. */
  endDateTime: string;
  durationStr: string;
  whatToShow: WhatToShow;
}

export type HistoryResult = { ok: true; bars: DailyBar[]; startDay: string; endDay: string } | { ok: false; message: string };

const DOF = 4;
const T_SCALE = Math.sqrt((DOF - 2) / DOF);
const MARKET_VOL = 0.01;

/**
 * The bars of one reqHistoricalData for "1 day" bars, or why IB would refuse it.
 * @example dailyBars({ symbol: 'AAPL', seed: 42, tick: fx('0.01'), anchor: fx('187.25'), now: Date.now(), endDateTime: '', durationStr: '2 Y', whatToShow: 'TRADES' })
 */
export function dailyBars(req: HistoryRequest): HistoryResult {
  const span = /^(\d{1,4}) ([DWMY])$/.exec(req.durationStr.trim());
  if (span === null) return { ok: false, message: `Historical data duration "${req.durationStr}" is invalid for daily bars` };
  const latest = latestBarDay(req.now);
  let endDay = latest;
  if (req.endDateTime.trim() !== '') {
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(req.endDateTime.trim());
    if (m === null) return { ok: false, message: `End date/time "${req.endDateTime}" is invalid: use yyyyMMdd HH:mm:ss` };
    const asked = `${m[1]}-${m[2]}-${m[3]}`;
    if (asked < endDay) endDay = isTradingDay(asked) ? asked : previousTradingDay(asked);
  }
  const startDay = minus(endDay, Number(span[1]), span[2] as 'D' | 'W' | 'M' | 'Y');
  // The path is always computed back from the latest bar (anchored at the live mid) and cut, so an
  // earlier endDateTime returns exactly the bars a later request also contains.
  const bars = path(req, tradingDaysBetween(startDay, latest)).filter((b) => b.day <= endDay);
  return { ok: true, bars, startDay, endDay };
}

const dayLists = new Map<string, readonly string[]>();

/** Trading days in (from, to], oldest first; the calendar walk is cached (every symbol of a fetch round asks for the same span). */
function tradingDaysBetween(from: string, to: string): readonly string[] {
  const key = `${from}|${to}`;
  let days = dayLists.get(key);
  if (days === undefined) {
    const list: string[] = [];
    for (let d = to; d > from; d = previousTradingDay(d)) list.push(d);
    days = list.reverse();
    if (dayLists.size > 64) dayLists.clear();
    dayLists.set(key, days);
  }
  return days;
}

/** The day of the newest bar: today once the session has opened (a still-forming bar), else the last trading day. */
export function latestBarDay(now: number): string {
  const today = tradingDayOf(new Date(now));
  const session = sessionOf(today);
  if (session !== undefined && now >= session.open.getTime()) return today;
  return previousTradingDay(today);
}

interface SymbolParams {
  beta: number;
  vol: number;
  baseVolume: number;
}

function paramsOf(seed: number, symbol: string): SymbolParams {
  const rng = mulberry32(hash(`${seed}:${symbol}:params`));
  return { beta: 0.6 + 0.8 * rng.next(), vol: 0.008 + 0.017 * rng.next(), baseVolume: 1_000_000 + Math.floor(rng.next() * 30_000_000) };
}

/** Bars over `days` (oldest first), closing at the anchor on the last one. */
function path(req: HistoryRequest, days: readonly string[]): DailyBar[] {
  const n = days.length;
  if (n === 0) return [];
  const p = paramsOf(req.seed, req.symbol);
  const tick = Number(fmt(req.tick));
  const shocks = days.map((day) => {
    const market = tShock(mulberry32(hash(`${req.seed}:market:${day}`)));
    const own = mulberry32(hash(`${req.seed}:${req.symbol}:${day}`));
    const r = p.beta * MARKET_VOL * market + p.vol * tShock(own);
    return { r: Math.max(-0.5, r), shape: [gaussian(own), gaussian(own), gaussian(own)] as const };
  });
  // Closes backwards from the anchor: cₜ₋₁ = cₜ / (1 + rₜ). Floats only pick tick counts.
  const closes = new Float64Array(n);
  closes[n - 1] = Number(fmt(req.anchor));
  for (let t = n - 1; t > 0; t--) closes[t - 1] = closes[t]! / (1 + shocks[t]!.r);
  const ticks = (x: number): bigint => BigInt(Math.max(1, Math.round(x / tick)));
  const quoteBars = req.whatToShow !== 'TRADES' && req.whatToShow !== 'ADJUSTED_LAST';
  return days.map((day, t) => {
    const { r, shape } = shocks[t]!;
    const close = t === n - 1 ? req.anchor : ticks(closes[t]!) * req.tick;
    const prev = t === 0 ? closes[0]! / (1 + r) : closes[t - 1]!;
    const openX = prev * (1 + 0.25 * p.vol * shape[0]);
    const closeX = Number(fmt(close));
    const open = ticks(openX) * req.tick;
    const high = ticks(Math.max(openX, closeX) * (1 + 0.4 * p.vol * Math.abs(shape[1]))) * req.tick;
    const low = ticks(Math.min(openX, closeX) * (1 - 0.4 * p.vol * Math.abs(shape[2]))) * req.tick;
    const hi = [open, high, close].reduce((a, b) => (b > a ? b : a));
    const lo = [open, low, close].reduce((a, b) => (b < a ? b : a));
    if (quoteBars) return { day, open, high: hi, low: lo, close, volume: undefined, wap: undefined, count: undefined };
    // Busy days trade more: volume grows with the size of the move.
    const volume = Math.round((p.baseVolume * (1 + Math.abs(r) / p.vol)) / 100) * 100;
    const wap = ticks(Number(fmt(hi + lo + close)) / 3) * req.tick;
    return { day, open, high: hi, low: lo, close, volume, wap, count: Math.max(1, Math.round(volume / 180)) };
  });
}

/** `day` minus a calendar span, as IB reads durations for daily bars. */
function minus(day: string, n: number, unit: 'D' | 'W' | 'M' | 'Y'): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  if (unit === 'D') at.setUTCDate(at.getUTCDate() - n);
  else if (unit === 'W') at.setUTCDate(at.getUTCDate() - 7 * n);
  else if (unit === 'M') at.setUTCMonth(at.getUTCMonth() - n);
  else at.setUTCFullYear(at.getUTCFullYear() - n);
  return at.toISOString().slice(0, 10);
}

/** Student-t(4) rescaled to unit variance: fat tails, from normals. */
function tShock(rng: { next(): number }): number {
  const z = gaussian(rng);
  let chi = 0;
  for (let k = 0; k < DOF; k++) chi += gaussian(rng) ** 2;
  return (z / Math.sqrt(chi / DOF)) * T_SCALE;
}

function gaussian(rng: { next(): number }): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** FNV-1a: a seed per stream name. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `YYYY-MM-DD` → IB's `yyyyMMdd`. */
export const ibDay = (day: string): string => day.replaceAll('-', '');
