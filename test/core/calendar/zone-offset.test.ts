import { describe, expect, it } from 'vitest';
import { wallTimeIn, zoneOffsetMs } from '../../../lib/core/calendar/zone-offset.js';
import { nyWallTime, tradingDayOf } from '../../../lib/core/calendar/nyse.js';

const formats = new Map<string, Intl.DateTimeFormat>();
/** The unmemoised answer: Intl, formatted for the very instant. */
function reference(zone: string, epochMs: number) {
  const fmt = formats.get(zone) ?? new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  formats.set(zone, fmt);
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(epochMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p['year']!, mo: p['month']!, d: p['day']!, h: p['hour']!, mi: p['minute']!, s: p['second']! };
}

/** Instants every `stepMs` from `fromIso` for `hours`, visited forwards and then backwards (cache filled in both orders). */
function around(fromIso: string, hours: number, stepMs: number): number[] {
  const from = Date.parse(fromIso);
  const out: number[] = [];
  for (let t = from; t < from + hours * 3_600_000; t += stepMs) out.push(t);
  return [...out, ...[...out].reverse()];
}

describe('zone offsets memoised per hour', () => {
  it.each([
    // New York: spring forward 2026-03-08 07:00Z, fall back 2026-11-01 06:00Z
    ['America/New_York', '2026-03-08T04:00:00.000Z'],
    ['America/New_York', '2026-11-01T03:00:00.000Z'],
    // London: 2026-03-29 01:00Z, 2026-10-25 01:00Z
    ['Europe/London', '2026-03-28T22:00:00.000Z'],
    ['Europe/London', '2026-10-24T22:00:00.000Z'],
    // Lord Howe shifts by 30 minutes, at 02:00 local (+10:30 → a transition at 15:30Z): 2026-10-03
    ['Australia/Lord_Howe', '2026-10-03T13:00:00.000Z'],
    // a quarter-hour zone without DST
    ['Asia/Kathmandu', '2026-06-01T00:00:00.000Z'],
  ])('gives Intl\'s wall time in %s at every instant around %s', (zone, from) => {
    for (const t of around(from, 6, 61_001)) expect(wallTimeIn(zone, t), `${zone} ${new Date(t).toISOString()}`).toEqual(reference(zone, t));
  });

  it('gives the offset in ms, DST included', () => {
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-07-01T12:00:00Z'))).toBe(-4 * 3_600_000);
    // the last second before and the first after the switch
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-03-08T06:59:59.999Z'))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-03-08T07:00:00.000Z'))).toBe(-4 * 3_600_000);
  });

  it('refuses an unknown zone as Intl does', () => {
    expect(() => zoneOffsetMs('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });

  it('keeps the NYSE calendar right on both sides of the DST switches', () => {
    // 23:30 EST on 2026-10-31 is still the 31st; the same wall time after the switch is 04:30Z
    expect(tradingDayOf(new Date('2026-11-01T04:30:00Z'))).toBe('2026-11-01');
    expect(tradingDayOf(new Date('2026-11-01T03:59:59Z'))).toBe('2026-10-31');
    expect(tradingDayOf(new Date('2026-11-02T04:59:59Z'))).toBe('2026-11-01');
    expect(tradingDayOf(new Date('2026-11-02T05:00:00Z'))).toBe('2026-11-02');
    expect(nyWallTime('2026-03-06', 9, 30).toISOString()).toBe('2026-03-06T14:30:00.000Z');
    expect(nyWallTime('2026-03-09', 9, 30).toISOString()).toBe('2026-03-09T13:30:00.000Z');
    expect(nyWallTime('2026-10-30', 16, 0).toISOString()).toBe('2026-10-30T20:00:00.000Z');
    expect(nyWallTime('2026-11-02', 16, 0).toISOString()).toBe('2026-11-02T21:00:00.000Z');
  });
});
