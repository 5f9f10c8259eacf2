/**
 * Seeded random-walk market: one two-sided quote per instrument, moved in whole ticks.
 * Deterministic for a given seed and number of steps (randomness is only used to pick integer
 * tick moves and lot sizes, so no float ever reaches a price). Time is passed in by the caller.
 */
import { fmt, fx, type Fixed } from './fixed.js';

export interface InstrumentSpec {
  symbol: string;
  conId: number;
  /** Initial mid, decimal string. */
  price: string;
  tickSize: string;
  /** Standard deviation of one step's move, in basis points of the price. */
  volatilityBps: number;
  exchange: string;
  primaryExchange: string;
  currency: string;
  longName: string;
}

export interface Quote {
  symbol: string;
  bid: Fixed;
  ask: Fixed;
  bidSize: number;
  askSize: number;
  last: Fixed;
  lastSize: number;
  volume: number;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
  /** Epoch ms of the last change. */
  at: number;
}

/** Persistable market position: mid in ticks per symbol plus the RNG state. */
export interface MarketState {
  rng: number;
  mids: Record<string, number>;
}

/** mulberry32: tiny, fast, good enough for a simulator, and trivially serialisable. */
export function mulberry32(seed: number): { next(): number; state(): number } {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => a,
  };
}

/** Half-spread in ticks: mid ± 1 tick keeps the mid on the tick grid. */
const HALF_SPREAD_TICKS = 1;
const LOT = 100;

interface Book {
  spec: InstrumentSpec;
  tick: Fixed;
  midTicks: number;
  quote: Quote;
}

export class MarketSim {
  private readonly books = new Map<string, Book>();
  private readonly byConId = new Map<number, string>();
  private rng: ReturnType<typeof mulberry32>;

  constructor(instruments: ReadonlyArray<InstrumentSpec>, seed: number, now: number, restored?: MarketState) {
    this.rng = mulberry32(restored?.rng ?? seed);
    for (const spec of instruments) {
      const tick = fx(spec.tickSize);
      if (tick <= 0n) throw new RangeError(`${spec.symbol}: tickSize must be positive`);
      const startTicks = Number(fx(spec.price) / tick);
      const midTicks = restored?.mids[spec.symbol] ?? startTicks;
      const book: Book = { spec, tick, midTicks, quote: this.emptyQuote(spec.symbol, now) };
      book.quote = this.quoteFor(book, now, LOT * 3, LOT * 3, BigInt(midTicks) * tick, 0, 0);
      book.quote.open = book.quote.last;
      book.quote.close = BigInt(startTicks) * tick;
      book.quote.high = book.quote.last;
      book.quote.low = book.quote.last;
      this.books.set(spec.symbol, book);
      this.byConId.set(spec.conId, spec.symbol);
    }
  }

  instruments(): InstrumentSpec[] {
    return [...this.books.values()].map((b) => b.spec);
  }

  instrument(symbol: string): InstrumentSpec | undefined {
    return this.books.get(symbol)?.spec;
  }

  symbolForConId(conId: number): string | undefined {
    return this.byConId.get(conId);
  }

  tickSize(symbol: string): Fixed | undefined {
    return this.books.get(symbol)?.tick;
  }

  quote(symbol: string): Quote | undefined {
    const q = this.books.get(symbol)?.quote;
    return q ? { ...q } : undefined;
  }

  quotes(): Quote[] {
    return [...this.books.values()].map((b) => ({ ...b.quote }));
  }

  /** Mid price as a decimal string (marks for P&L). */
  mid(symbol: string): Fixed | undefined {
    const b = this.books.get(symbol);
    return b ? BigInt(b.midTicks) * b.tick : undefined;
  }

  /** Moves every instrument one step; returns the new quotes. */
  step(now: number): Quote[] {
    for (const b of this.books.values()) {
      const midPrice = Number(fmt(BigInt(b.midTicks) * b.tick));
      const sigmaTicks = (midPrice * b.spec.volatilityBps) / 10_000 / Number(fmt(b.tick));
      const move = Math.round(this.gaussian() * sigmaTicks);
      b.midTicks = Math.max(HALF_SPREAD_TICKS + 1, b.midTicks + move);
      const bidSize = LOT * (1 + Math.floor(this.rng.next() * 9));
      const askSize = LOT * (1 + Math.floor(this.rng.next() * 9));
      const tradeAtAsk = this.rng.next() < 0.5;
      const lastSize = LOT * (1 + Math.floor(this.rng.next() * 5));
      const lastTicks = b.midTicks + (tradeAtAsk ? HALF_SPREAD_TICKS : -HALF_SPREAD_TICKS);
      b.quote = this.quoteFor(b, now, bidSize, askSize, BigInt(lastTicks) * b.tick, lastSize, b.quote.volume + lastSize);
    }
    return this.quotes();
  }

  /** Test and admin hook: put an instrument's mid at a given price. */
  setMid(symbol: string, price: string, now: number): Quote {
    const b = this.books.get(symbol);
    if (!b) throw new RangeError(`unknown symbol ${symbol}`);
    b.midTicks = Number(fx(price) / b.tick);
    b.quote = this.quoteFor(b, now, b.quote.bidSize, b.quote.askSize, BigInt(b.midTicks) * b.tick, b.quote.lastSize, b.quote.volume);
    return { ...b.quote };
  }

  state(): MarketState {
    const mids: Record<string, number> = {};
    for (const [s, b] of this.books) mids[s] = b.midTicks;
    return { rng: this.rng.state(), mids };
  }

  private quoteFor(b: Book, now: number, bidSize: number, askSize: number, last: Fixed, lastSize: number, volume: number): Quote {
    const prev = b.quote;
    const high = prev.high === 0n || last > prev.high ? last : prev.high;
    const low = prev.low === 0n || last < prev.low ? last : prev.low;
    return {
      symbol: b.spec.symbol,
      bid: BigInt(b.midTicks - HALF_SPREAD_TICKS) * b.tick,
      ask: BigInt(b.midTicks + HALF_SPREAD_TICKS) * b.tick,
      bidSize,
      askSize,
      last,
      lastSize,
      volume,
      open: prev.open,
      high,
      low,
      close: prev.close,
      at: now,
    };
  }

  private emptyQuote(symbol: string, now: number): Quote {
    return { symbol, bid: 0n, ask: 0n, bidSize: 0, askSize: 0, last: 0n, lastSize: 0, volume: 0, open: 0n, high: 0n, low: 0n, close: 0n, at: now };
  }

  /** Box–Muller; only its rounded multiple is used, so float error never reaches a price. */
  private gaussian(): number {
    const u = Math.max(this.rng.next(), 1e-12);
    const v = this.rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
