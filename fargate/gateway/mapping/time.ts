import { zoneOffsetMs as coreZoneOffsetMs } from '../../../lib/core/calendar/zone-offset.js';
import { MappingError } from './errors.js';

/** Zone abbreviations IB prints after a time, mapped to IANA zones. */
const ZONE_ALIASES: Readonly<Record<string, string>> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  'US/Eastern': 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  'US/Central': 'America/Chicago',
  GMT: 'UTC',
  UTC: 'UTC',
  'Europe/London': 'Europe/London',
};

const IB_TIME = /^(\d{4})(\d{2})(\d{2})(?:\s+|-)(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/;

/**
 * Converts an IB execution time to an ISO-8601 UTC timestamp, once, at the edge.
 * IB writes `yyyymmdd  hh:mm:ss` (two spaces) in the gateway's time zone, sometimes followed by a
 * zone (`20261126 09:30:00 US/Eastern`), `yyyymmdd-hh:mm:ss` (UTC) in filters, or epoch seconds.
 *
 * @param defaultZone the gateway's configured time zone, used when the text names none
 * @example
 * ibTimeToIso('20261126  09:30:05', 'America/New_York') // '2026-11-26T14:30:05.000Z'
 */
export function ibTimeToIso(text: string, defaultZone: string): string {
  const trimmed = text.trim();
  if (/^\d{9,11}$/.test(trimmed)) return new Date(Number(trimmed) * 1000).toISOString();
  const m = IB_TIME.exec(trimmed);
  if (m === null) throw new MappingError('MAPPING.BAD_TIME', `cannot parse IB time "${text}"`, { value: text });
  const [, y, mo, d, h, mi, s, zoneText] = m;
  // yyyymmdd-hh:mm:ss is IB's UTC form (execution filters, newer gateways).
  const dashForm = trimmed.charAt(8) === '-';
  const zone = zoneText !== undefined ? (ZONE_ALIASES[zoneText] ?? zoneText) : dashForm ? 'UTC' : defaultZone;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const ms = wallTimeToEpochMs(parts, zone, text);
  return new Date(ms).toISOString();
}

/** Epoch ms of a wall-clock time in an IANA zone (two passes settle DST edges). */
function wallTimeToEpochMs([y, mo, d, h, mi, s]: [number, number, number, number, number, number], zone: string, original: string): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(asUtc) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw new MappingError('MAPPING.BAD_TIME', `invalid IB time "${original}"`, { value: original });
  let guess = asUtc - zoneOffsetMs(zone, asUtc, original);
  guess = asUtc - zoneOffsetMs(zone, guess, original);
  return guess;
}

function zoneOffsetMs(zone: string, epochMs: number, original: string): number {
  try {
    return coreZoneOffsetMs(zone, epochMs);
  } catch (cause) {
    // epochMs is finite here, so Intl's only complaint can be the zone
    if (cause instanceof RangeError) throw new MappingError('MAPPING.BAD_TIME_ZONE', `unknown time zone "${zone}" in "${original}"`, { value: original, zone, cause: String(cause) });
    throw cause;
  }
}
