import { z } from 'zod';
import { PositiveDecimalStringSchema } from '../../core/money/decimal-string.js';
import { mergeCloses, PriceHistorySchema, PriceHistorySourceSchema, type DailyClose, type PriceHistory } from '../../core/market/price-history.js';
import { IsoTimestampSchema, SymbolSchema } from '../../core/shared/ids.js';
import type { PriceHistoryStore } from '../../ports/price-history.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { Keys, PRICE_HISTORY_YEAR_SK_PREFIX, priceHistoryPk, stripKeys } from './keys.js';
import { Table } from './table.js';

/** One year of one symbol's closes: `closes` maps day → decimal string (a DynamoDB map of strings, never numbers). */
const YearItemSchema = z.strictObject({
  symbol: SymbolSchema,
  source: PriceHistorySourceSchema,
  updatedAt: IsoTimestampSchema,
  closes: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), PositiveDecimalStringSchema),
});
type YearItem = z.infer<typeof YearItemSchema>;

const yearOf = (day: string): string => day.slice(0, 4);

/**
 * Daily closes in the single table, one item per (symbol, calendar year): `PRICE_HISTORY#<symbol>` /
 * `YEAR#<yyyy>` (keys.ts). A merge reads the touched years, merges by day and writes them back in
 * one batch; a read is one query per symbol, starting at the year of `since`.
 * @example
 * const store = new DynamoDbPriceHistoryStore({ doc, tableName });
 * await store.merge(history); await store.get(['AAPL', 'MSFT'], { since: '2025-06-01' });
 */
export class DynamoDbPriceHistoryStore implements PriceHistoryStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async merge(history: PriceHistory): Promise<void> {
    const h = PriceHistorySchema.parse(history);
    const byYear = new Map<string, DailyClose[]>();
    for (const c of h.closes) {
      const y = yearOf(c.day);
      byYear.set(y, [...(byYear.get(y) ?? []), c]);
    }
    if (byYear.size === 0) return;
    const years = [...byYear.keys()].sort();
    const existing = await this.years(h.symbol, years[0]!, years.at(-1)!);
    const puts = years.map((y) => {
      const before = existing.get(y);
      const merged = mergeCloses(before === undefined ? [] : closesOf(before), byYear.get(y)!);
      const item: YearItem = { symbol: h.symbol, source: h.source, updatedAt: h.updatedAt, closes: Object.fromEntries(merged.map((c) => [c.day, c.close])) };
      return { ...Keys.priceHistoryYear(h.symbol, y), ...item };
    });
    await this.table.batchWrite(puts);
  }

  async get(symbols: readonly string[], options: { since?: string } = {}): Promise<PriceHistory[]> {
    const since = options.since;
    const found = await Promise.all(
      [...new Set(symbols)].map(async (symbol): Promise<PriceHistory | undefined> => {
        const items = [...(await this.years(symbol, since === undefined ? '0000' : yearOf(since), '9999')).values()];
        if (items.length === 0) return undefined;
        const latest = items.reduce((a, b) => (b.updatedAt > a.updatedAt ? b : a));
        const closes = items.flatMap(closesOf).filter((c) => since === undefined || c.day >= since);
        return PriceHistorySchema.parse({ symbol, source: latest.source, updatedAt: latest.updatedAt, closes: closes.sort((a, b) => (a.day < b.day ? -1 : 1)) });
      }),
    );
    return found.filter((h): h is PriceHistory => h !== undefined);
  }

  /** Year items of a symbol between two years (inclusive), by year. */
  private async years(symbol: string, from: string, to: string): Promise<Map<string, YearItem>> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': priceHistoryPk(symbol), ':from': `${PRICE_HISTORY_YEAR_SK_PREFIX}${from}`, ':to': `${PRICE_HISTORY_YEAR_SK_PREFIX}${to}` },
      ConsistentRead: true,
    });
    return new Map(items.map((i) => [String(i['sk']).slice(PRICE_HISTORY_YEAR_SK_PREFIX.length), parseRecord(YearItemSchema, stripKeys(i), `price history ${symbol}/${String(i['sk'])}`)]));
  }
}

function closesOf(item: YearItem): DailyClose[] {
  return Object.entries(item.closes).map(([day, close]) => ({ day, close }));
}
