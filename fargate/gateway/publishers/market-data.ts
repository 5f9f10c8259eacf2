import type { Instrument } from '../../../lib/core/instruments/instrument.js';
import type { Quote } from '../../../lib/core/market/quote.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { Symbol } from '../../../lib/core/shared/ids.js';
import type { QuoteStore } from '../../../lib/ports/stores.js';
import type { QuoteDraft } from '../mapping/market-data.js';
import { applyTick, completeQuote, emptyDraft } from '../mapping/market-data.js';
import type { RawClientEvents } from '../raw-client.js';
import type { EventSink } from './context.js';

/**
 * Ticks → quotes in memory; `flush` (called on a timer, at most once per interval) writes the
 * changed quotes to the QuoteStore and publishes one MarketSnapshotReport for the batch, so the bus
 * sees at most one market event per interval however fast the market ticks.
 * @example
 * const reqId = md.assign(symbol); await raw.reqMktData(reqId, contract); … await md.flush();
 */
export class MarketDataPublisher {
  private readonly bySymbol = new Map<string, QuoteDraft>();
  private readonly reqToSymbol = new Map<number, Symbol>();
  private readonly dirty = new Set<string>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly lastRevived = new Map<string, number>();
  /** Snapshots published (metrics and tests). */
  published = 0;

  constructor(
    private readonly quotes: QuoteStore,
    private readonly sink: EventSink,
    private readonly clock: Clock,
  ) {}

  /** Routes ticks of `reqId` to `instrument`; earlier request ids of that symbol stop counting. */
  assign(reqId: number, instrument: Instrument): void {
    for (const [id, sym] of this.reqToSymbol) if (sym === instrument.symbol) this.reqToSymbol.delete(id);
    this.reqToSymbol.set(reqId, instrument.symbol);
    this.instruments.set(instrument.symbol, instrument);
    if (!this.bySymbol.has(instrument.symbol)) this.bySymbol.set(instrument.symbol, emptyDraft(instrument.symbol));
  }

  /** Request ids currently subscribed (to cancel at shutdown). */
  activeRequestIds(): number[] {
    return [...this.reqToSymbol.keys()];
  }

  forget(reqId: number): void {
    this.reqToSymbol.delete(reqId);
  }

  isMarketDataRequest(reqId: number): boolean {
    return this.reqToSymbol.has(reqId);
  }

  /**
   * A subscription the broker ended (354, 10182, 10197 …: it stays dead after a farm flap unless
   * re-requested). Returns the instrument to re-request, at most once per `minIntervalMs` per
   * symbol so a permanently refused subscription cannot become a request loop.
   */
  onSubscriptionDead(reqId: number, minIntervalMs: number): Instrument | undefined {
    const symbol = this.reqToSymbol.get(reqId);
    if (symbol === undefined) return undefined;
    this.reqToSymbol.delete(reqId);
    const now = this.clock.now().getTime();
    const last = this.lastRevived.get(symbol);
    if (last !== undefined && now - last < minIntervalMs) return undefined;
    this.lastRevived.set(symbol, now);
    return this.instruments.get(symbol);
  }

  onTickPrice(e: Parameters<RawClientEvents['tickPrice']>[0]): void {
    this.apply(e.reqId, 'price', e.tickType, e.price);
  }

  onTickSize(e: Parameters<RawClientEvents['tickSize']>[0]): void {
    this.apply(e.reqId, 'size', e.tickType, e.size);
  }

  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch: Quote[] = [];
    for (const symbol of this.dirty) {
      const q = completeQuote(this.bySymbol.get(symbol) ?? { symbol: symbol as Symbol });
      if (q !== undefined) batch.push(q);
    }
    this.dirty.clear();
    if (batch.length === 0) return;
    batch.sort((a, b) => a.symbol.localeCompare(b.symbol));
    await this.quotes.putMany(batch);
    this.published += 1;
    await this.sink.emit('MarketSnapshotReport', { quotes: batch });
  }

  private apply(reqId: number, kind: 'price' | 'size', tickType: number, value: number | undefined): void {
    const symbol = this.reqToSymbol.get(reqId);
    if (symbol === undefined) return;
    const draft = this.bySymbol.get(symbol) ?? emptyDraft(symbol);
    const next = applyTick(draft, kind, tickType, value, this.clock.now().toISOString());
    if (next === draft) return;
    this.bySymbol.set(symbol, next);
    this.dirty.add(symbol);
  }
}
