import { tradingDayOf } from '../dynamodb/keys.js';

const MAX_REMEMBERED = 4_096;
const remembered = new Map<string, string>();

/**
 * The trading day of an ISO timestamp, as the DynamoDB adapters key it (tradingDayOf), remembered:
 * the calendar's Intl formatting costs microseconds, and a record's timestamps are asked for on every
 * write. Bounded: forgotten all at once when full (timestamps of the day keep coming back).
 */
export function dayOf(iso: string): string {
  let day = remembered.get(iso);
  if (day === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    day = tradingDayOf(iso);
    remembered.set(iso, day);
  }
  return day;
}
