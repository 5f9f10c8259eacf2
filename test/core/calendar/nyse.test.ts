import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createNyseCalendar, earlyClosesOf, easterSunday, holidaysOf, isTradingDay, marketPhase, nextTradingDay, nyWallTime, previousTradingDay, sessionOf, tradingDayOf,
} from '../../../lib/core/calendar/nyse.js';
import { ValidationError } from '../../../lib/core/shared/errors.js';

const dates = (hs: { date: string }[]) => hs.map((h) => h.date);

describe('holidays', () => {
  it.each([
    [2025, ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25']],
    [2026, ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25']],
    [2027, ['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24']],
  ])('lists the %i NYSE holidays', (year, expected) => {
    expect(dates(holidaysOf(year))).toEqual(expected);
  });

  it('names observed holidays and the one-off closure', () => {
    expect(holidaysOf(2026).find((h) => h.date === '2026-07-03')?.name).toBe('Independence Day (observed)');
    expect(holidaysOf(2025).find((h) => h.date === '2025-01-09')?.name).toMatch(/Carter/);
  });

  it('does not observe a Saturday New Year on the Friday before (the exchange opens on 31 December)', () => {
    expect(dates(holidaysOf(2022))).not.toContain('2021-12-31');
    expect(isTradingDay('2027-12-31')).toBe(true); // 2028-01-01 is a Saturday
    expect(dates(holidaysOf(2023))).toContain('2023-01-02'); // Sunday New Year → Monday
  });

  it('computes Easter by the Gregorian computus', () => {
    expect([2024, 2025, 2026, 2027, 2038, 2285].map(easterSunday)).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2038-04-25', '2285-03-22']);
  });

  it.each([
    [2025, ['2025-07-03', '2025-11-28', '2025-12-24']],
    [2026, ['2026-11-27', '2026-12-24']],
    [2027, ['2027-11-26']],
    [2024, ['2024-07-03', '2024-11-29', '2024-12-24']],
  ])('lists the %i early closes', (year, expected) => {
    expect(dates(earlyClosesOf(year))).toEqual(expected);
  });

  it('takes extra one-off closures', () => {
    const cal = createNyseCalendar({ closures: [{ date: '2027-03-01', name: 'Emergency closure' }], earlyCloses: [{ date: '2027-03-02', name: 'Early' }] });
    expect(cal.isTradingDay('2027-03-01')).toBe(false);
    expect(cal.sessionOf('2027-03-02')?.earlyClose).toBe(true);
    expect(isTradingDay('2027-03-01')).toBe(true);
  });
});

describe('trading days and sessions', () => {
  it('treats Thanksgiving 2026 (today) as closed and the day after as a 13:00 early close', () => {
    expect(isTradingDay('2026-11-26')).toBe(false);
    expect(sessionOf('2026-11-26')).toBeUndefined();
    const friday = sessionOf('2026-11-27');
    expect(friday).toEqual({ day: '2026-11-27', open: new Date('2026-11-27T14:30:00.000Z'), close: new Date('2026-11-27T18:00:00.000Z'), earlyClose: true });
  });

  it('skips weekends and holidays to the next and previous trading day', () => {
    expect(nextTradingDay('2026-11-25')).toBe('2026-11-27');
    expect(previousTradingDay('2026-11-30')).toBe('2026-11-27');
    expect(nextTradingDay('2026-12-24')).toBe('2026-12-28');
    expect(previousTradingDay('2026-01-02')).toBe('2025-12-31');
    expect(nextTradingDay('2025-01-08')).toBe('2025-01-10');
  });

  it.each([
    ['2026-03-06', '2026-03-06T14:30:00.000Z', '2026-03-06T21:00:00.000Z'], // EST, Friday before the switch
    ['2026-03-09', '2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z'], // EDT, first Monday after 8 March
    ['2026-10-30', '2026-10-30T13:30:00.000Z', '2026-10-30T20:00:00.000Z'], // EDT
    ['2026-11-02', '2026-11-02T14:30:00.000Z', '2026-11-02T21:00:00.000Z'], // EST, after 1 November
  ])('opens and closes %s at 09:30 and 16:00 New York time across DST', (day, open, close) => {
    expect(sessionOf(day)).toMatchObject({ open: new Date(open), close: new Date(close), earlyClose: false });
  });

  it('converts wall times on the DST switch days themselves', () => {
    expect(nyWallTime('2026-03-08', 1, 0).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(nyWallTime('2026-03-08', 9, 30).toISOString()).toBe('2026-03-08T13:30:00.000Z');
    expect(nyWallTime('2026-11-01', 9, 30).toISOString()).toBe('2026-11-01T14:30:00.000Z');
  });

  it('files an instant under its New York day', () => {
    expect(tradingDayOf(new Date('2026-11-27T04:59:59.999Z'))).toBe('2026-11-26');
    expect(tradingDayOf(new Date('2026-11-27T05:00:00.000Z'))).toBe('2026-11-27');
    expect(tradingDayOf(new Date('2026-07-01T03:59:00.000Z'))).toBe('2026-06-30');
    expect(tradingDayOf(new Date('2026-07-01T04:00:00.000Z'))).toBe('2026-07-01');
  });

  it('opens every trading day 2025–2027 at 09:30 New York time and closes after it opens', () => {
    const start = Date.UTC(2025, 0, 1);
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 * 365 - 1 }), (offset) => {
      const day = new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
      const s = sessionOf(day);
      if (s === undefined) return !isTradingDay(day);
      const hoursOpen = (s.close.getTime() - s.open.getTime()) / 3_600_000;
      return tradingDayOf(s.open) === day && new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(s.open) === '09:30' && hoursOpen === (s.earlyClose ? 3.5 : 6.5);
    }), { numRuns: 200 });
  });

  it('counts 250 to 252 trading days a year', () => {
    for (const year of [2025, 2026, 2027]) {
      let n = 0;
      for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += 86_400_000) if (isTradingDay(new Date(d).toISOString().slice(0, 10))) n++;
      expect(n).toBeGreaterThanOrEqual(250);
      expect(n).toBeLessThanOrEqual(252);
    }
  });

  it('refuses a malformed or impossible day', () => {
    expect(() => isTradingDay('2026-02-30')).toThrow(ValidationError);
    expect(() => isTradingDay('26-11-27')).toThrow(ValidationError);
  });
});

