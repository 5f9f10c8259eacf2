import { z } from 'zod';
import { PositiveDecimalStringSchema } from '../money/decimal-string.js';
import { IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';

/** A New York trading day, `YYYY-MM-DD` (the calendar's `Day`). */
export const TradingDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** One daily bar's close, as the broker reported it (decimal string: no float in storage). */
export const DailyCloseSchema = z.strictObject({ day: TradingDaySchema, close: PositiveDecimalStringSchema });
export type DailyClose = z.infer<typeof DailyCloseSchema>;

/**
 * Where a history came from: `ib:TRADES` / `ib:MIDPOINT` (IB's `whatToShow` of the daily bars).
 * Named so a VaR report can say which prices it stands on.
 */
export const PriceHistorySourceSchema = z.string().regex(/^[a-z][a-z0-9-]*:[A-Z_]+$/, 'origin:kind, e.g. ib:TRADES');

/**
 * Daily closes of one instrument, oldest first, one per day.
 * @example
 * { symbol: 'AAPL', source: 'ib:TRADES', updatedAt: '2026-11-26T21:30:00.000Z', closes: [{ day: '2026-11-24', close: '186.9' }, { day: '2026-11-25', close: '187.25' }] }
 */
export const PriceHistorySchema = z
  .strictObject({
    symbol: SymbolSchema,
    source: PriceHistorySourceSchema,
    updatedAt: IsoTimestampSchema,
    closes: z.array(DailyCloseSchema),
  })
  .superRefine((h, ctx) => {
    for (let i = 1; i < h.closes.length; i++) {
      if (h.closes[i]!.day <= h.closes[i - 1]!.day) ctx.addIssue({ code: 'custom', path: ['closes', i, 'day'], message: 'days must be strictly increasing' });
    }
  });
export type PriceHistory = z.infer<typeof PriceHistorySchema>;

/**
 * Merges two series of one symbol by day; `later` wins on a day both have (the broker revises the
 * last, still-forming bar). Both oldest first; so is the result.
 * @example mergeCloses([{ day: 'd1', close: '1' }], [{ day: 'd1', close: '2' }, { day: 'd2', close: '3' }]) // d1 → '2', d2 → '3'
 */
export function mergeCloses(earlier: readonly DailyClose[], later: readonly DailyClose[]): DailyClose[] {
  const byDay = new Map<string, DailyClose>();
  for (const c of earlier) byDay.set(c.day, c);
  for (const c of later) byDay.set(c.day, c);
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
