import type { Quote } from '../../core/market/quote.js';
import type { Clock } from '../../core/shared/clock.js';
import type { Result } from '../../core/shared/errors.js';
import type { Signal } from '../../core/signals/signal.js';
import type { EventHandler } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { QuoteStore } from '../../ports/stores.js';
import type { Scheduler } from './scheduler.js';

/** What a model says about one symbol after a new price: a view, or nothing new. */
export interface View {
  direction: 'LONG' | 'SHORT' | 'FLAT';
  /** Confidence in [0, 1]. */
  strength: number;
  rationale: string;
}

export interface StrategyDeps {
  /** Read on every poll (`start`); not needed when fed with `onQuotes` / `snapshotHandler`. */
  quotes?: QuoteStore | undefined;
  /** Where signals go: `(s) => acceptSignal(acceptDeps, s)`. */
  accept: (signal: Signal) => Promise<Result<unknown, { code: string; message: string }>>;
  clock: Clock;
  scheduler: Scheduler;
  logger?: Logger | undefined;
}

export interface StrategyOptions {
  strategyId: string;
  agentVersion: string;
  /** How often `start` polls the QuoteStore; each poll is one sample of the series. Default 1000 ms. */
  pollMs?: number | undefined;
  /** At most one signal per symbol per this many ms. Default 30 000 ms. */
  minSignalIntervalMs?: number | undefined;
  /** A view held unchanged is sent again after this long, so it outlives a skipped proposal. Default 300 000 ms. */
  refreshMs?: number | undefined;
  /** Only these symbols; default every quoted symbol. */
  symbols?: readonly string[] | undefined;
}

/**
 * A demo strategy for local mode: samples the mid of every quoted symbol, asks its model for a
 * view, and sends a signal when the view's direction changes (or, unchanged, every `refreshMs`) —
 * at most one per symbol per `minSignalIntervalMs`. Signals are intraday and carry the strategy, agent, version and the
 * model's rationale. `start`/`stop` switch the polling; `onQuotes` is the whole logic, so it can be
 * fed from the bus (`snapshotHandler`) instead.
 */
export abstract class PollingStrategy {
  readonly strategyId: string;
  readonly agentVersion: string;
  abstract readonly agentId: string;
  /** Signals sent (accepted or not), for tests and metrics. */
  emitted = 0;
  /** Polls completed (tests wait on it; metrics). */
  polls = 0;
  private readonly pollMs: number;
  private readonly minIntervalMs: number;
  private readonly refreshMs: number;
  private readonly symbols: ReadonlySet<string> | undefined;
  private readonly lastSent = new Map<string, { at: number; direction: View['direction'] }>();
  private cancel: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    protected readonly deps: StrategyDeps,
    options: StrategyOptions,
  ) {
    this.strategyId = options.strategyId;
    this.agentVersion = options.agentVersion;
    this.pollMs = options.pollMs ?? 1000;
    this.minIntervalMs = options.minSignalIntervalMs ?? 30_000;
    this.refreshMs = options.refreshMs ?? 300_000;
    this.symbols = options.symbols === undefined ? undefined : new Set(options.symbols);
  }

  /** The model: a new sample of `symbol`'s price → a view, or undefined while it has none. */
  protected abstract observe(symbol: string, price: number): View | undefined;

  get running(): boolean {
    return this.cancel !== undefined;
  }

  /** Starts polling the QuoteStore (idempotent). */
  start(): void {
    if (this.cancel !== undefined) return;
    const quotes = this.deps.quotes;
    if (quotes === undefined) throw new Error(`${this.strategyId}: start() needs a QuoteStore; feed onQuotes() otherwise`);
    this.cancel = this.deps.scheduler.every(this.pollMs, () => {
      if (this.inFlight !== undefined) return; // a slow poll is skipped, not queued
      this.inFlight = quotes
        .list()
        .then((qs) => this.onQuotes(qs))
        .catch((e: unknown) => this.deps.logger?.warn('strategy poll failed', { strategyId: this.strategyId, error: String(e) }))
        .finally(() => {
          this.polls += 1;
          this.inFlight = undefined;
        });
    });
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.inFlight;
  }

  /** Feeds `MarketSnapshotReport` quotes from the bus (alternative to `start`). */
  snapshotHandler(): EventHandler {
    return async (event) => {
      if (event.detailType !== 'MarketSnapshotReport') return;
      await this.onQuotes((event.detail as { quotes: Quote[] }).quotes);
    };
  }

  /** One sample per quoted symbol; sends the signals the views call for. */
  async onQuotes(quotes: readonly Quote[]): Promise<void> {
    for (const q of quotes) {
      if (this.symbols !== undefined && !this.symbols.has(q.symbol)) continue;
      const price = priceOf(q);
      if (price === undefined) continue;
      const view = this.observe(q.symbol, price);
      if (view !== undefined) await this.maybeSend(q.symbol, view);
    }
  }

  private async maybeSend(symbol: string, view: View): Promise<void> {
    const now = this.deps.clock.now();
    const last = this.lastSent.get(symbol);
    if (last !== undefined) {
      const age = now.getTime() - last.at;
      if (age < this.minIntervalMs || (last.direction === view.direction && age < this.refreshMs)) return;
    }
    if (last === undefined && view.direction === 'FLAT') return; // nothing to close
    this.lastSent.set(symbol, { at: now.getTime(), direction: view.direction });
    const signal: Signal = {
      signalId: `${safe(this.strategyId)}.${safe(symbol)}.${now.getTime()}`,
      strategyId: this.strategyId,
      agentId: this.agentId,
      agentVersion: this.agentVersion,
      symbol: symbol as Signal['symbol'],
      direction: view.direction,
      strength: Math.min(1, Math.max(0, Math.round(view.strength * 1000) / 1000)),
      horizon: 'intraday',
      rationale: view.rationale,
      createdAt: now.toISOString(),
    };
    this.emitted += 1;
    const r = await this.deps.accept(signal);
    if (!r.ok) this.deps.logger?.warn('strategy signal refused', { strategyId: this.strategyId, symbol, code: r.error.code, reason: r.error.message });
  }
}

/** Mid of a two-sided quote, else last; a float is fine for a model's input. */
function priceOf(q: Quote): number | undefined {
  const bid = q.bid === undefined ? NaN : Number(q.bid);
  const ask = q.ask === undefined ? NaN : Number(q.ask);
  if (bid > 0 && ask >= bid) return (bid + ask) / 2;
  const last = q.last === undefined ? NaN : Number(q.last);
  return last > 0 ? last : undefined;
}

/** Characters a signalId may not carry become `_`. */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');
