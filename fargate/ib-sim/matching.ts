/**
 * Pure order matching against a synthetic book built from the top-of-book quote.
 *
 * The book has `maxLevels` price levels per side, each one tick further from the touch and each
 * as deep as the touch. A marketable order walks the levels, so its average price slips more the
 * larger it is; what the levels cannot absorb stays working and fills on later steps (partial
 * fills). A resting limit order that the market reaches fills at its limit (it adds liquidity).
 */
import type { Fixed } from './fixed.js';

export type Side = 'BUY' | 'SELL';

export interface MatchQuote {
  bid: Fixed;
  ask: Fixed;
  bidSize: number;
  askSize: number;
}

export interface MatchRequest {
  side: Side;
  orderType: 'MKT' | 'LMT';
  remaining: number;
  limit?: Fixed;
  /** True once the order has rested at least one market step (fills at its limit, adds liquidity). */
  resting: boolean;
  quote: MatchQuote;
  tick: Fixed;
  maxLevels?: number;
}

export interface FillSlice {
  qty: number;
  price: Fixed;
  /** IB lastLiquidity: 1 added, 2 removed. */
  liquidity: 1 | 2;
}

export const DEFAULT_MAX_LEVELS = 5;

/** Returns the slices that fill now (possibly none); never more than `remaining` in total. */
export function match(req: MatchRequest): FillSlice[] {
  if (req.remaining <= 0) return [];
  const buy = req.side === 'BUY';
  const touch = buy ? req.quote.ask : req.quote.bid;
  const depth = buy ? req.quote.askSize : req.quote.bidSize;
  if (touch <= 0n || depth <= 0) return [];
  if (req.orderType === 'LMT') {
    if (req.limit === undefined) return [];
    const crosses = buy ? touch <= req.limit : touch >= req.limit;
    if (!crosses) return [];
  }
  const levels = req.maxLevels ?? DEFAULT_MAX_LEVELS;

  if (req.orderType === 'LMT' && req.resting && req.limit !== undefined) {
    // Every level at or better than the limit is available to the resting order, at its price.
    let available = 0;
    for (let k = 0; k < levels; k++) {
      const px = buy ? touch + BigInt(k) * req.tick : touch - BigInt(k) * req.tick;
      if (buy ? px > req.limit : px < req.limit) break;
      available += depth;
    }
    const qty = Math.min(req.remaining, available);
    return qty > 0 ? [{ qty, price: req.limit, liquidity: 1 }] : [];
  }

  const fills: FillSlice[] = [];
  let left = req.remaining;
  for (let k = 0; k < levels && left > 0; k++) {
    const px = buy ? touch + BigInt(k) * req.tick : touch - BigInt(k) * req.tick;
    if (px <= 0n) break;
    if (req.orderType === 'LMT' && req.limit !== undefined && (buy ? px > req.limit : px < req.limit)) break;
    const qty = Math.min(left, depth);
    fills.push({ qty, price: px, liquidity: 2 });
    left -= qty;
  }
  return fills;
}

/** IB-style fixed commission: per share, with a per-order minimum and a 1% of value cap. */
export interface CommissionSchedule {
  perShare: Fixed;
  minimum: Fixed;
  /** Cap as a fraction of trade value, in basis points (IB fixed: 1% = 100 bps). */
  maxBpsOfValue: number;
}

/**
 * Commission due for this execution, given what the order has already been charged.
 * Charging the order-level total minus the amount charged so far keeps the minimum per order,
 * not per execution, as IB does.
 */
export function commissionFor(s: CommissionSchedule, cumQty: number, cumValue: Fixed, alreadyCharged: Fixed): Fixed {
  let due = s.perShare * BigInt(cumQty);
  if (due < s.minimum) due = s.minimum;
  const cap = (cumValue * BigInt(s.maxBpsOfValue)) / 10_000n;
  if (cap > 0n && due > cap) due = cap < s.minimum ? s.minimum : cap;
  const now = due - alreadyCharged;
  return now > 0n ? now : 0n;
}
