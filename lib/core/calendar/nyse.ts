import { ValidationError } from '../shared/errors.js';
import { wallTimeIn, type WallTime } from './zone-offset.js';

/**
 * The NYSE calendar in America/New_York, DST included, with no dependency: holidays are computed
 * by rule (NYSE Rule 7.2 as applied since Juneteenth was added in 2022), one-off closures come from
 * an override list, and wall-clock times are converted with `Intl.DateTimeFormat` (memoised per
 * hour, `zone-offset.ts`). Schedules use it for their trading-day rule (EventBridge Scheduler knows
 * time zones but not holidays).
 *
 * Days are `YYYY-MM-DD` strings of the New York calendar; instants are `Date`s.
 */

export const NY_TIME_ZONE = 'America/New_York';

export type Day = string;
export type MarketPhase = 'pre-market' | 'open' | 'post-market' | 'closed';

export interface Holiday {
  date: Day;
  name: string;
}

export interface Session {
  day: Day;
  open: Date;
  close: Date;
  /** 13:00 close (day before Independence Day, day after Thanksgiving, Christmas Eve). */
  earlyClose: boolean;
}

export interface CalendarOverrides {
  /** Full-day closures not given by rule (national days of mourning, emergencies). */
  closures?: readonly Holiday[];
  /** Extra 13:00 closes not given by rule. */
  earlyCloses?: readonly Holiday[];
}

