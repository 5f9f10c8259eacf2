/**
 * Cash, positions and realised P&L with exact integer arithmetic.
 *
 * A position keeps its signed cost basis (Σ signed qty × price of the open lots) rather than an
 * average, so closing part of it removes a proportional share of the basis and the identity
 *   cash + Σ qty × mark = startingCash − commissions + realised + unrealised
 * holds exactly, whatever the sequence of fills. Average cost excludes commissions.
 */
import { ZERO, divQty, divRound, mulQty, type Fixed } from './fixed.js';
import type { Side } from './matching.js';

export interface PositionState {
  /** Signed share count. */
  qty: number;
  /** Signed Σ qty × price of the open lots (negative for shorts). */
  costBasis: Fixed;
  realized: Fixed;
}

export interface FillInput {
  symbol: string;
  side: Side;
  qty: number;
  price: Fixed;
  commission: Fixed;
}

export interface FillEffect {
  /** P&L realised by the closing part of this fill; undefined when it only opened. */
  realized: Fixed | undefined;
  position: PositionState;
}

export interface AccountState {
  cash: string;
  commissions: string;
  positions: Record<string, { qty: number; costBasis: string; realized: string }>;
}

export class Account {
  cash: Fixed;
  commissions: Fixed = ZERO;
  private readonly positions = new Map<string, PositionState>();

  constructor(startingCash: Fixed) {
    this.cash = startingCash;
  }

  static restore(s: AccountState): Account {
    const a = new Account(BigInt(s.cash));
    a.commissions = BigInt(s.commissions);
    for (const [sym, p] of Object.entries(s.positions)) {
      a.positions.set(sym, { qty: p.qty, costBasis: BigInt(p.costBasis), realized: BigInt(p.realized) });
    }
    return a;
  }

  toState(): AccountState {
    const positions: AccountState['positions'] = {};
    for (const [sym, p] of this.positions) positions[sym] = { qty: p.qty, costBasis: p.costBasis.toString(), realized: p.realized.toString() };
    return { cash: this.cash.toString(), commissions: this.commissions.toString(), positions };
  }

  applyFill(f: FillInput): FillEffect {
    if (!Number.isSafeInteger(f.qty) || f.qty <= 0) throw new RangeError(`fill quantity must be a positive integer, got ${f.qty}`);
    const signed = f.side === 'BUY' ? f.qty : -f.qty;
    this.cash -= mulQty(f.price, signed) + f.commission;
    this.commissions += f.commission;

    const p = this.positions.get(f.symbol) ?? { qty: 0, costBasis: ZERO, realized: ZERO };
    let realized: Fixed | undefined;
    let opening = signed;
    if (p.qty !== 0 && Math.sign(p.qty) !== Math.sign(signed)) {
      const closeQty = Math.min(Math.abs(signed), Math.abs(p.qty));
      const removed = divRound(p.costBasis * BigInt(closeQty), BigInt(Math.abs(p.qty)));
      realized = mulQty(f.price, Math.sign(p.qty) * closeQty) - removed;
      p.costBasis -= removed;
      p.qty += Math.sign(signed) * closeQty;
      p.realized += realized;
      opening = signed - Math.sign(signed) * closeQty; // what is left opens the other way
      if (p.qty === 0) p.costBasis = ZERO; // the proportional share is the whole basis; guard anyway
    }
    if (opening !== 0) {
      p.qty += opening;
      p.costBasis += mulQty(f.price, opening);
    }
    this.positions.set(f.symbol, p);
    return { realized, position: { ...p } };
  }

  position(symbol: string): PositionState {
    const p = this.positions.get(symbol);
    return p ? { ...p } : { qty: 0, costBasis: ZERO, realized: ZERO };
  }

  /** Symbols ever traded (including flat ones), so a close can be reported as quantity 0. */
  symbols(): string[] {
    return [...this.positions.keys()];
  }

  /** Average cost per share (basis / qty), zero when flat. */
  avgCost(symbol: string): Fixed {
    const p = this.positions.get(symbol);
    if (!p || p.qty === 0) return ZERO;
    return divQty(p.costBasis, p.qty);
  }

  realized(): Fixed {
    let r = ZERO;
    for (const p of this.positions.values()) r += p.realized;
    return r;
  }

  /** Σ |qty| × mark. */
  grossPositionValue(mark: (symbol: string) => Fixed): Fixed {
    let v = ZERO;
    for (const [s, p] of this.positions) if (p.qty !== 0) v += mulQty(mark(s), Math.abs(p.qty));
    return v;
  }

  /** Σ qty × mark (signed). */
  stockMarketValue(mark: (symbol: string) => Fixed): Fixed {
    let v = ZERO;
    for (const [s, p] of this.positions) if (p.qty !== 0) v += mulQty(mark(s), p.qty);
    return v;
  }

  unrealized(mark: (symbol: string) => Fixed): Fixed {
    let v = ZERO;
    for (const [s, p] of this.positions) if (p.qty !== 0) v += mulQty(mark(s), p.qty) - p.costBasis;
    return v;
  }

  netLiquidation(mark: (symbol: string) => Fixed): Fixed {
    return this.cash + this.stockMarketValue(mark);
  }
}
