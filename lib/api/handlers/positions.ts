import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { SymbolSchema } from '../../core/shared/ids.js';
import type { Position } from '../../core/positions/position.js';
import type { Quote } from '../../core/market/quote.js';
import { add, mul, mulInt, parseDecimal, sub, toMoneyString, ZERO, type Fixed } from '../../core/money/fixed.js';

export const PositionsQuerySchema = z.strictObject({
  symbol: SymbolSchema.optional(),
});

/** The mark used to value a position: last trade, else mid, else the broker's own mark. */
export function markPrice(quote: Quote | undefined, position: Position): Fixed | undefined {
  if (quote?.last) return parseDecimal(quote.last);
  if (quote?.bid && quote.ask) return mul(add(parseDecimal(quote.bid), parseDecimal(quote.ask)), parseDecimal('0.5'));
  return position.marketPrice ? parseDecimal(position.marketPrice) : undefined;
}

/**
 * Values one broker-reported position at the latest mark, exactly (fixed-point, no float drift):
 * market value = qty × mark; unrealised = qty × (mark − average cost).
 */
export function valuePosition(position: Position, quote: Quote | undefined): Position {
  const mark = markPrice(quote, position);
  if (mark === undefined) return position;
  const qty = position.quantity;
  return {
    ...position,
    marketPrice: toMoneyString(mark),
    marketValue: toMoneyString(mulInt(mark, qty)),
    unrealizedPnl: toMoneyString(mulInt(sub(mark, parseDecimal(position.avgCost)), qty)),
  };
}

/**
 * `GET /api/positions` — the positions the broker reported (the bridge stores its snapshots),
 * valued at the latest quotes, with totals. Flat positions are left out.
 */
export async function positions(input: { query: z.infer<typeof PositionsQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const [stored, quotes] = await Promise.all([deps.stores.positions.list(), deps.stores.quotes.list()]);
  const quoteBySymbol = new Map(quotes.map((q) => [q.symbol as string, q]));
  const rows = stored
    .filter((p) => p.quantity !== 0 && (input.query.symbol === undefined || p.symbol === input.query.symbol))
    .map((p) => valuePosition(p, quoteBySymbol.get(p.symbol)))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
  const total = (pick: (p: Position) => string | undefined): string => toMoneyString(rows.reduce((acc, p) => add(acc, parseDecimal(pick(p) ?? '0')), ZERO));
  const asOf = rows.reduce((latest, p) => (p.updatedAt > latest ? p.updatedAt : latest), '');
  return {
    status: 200,
    body: {
      asOf: asOf || deps.clock.now().toISOString(),
      count: rows.length,
      positions: rows,
      totals: { marketValue: total((p) => p.marketValue), unrealizedPnl: total((p) => p.unrealizedPnl), realizedPnl: total((p) => p.realizedPnl) },
    },
  };
}