/** One-off closures known so far; add new ones here (or pass them to `createNyseCalendar`). */
export const NYSE_OVERRIDES: Required<CalendarOverrides> = {
  closures: [{ date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' }],
  earlyCloses: [],
};

const OPEN = { h: 9, m: 30 };
const CLOSE = { h: 16, m: 0 };
const EARLY_CLOSE = { h: 13, m: 0 };
const PRE_MARKET_FROM = { h: 4, m: 0 };
const POST_MARKET_UNTIL = { h: 20, m: 0 };
/** NYSE Arca's late session ends at 17:00 on early-close days. */
const POST_MARKET_UNTIL_EARLY = { h: 17, m: 0 };

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The NYSE calendar; the module-level functions below use the default one. */
export interface NyseCalendar {
  holidaysOf(year: number): Holiday[];
  earlyClosesOf(year: number): Holiday[];
  isHoliday(day: Day): boolean;
  isTradingDay(day: Day | Date): boolean;
  sessionOf(day: Day | Date): Session | undefined;
  nextTradingDay(day: Day | Date): Day;
  previousTradingDay(day: Day | Date): Day;
  marketPhase(now: Date): MarketPhase;
}

/**
 * A calendar with extra one-off closures (e.g. read from config) on top of `NYSE_OVERRIDES`.
 * @example createNyseCalendar({ closures: [{ date: '2027-03-01', name: 'Emergency closure' }] }).isTradingDay('2027-03-01') // false
 */
export function createNyseCalendar(extra: CalendarOverrides = {}): NyseCalendar {
  const closures = [...NYSE_OVERRIDES.closures, ...(extra.closures ?? [])];
  const earlyOverrides = [...NYSE_OVERRIDES.earlyCloses, ...(extra.earlyCloses ?? [])];
  const holidayCache = new Map<number, Holiday[]>();
  const earlyCache = new Map<number, Holiday[]>();

  const holidaysOf = (year: number): Holiday[] => {
    let h = holidayCache.get(year);
    if (h === undefined) {
      h = [...ruleHolidays(year), ...closures.filter((c) => c.date.startsWith(`${year}-`))].sort((a, b) => a.date.localeCompare(b.date));
      holidayCache.set(year, h);
    }
    return [...h];
  };
  const isHoliday = (day: Day): boolean => holidaysOf(yearOf(day)).some((h) => h.date === day);
  const isTradingDay = (d: Day | Date): boolean => {
    const day = asDay(d);
    const dow = weekday(day);
    return dow !== 0 && dow !== 6 && !isHoliday(day);
  };
  const earlyClosesOf = (year: number): Holiday[] => {
    let e = earlyCache.get(year);
    if (e === undefined) {
      e = [...ruleEarlyCloses(year), ...earlyOverrides.filter((c) => c.date.startsWith(`${year}-`))].filter((x) => isTradingDay(x.date)).sort((a, b) => a.date.localeCompare(b.date));
      earlyCache.set(year, e);
    }
    return [...e];
  };
  const sessionOf = (d: Day | Date): Session | undefined => {
    const day = asDay(d);
    if (!isTradingDay(day)) return undefined;
    const earlyClose = earlyClosesOf(yearOf(day)).some((e) => e.date === day);
    return { day, open: nyWallTime(day, OPEN.h, OPEN.m), close: nyWallTime(day, earlyClose ? EARLY_CLOSE.h : CLOSE.h, earlyClose ? EARLY_CLOSE.m : CLOSE.m), earlyClose };
  };
  const step = (d: Day | Date, by: 1 | -1): Day => {
    let day = addDays(asDay(d), by);
    // at most a long weekend plus a holiday or two; 10 bounds a bug, not the calendar
    for (let i = 0; i < 10 && !isTradingDay(day); i++) day = addDays(day, by);
    return day;
  };
  const marketPhase = (now: Date): MarketPhase => {
    const session = sessionOf(tradingDayOf(now));
    if (session === undefined) return 'closed';
    const t = now.getTime();
    const until = session.earlyClose ? POST_MARKET_UNTIL_EARLY : POST_MARKET_UNTIL;
    if (t < nyWallTime(session.day, PRE_MARKET_FROM.h, PRE_MARKET_FROM.m).getTime()) return 'closed';
    if (t < session.open.getTime()) return 'pre-market';
    if (t < session.close.getTime()) return 'open';
    if (t < nyWallTime(session.day, until.h, until.m).getTime()) return 'post-market';
    return 'closed';
  };
  return { holidaysOf, earlyClosesOf, isHoliday, isTradingDay, sessionOf, nextTradingDay: (d) => step(d, 1), previousTradingDay: (d) => step(d, -1), marketPhase };
}

const DEFAULT = createNyseCalendar();

/** NYSE holidays (full closures) of a year, by rule plus the override list. */
export const holidaysOf = (year: number): Holiday[] => DEFAULT.holidaysOf(year);
/** 13:00 closes of a year. */
export const earlyClosesOf = (year: number): Holiday[] => DEFAULT.earlyClosesOf(year);
/** A weekday that is not a holiday. A `Date` is read as its New York calendar day. */
export const isTradingDay = (day: Day | Date): boolean => DEFAULT.isTradingDay(day);
/** Regular session of a trading day (`undefined` on a closed day). */
export const sessionOf = (day: Day | Date): Session | undefined => DEFAULT.sessionOf(day);
export const nextTradingDay = (day: Day | Date): Day => DEFAULT.nextTradingDay(day);
export const previousTradingDay = (day: Day | Date): Day => DEFAULT.previousTradingDay(day);
/**
 * Where the market is at `now`: pre-market 04:00–09:30, open 09:30–close, post-market close–20:00
 * (17:00 on early-close days), closed otherwise and all day on a non-trading day.
 * @example marketPhase(new Date('2026-11-27T18:30:00Z')) // 'post-market' (early close at 13:00 ET)
 */
export const marketPhase = (now: Date): MarketPhase => DEFAULT.marketPhase(now);

function nyParts(at: Date): WallTime {
  return wallTimeIn(NY_TIME_ZONE, at.getTime());
}

/**
 * The New York calendar day of an instant, `YYYY-MM-DD` (orders and fills are filed under it).
 * @example tradingDayOf(new Date('2026-11-27T04:30:00Z')) // '2026-11-26' (23:30 EST)
 */
export function tradingDayOf(at: Date): Day {
  const p = nyParts(at);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/**
 * The instant of a New York wall-clock time on a day. Market times (04:00–20:00) never fall in the
 * 02:00 DST gap or overlap, so the conversion is unambiguous for them.
 * @example nyWallTime('2026-03-09', 9, 30).toISOString() // '2026-03-09T13:30:00.000Z' (EDT)
 */
export function nyWallTime(day: Day, hour: number, minute: number): Date {
  const { y, m, d } = parseDay(day);
  const wanted = Date.UTC(y, m - 1, d, hour, minute);
  let guess = wanted;
  // two rounds: the offset at the first guess may differ from the offset at the answer near a switch
  for (let i = 0; i < 2; i++) {
    const p = nyParts(new Date(guess));
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - guess;
    guess = wanted - offset;
  }
  return new Date(guess);
}

/** Holidays given by rule, with NYSE's observance: Saturday → Friday before, Sunday → Monday after,
 * except New Year's Day on a Saturday, which is not observed (the exchange opens on 31 December). */
function ruleHolidays(year: number): Holiday[] {
  const out: Holiday[] = [];
  const fixed = (month: number, dayOfMonth: number, name: string, skipSaturday = false) => {
    const day = ymd(year, month, dayOfMonth);
    const dow = weekday(day);
    if (dow === 6) {
      if (!skipSaturday) out.push({ date: addDays(day, -1), name: `${name} (observed)` });
    } else if (dow === 0) out.push({ date: addDays(day, 1), name: `${name} (observed)` });
    else out.push({ date: day, name });
  };
  fixed(1, 1, "New Year's Day", true);
  out.push({ date: nthWeekday(year, 1, 1, 3), name: 'Martin Luther King Jr. Day' });
  out.push({ date: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" });
  out.push({ date: addDays(easterSunday(year), -2), name: 'Good Friday' });
  out.push({ date: lastWeekday(year, 5, 1), name: 'Memorial Day' });
  if (year >= 2022) fixed(6, 19, 'Juneteenth National Independence Day');
  fixed(7, 4, 'Independence Day');
  out.push({ date: nthWeekday(year, 9, 1, 1), name: 'Labor Day' });
  out.push({ date: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' });
  fixed(12, 25, 'Christmas Day');
  return out;
}

/**
 * 13:00 closes by rule. The caller drops those that are not trading days: a weekend, or a Friday
 * 3 July / 24 December that is itself the observed holiday (so 2026 has no 2 July early close).
 */
function ruleEarlyCloses(year: number): Holiday[] {
  return [
    { date: ymd(year, 7, 3), name: 'Day before Independence Day' },
    { date: addDays(nthWeekday(year, 11, 4, 4), 1), name: 'Day after Thanksgiving' },
    { date: ymd(year, 12, 24), name: 'Christmas Eve' },
  ];
}

/** Easter Sunday (Gregorian), the anonymous algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** The n-th (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, dow: number, n: number): Day {
  const first = weekday(ymd(year, month, 1));
  return ymd(year, month, 1 + ((dow - first + 7) % 7) + 7 * (n - 1));
}

function lastWeekday(year: number, month: number, dow: number): Day {
  const lastDate = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekday(ymd(year, month, lastDate));
  return ymd(year, month, lastDate - ((last - dow + 7) % 7));
}

function parseDay(day: Day): { y: number; m: number; d: number } {
  const match = DAY_RE.exec(day);
  const y = Number(match?.[1]);
  const m = Number(match?.[2]);
  const d = Number(match?.[3]);
  if (match === null || ymd(y, m, d) !== day) throw new ValidationError('CALENDAR.INVALID_DAY', `not a calendar day: "${day}"`, [{ path: 'day', message: 'YYYY-MM-DD' }]);
  return { y, m, d };
}

const asDay = (d: Day | Date): Day => (typeof d === 'string' ? (parseDay(d), d) : tradingDayOf(d));
const yearOf = (day: Day): number => parseDay(day).y;
const weekday = (day: Day): number => {
  const { y, m, d } = parseDay(day);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
};
function ymd(y: number, m: number, d: number): Day {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}
const addDays = (day: Day, n: number): Day => {
  const { y, m, d } = parseDay(day);
  return ymd(y, m, d + n);
};
const pad = (n: number): string => String(n).padStart(2, '0');
