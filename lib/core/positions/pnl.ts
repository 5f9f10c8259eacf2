import type { Fill } from '../fills/fill.js';
import {
  ZERO, abs, add, divInt, isZero, mulInt, neg, parseDecimal, sub, sum, toDecimalString, type Fixed,
} from '../money/fixed.js';
import type { DecimalString } from '../money/decimal-string.js';
import type { OrderSide } from '../orders/order.js';
import { MixedCurrenciesError, PositionFillMismatchError } from './errors.js';
import type { Position } from './position.js';

/**
 * Position book math, exact. A position is kept as a signed quantity, a signed **cost basis** (what
 * the open shares cost: positive for a long, negative for a short — the proceeds received) and the
 * realised P&L so far. Average cost is derived (`costBasis / quantity`), never the other way round,
 * so no rounding accumulates:
 *
 *   realised + unrealised(mark) = Σ cash flows + quantity × mark     (exactly, for every fill sequence)
 *
 * where a buy's cash flow is −(q × p) − commission and a sell's is +(q × p) − commission.
 *
 * - Increase (or open): cost basis += signed q × p + commission.
 * - Reduce: the closed shares take their pro-rata part of the cost basis (rounded half-even once to
 *   10 places; the whole basis when the position closes, so a flat position has zero basis), and
 *   realised += proceeds of the closed shares − that part − commission.
 * - Flip through zero: the fill is split into a closing part (as a reduce) and an opening part (as
 *   an open); its commission is split pro rata by quantity (closing part rounded, opening part the
 *   remainder, so the two add up exactly).
 *
 * Commission handling follows IB's: on an opening fill it is part of the cost (IB's avgCost includes
 * it), on a closing fill it reduces realised P&L. A commission that arrives later (IB's commission
 * report, seconds after the fill) is charged to realised P&L by `applyLateCommission` — it is a cost
 * already incurred, and re-pricing the open shares after the fact would change a reported average.
 */
export interface PositionLedger {
  /** Signed share count; negative is short. */
  readonly quantity: number;
  /** Signed cost of the open shares, commissions on opening included. Zero when flat. */
  readonly costBasis: Fixed;
  readonly realized: Fixed;
}

export const FLAT: PositionLedger = Object.freeze({ quantity: 0, costBasis: ZERO, realized: ZERO });

/** One execution as the book sees it. */
export interface Trade {
  side: OrderSide;
  /** Positive share count. */
  quantity: number;
  price: Fixed;
  /** Non-negative as IB reports it (a cost); default zero. */
  commission?: Fixed | undefined;
}

export interface TradeEffect {
  ledger: PositionLedger;
  /** Realised P&L of this trade alone. */
  realized: Fixed;
  closedQuantity: number;
  openedQuantity: number;
}

/**
 * Applies one trade to a ledger.
 * @example
 * const { ledger } = applyTrade(FLAT, { side: 'BUY', quantity: 10, price: parseDecimal('100') });
 * applyTrade(ledger, { side: 'SELL', quantity: 15, price: parseDecimal('110') }).realized // 100 (and now short 5)
 */
export function applyTrade(ledger: PositionLedger, trade: Trade): TradeEffect {
  const signed = trade.side === 'BUY' ? trade.quantity : -trade.quantity;
  const commission = trade.commission ?? ZERO;
  const q = ledger.quantity;
  const reducing = q !== 0 && Math.sign(signed) !== Math.sign(q);
  const closed = reducing ? Math.min(Math.abs(signed), Math.abs(q)) : 0;
  const opened = Math.abs(signed) - closed;

  const closingCommission = closed === 0 ? ZERO : opened === 0 ? commission : divInt(mulInt(commission, closed), trade.quantity);
  const openingCommission = sub(commission, closingCommission);

  let costBasis = ledger.costBasis;
  let realized = ZERO;
  if (closed > 0) {
    // the closed shares' part of the basis; the whole of it when the position closes (no residue)
    const removed = closed === Math.abs(q) ? costBasis : divInt(mulInt(costBasis, closed), Math.abs(q));
    const closedSigned = Math.sign(signed) * closed;
    realized = sub(sub(neg(mulInt(trade.price, closedSigned)), removed), closingCommission);
    costBasis = sub(costBasis, removed);
  }
  if (opened > 0) costBasis = add(costBasis, add(mulInt(trade.price, Math.sign(signed) * opened), openingCommission));

  const quantity = q + signed;
  return { ledger: { quantity, costBasis, realized: add(ledger.realized, realized) }, realized, closedQuantity: closed, openedQuantity: opened };
}

/** Average cost per share (commissions on opening included), rounded half-even to 10 places; zero when flat. */
export const averageCost = (ledger: PositionLedger): Fixed => (ledger.quantity === 0 ? ZERO : divInt(ledger.costBasis, ledger.quantity));

/** Market value at `mark`: quantity × mark (negative for a short). */
export const marketValueAt = (quantity: number, mark: Fixed): Fixed => mulInt(mark, quantity);

/** Unrealised P&L at `mark`: market value − cost basis. */
export const unrealizedAt = (ledger: PositionLedger, mark: Fixed): Fixed => sub(marketValueAt(ledger.quantity, mark), ledger.costBasis);

/**
 * The exact ledger behind a stored position. Uses `costBasis` when the record has it; a broker
 * snapshot has only `avgCost`, so the basis is then avgCost × quantity.
 */
export function ledgerOf(position: Position): PositionLedger {
  const costBasis = position.costBasis !== undefined ? parseDecimal(position.costBasis) : mulInt(parseDecimal(position.avgCost), position.quantity);
  return { quantity: position.quantity, costBasis, realized: parseDecimal(position.realizedPnl) };
}

