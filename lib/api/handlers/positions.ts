import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { SymbolSchema } from '../../core/shared/ids.js';
import type { Position } from '../../core/positions/position.js';
import { aggregatePnl, markPosition } from '../../core/positions/pnl.js';
import { markOf } from '../../core/market/mark.js';

export const PositionsQuerySchema = z.strictObject({
  symbol: SymbolSchema.optional(),
});

/**
 * `GET /api/positions` — the positions the broker reported (the bridge stores its snapshots),
 * marked at the latest quotes (else the broker's own mark), with P&L totals per currency.
 * Flat positions are not listed; their realised P&L is in the totals.
 */
export async function positions(input: { query: z.infer<typeof PositionsQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const [stored, quotes] = await Promise.all([deps.stores.positions.list(), deps.stores.quotes.list()]);
  const quoteBySymbol = new Map(quotes.map((q) => [q.symbol as string, q]));
  const selected = stored
    .filter((p) => input.query.symbol === undefined || p.symbol === input.query.symbol)
    .map((p) => {
      const mark = markOf(quoteBySymbol.get(p.symbol)) ?? p.marketPrice;
      return mark === undefined ? p : markPosition(p, mark);
    })
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
  // Closed positions are not listed, but their realised P&L still counts in the totals.
  const rows = selected.filter((p) => p.quantity !== 0);
  const byCurrency = new Map<string, Position[]>();
  for (const p of selected) byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), p]);
  const totals = Object.fromEntries([...byCurrency].map(([currency, ps]) => [currency, aggregatePnl(ps)]));
  const asOf = rows.reduce((latest, p) => (p.updatedAt > latest ? p.updatedAt : latest), '');
  return { status: 200, body: { asOf: asOf || deps.clock.now().toISOString(), count: rows.length, positions: rows, totals } };
}
