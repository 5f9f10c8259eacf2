/**
 * UTC offsets of IANA time zones, memoised per UTC hour. `Intl.DateTimeFormat#formatToParts` costs
 * tens of microseconds a call, and the order path converts several times per event (trading day
 * of every order, fill and record key; IB execution times).
 *
 * Correct across DST and any other transition: an hour is cached only when the offset at its
 * start equals the offset at its last millisecond. Zones change offset at most a few times a year,
 * so equal ends mean no transition inside the hour; an hour that holds a transition (at :00, :30
 * or :45 UTC, whatever the zone) is never cached and every instant in it is formatted exactly.
 */

const HOUR_MS = 3_600_000;
/** Cached hours per zone before the oldest are dropped (about a year of hours). */
const MAX_HOURS = 10_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const hoursByZone = new Map<string, Map<number, number | null>>();

/**
 * The formatter of a zone; throws the `RangeError` of `Intl` for an unknown zone.
 * @internal
 */
function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset (wall clock minus UTC, ms) at `epochMs`, straight from Intl; whole seconds. */
function exactOffsetMs(fmt: Intl.DateTimeFormat, epochMs: number): number {
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(epochMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p['year'] ?? 0, (p['month'] ?? 1) - 1, p['day'] ?? 1, p['hour'] ?? 0, p['minute'] ?? 0, p['second'] ?? 0);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The offset of `zone` from UTC at `epochMs`, in ms (New York in winter: -18_000_000).
 * @throws RangeError for a zone `Intl` does not know
 * @example zoneOffsetMs('America/New_York', Date.parse('2026-07-01T12:00:00Z')) // -14_400_000
 */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  const fmt = formatterOf(zone);
  if (!Number.isFinite(epochMs)) return exactOffsetMs(fmt, epochMs);
  let hours = hoursByZone.get(zone);
  if (hours === undefined) {
    hours = new Map();
    hoursByZone.set(zone, hours);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached ?? exactOffsetMs(fmt, epochMs);
  const start = exactOffsetMs(fmt, hour * HOUR_MS);
  const end = exactOffsetMs(fmt, (hour + 1) * HOUR_MS - 1);
  if (hours.size >= MAX_HOURS) hours.clear();
  hours.set(hour, start === end ? start : null);
  return start === end ? start : exactOffsetMs(fmt, epochMs);
}

/** Wall-clock fields of an instant in a zone (seconds resolution), as `Intl` would format them. */
export interface WallTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/**
 * The wall-clock time of `epochMs` in `zone`.
 * @example wallTimeIn('America/New_York', Date.parse('2026-11-27T04:30:00Z')) // { y: 2026, mo: 11, d: 26, h: 23, mi: 30, s: 0 }
 */
export function wallTimeIn(zone: string, epochMs: number): WallTime {
  const w = new Date(Math.floor(epochMs / 1000) * 1000 + zoneOffsetMs(zone, epochMs));
  return { y: w.getUTCFullYear(), mo: w.getUTCMonth() + 1, d: w.getUTCDate(), h: w.getUTCHours(), mi: w.getUTCMinutes(), s: w.getUTCSeconds() };
}