/**
 * Applies a fill to a position (`undefined`: none yet). Returns the new position record with exact
 * `costBasis`, derived `avgCost` and `realizedPnl`; a mark already on the record is re-applied so
 * market value and unrealised P&L stay consistent with the new quantity. Deduplicate fills by
 * `execId` before calling (this is not idempotent).
 * @throws PositionFillMismatchError `POSITION.FILL_MISMATCH` if account, symbol or currency differ
 * @example
 * let aapl = applyFillToPosition(undefined, fill);        // long 10 @ 187.2
 * aapl = markPosition(aapl, '190');                        // unrealizedPnl '28'
 */
export function applyFillToPosition(position: Position | undefined, fill: Fill): Position {
  if (position !== undefined) {
    if (position.account !== fill.account) throw new PositionFillMismatchError('account', position.account, fill.account, fill.execId);
    if (position.symbol !== fill.symbol) throw new PositionFillMismatchError('symbol', position.symbol, fill.symbol, fill.execId);
    if (position.currency !== fill.currency) throw new PositionFillMismatchError('currency', position.currency, fill.currency, fill.execId);
  }
  const before = position === undefined ? FLAT : ledgerOf(position);
  const { ledger } = applyTrade(before, {
    side: fill.side,
    quantity: fill.quantity,
    price: parseDecimal(fill.price),
    commission: fill.commission === undefined ? undefined : parseDecimal(fill.commission),
  });
  const updatedAt = position === undefined || fill.executedAt > position.updatedAt ? fill.executedAt : position.updatedAt;
  const next = withLedger({ account: fill.account, symbol: fill.symbol, currency: fill.currency, updatedAt }, ledger);
  return position?.marketPrice === undefined ? next : markPosition(next, position.marketPrice);
}

/**
 * Charges a commission reported after its fill to realised P&L (see the module comment for why).
 * @example applyLateCommission(position, '1.00')
 */
export function applyLateCommission(position: Position, commission: DecimalString): Position {
  const ledger = ledgerOf(position);
  const next = withLedger(position, { ...ledger, realized: sub(ledger.realized, parseDecimal(commission)) });
  return position.marketPrice === undefined ? next : markPosition(next, position.marketPrice);
}

/**
 * Values a position at a mark price: sets `marketPrice`, `marketValue` and `unrealizedPnl`.
 * @example markPosition(longTenAt100, '101.5') // marketValue '1015', unrealizedPnl '15'
 */
export function markPosition(position: Position, mark: DecimalString): Position {
  const price = parseDecimal(mark);
  const ledger = ledgerOf(position);
  return {
    ...position,
    marketPrice: toDecimalString(price),
    marketValue: toDecimalString(marketValueAt(ledger.quantity, price)),
    unrealizedPnl: toDecimalString(unrealizedAt(ledger, price)),
  };
}

/** Totals over positions (one currency), as decimal strings. */
export interface PnlTotals {
  currency: string | undefined;
  realizedPnl: DecimalString;
  /** Over marked positions only; see `unmarked`. */
  unrealizedPnl: DecimalString;
  totalPnl: DecimalString;
  /** Σ signed market value of marked positions. */
  marketValue: DecimalString;
  /** Σ |market value| of marked positions. */
  grossExposure: DecimalString;
  positions: number;
  /** Symbols with an open quantity but no mark: their unrealised P&L is unknown, not zero. */
  unmarked: string[];
}

/**
 * Sums realised and unrealised P&L and exposure.
 * @throws MixedCurrenciesError `POSITION.MIXED_CURRENCIES` — summing USD and EUR needs FX rates.
 * @example aggregatePnl((await positions.list()).map((p) => markPosition(p, quotes[p.symbol])))
 */
export function aggregatePnl(positions: readonly Position[]): PnlTotals {
  const currencies = [...new Set(positions.map((p) => p.currency))].sort();
  if (currencies.length > 1) throw new MixedCurrenciesError(currencies);
  const realized = sum(positions.map((p) => parseDecimal(p.realizedPnl)));
  const marked = positions.filter((p) => p.marketPrice !== undefined);
  const unrealized = sum(marked.map((p) => unrealizedAt(ledgerOf(p), parseDecimal(p.marketPrice as string))));
  const values = marked.map((p) => marketValueAt(p.quantity, parseDecimal(p.marketPrice as string)));
  return {
    currency: currencies[0],
    realizedPnl: toDecimalString(realized),
    unrealizedPnl: toDecimalString(unrealized),
    totalPnl: toDecimalString(add(realized, unrealized)),
    marketValue: toDecimalString(sum(values)),
    grossExposure: toDecimalString(sum(values.map(abs))),
    positions: positions.length,
    unmarked: positions.filter((p) => p.marketPrice === undefined && p.quantity !== 0).map((p) => p.symbol).sort(),
  };
}

function withLedger(base: Pick<Position, 'account' | 'symbol' | 'currency' | 'updatedAt'>, ledger: PositionLedger): Position {
  return {
    account: base.account,
    symbol: base.symbol,
    currency: base.currency,
    quantity: ledger.quantity,
    avgCost: toDecimalString(averageCost(ledger)),
    costBasis: toDecimalString(ledger.costBasis),
    realizedPnl: toDecimalString(ledger.realized),
    updatedAt: base.updatedAt,
  };
}

/** True when the ledger holds nothing: no shares and no cost left behind. */
export const isFlat = (l: PositionLedger): boolean => l.quantity === 0 && isZero(l.costBasis);
