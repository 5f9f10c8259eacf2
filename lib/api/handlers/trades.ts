import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import { SymbolSchema } from '../../core/shared/ids.js';
import { add, mulInt, parseDecimal, toDecimalString, ZERO } from '../../core/money/fixed.js';

export const TradesQuerySchema = z.strictObject({
  /** `today` (the New York trading day of now) or a calendar date. */
  date: z
    .string()
    .regex(/^(today|\d{4}-\d{2}-\d{2})$/, 'use "today" or YYYY-MM-DD')
    .refine((d) => d === 'today' || isCalendarDate(d), 'not a calendar date')
    .default('today'),
  symbol: SymbolSchema.optional(),
});

/**
 * `GET /api/trades?date=today|YYYY-MM-DD` — the day's executions (New York trading day), each
 * with the strategy and agent of its order, plus bought/sold notional totals.
 */
export async function trades(input: { query: z.infer<typeof TradesQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const day = input.query.date === 'today' ? tradingDayOf(deps.clock.now()) : input.query.date;
  const fills = (await deps.stores.fills.listByDay(day)).filter((f) => input.query.symbol === undefined || f.symbol === input.query.symbol);
  const orderIds = [...new Set(fills.map((f) => f.clientOrderId).filter((id) => id !== undefined))];
  const orders = new Map((await Promise.all(orderIds.map((id) => deps.stores.orders.get(id)))).filter((o) => o !== undefined).map((o) => [o.clientOrderId as string, o]));
  const rows = fills
    .map((f) => {
      const origin = f.clientOrderId ? orders.get(f.clientOrderId)?.origin : undefined;
      return { ...f, notional: toDecimalString(mulInt(parseDecimal(f.price), f.quantity)), strategyId: origin?.strategyId, agentId: origin?.agentId };
    })
    .sort((a, b) => a.executedAt.localeCompare(b.executedAt));
  const total = (side: 'BUY' | 'SELL') => toDecimalString(rows.filter((r) => r.side === side).reduce((acc, r) => add(acc, parseDecimal(r.notional)), ZERO));
  return { status: 200, body: { date: day, count: rows.length, trades: rows, totals: { boughtNotional: total('BUY'), soldNotional: total('SELL') } } };
}

function isCalendarDate(d: string): boolean {
  const t = Date.parse(`${d}T12:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}
