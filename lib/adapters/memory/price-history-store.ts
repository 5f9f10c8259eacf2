import { mergeCloses, PriceHistorySchema, type PriceHistory } from '../../core/market/price-history.js';
import type { PriceHistoryStore } from '../../ports/price-history.js';

/** PriceHistoryStore in memory: the same merge-by-day rule as the DynamoDB adapter. */
export class InMemoryPriceHistoryStore implements PriceHistoryStore {
  private readonly bySymbol = new Map<string, PriceHistory>();

  merge(history: PriceHistory): Promise<void> {
    const h = PriceHistorySchema.parse(history);
    if (h.closes.length === 0) return Promise.resolve(); // nothing to merge: like the adapter, nothing changes
    const before = this.bySymbol.get(h.symbol);
    this.bySymbol.set(h.symbol, { ...h, closes: mergeCloses(before?.closes ?? [], h.closes) });
    return Promise.resolve();
  }

  get(symbols: readonly string[], options: { since?: string } = {}): Promise<PriceHistory[]> {
    const out: PriceHistory[] = [];
    for (const s of new Set(symbols)) {
      const h = this.bySymbol.get(s);
      if (h === undefined) continue;
      out.push({ ...h, closes: h.closes.filter((c) => options.since === undefined || c.day >= options.since) });
    }
    return Promise.resolve(out);
  }
}