describe('marketPhase', () => {
  it.each([
    ['2026-11-26T15:00:00.000Z', 'closed'], // Thanksgiving
    ['2026-11-27T08:59:00.000Z', 'closed'], // 03:59 ET
    ['2026-11-27T09:00:00.000Z', 'pre-market'], // 04:00 ET
    ['2026-11-27T14:29:59.999Z', 'pre-market'],
    ['2026-11-27T14:30:00.000Z', 'open'],
    ['2026-11-27T17:59:59.999Z', 'open'],
    ['2026-11-27T18:00:00.000Z', 'post-market'], // early close 13:00 ET
    ['2026-11-27T21:59:00.000Z', 'post-market'], // 16:59 ET
    ['2026-11-27T22:00:00.000Z', 'closed'], // 17:00 ET on an early-close day
    ['2026-11-30T21:00:00.000Z', 'post-market'], // 16:00 ET Monday
    ['2026-12-01T00:59:00.000Z', 'post-market'], // 19:59 ET
    ['2026-12-01T01:00:00.000Z', 'closed'], // 20:00 ET
    ['2026-11-28T15:00:00.000Z', 'closed'], // Saturday
    ['2026-03-09T13:30:00.000Z', 'open'], // 09:30 EDT
    ['2026-03-06T13:30:00.000Z', 'pre-market'], // 08:30 EST
  ])('is %s → %s', (at, phase) => {
    expect(marketPhase(new Date(at))).toBe(phase);
  });
});
