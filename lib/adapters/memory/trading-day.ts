import { tradingDayOf } from '../../core/calendar/nyse.js';

/**
 * The New York trading day of an ISO timestamp, as the DynamoDB adapters file records under it. The
 * calendar memoises its time-zone offsets, so a call costs under a microsecond: no cache of our own.
 */
export const dayOf = (iso: string): string => tradingDayOf(new Date(iso));
