import type { DecimalString } from '../money/decimal-string.js';
import { ZERO, abs, add, div, isZero, lte, mulInt, parseDecimal, sub, toDecimalString, toMoneyString, type Fixed } from '../money/fixed.js';
import type { Position } from '../positions/position.js';
import { RiskShapeError } from './errors.js';

/**
 * Portfolio risk metrics over positions and marks. Money stays exact (`Fixed`, decimal strings);
 * only ratios (leverage, drawdown fraction) are plain numbers.
 */

/** Marks by symbol (e.g. `markOf(quote)` per symbol); a position's own `marketPrice` is the fallback. */
export type Marks = Readonly<Record<string, DecimalString | undefined>>;

/** One position's signed market value at its mark. */
export interface PositionExposure {
  symbol: string;
  quantity: number;
  mark: DecimalString;
  marketValue: DecimalString;
}

export interface Exposure {
  /** Σ |market value|. */
  gross: DecimalString;
  /** Σ market value (longs minus shorts). */
  net: DecimalString;
  long: DecimalString;
  /** Σ market value of shorts, as a positive amount. */
  short: DecimalString;
  positions: PositionExposure[];
  /** Open positions with no mark: excluded from the sums — their exposure is unknown, not zero. */
  unmarked: string[];
}

/**
 * Gross, net, long and short exposure of the open positions.
 * @example exposure(positions, { AAPL: '187.20' }).gross // '18720.00'
 */
export function exposure(positions: readonly Position[], marks: Marks = {}): Exposure {
  let long: Fixed = ZERO;
  let short: Fixed = ZERO;
  const rows: PositionExposure[] = [];
  const unmarked: string[] = [];
  for (const p of positions) {
    if (p.quantity === 0) continue;
    const mark = marks[p.symbol] ?? p.marketPrice;
    if (mark === undefined) {
      unmarked.push(p.symbol);
      continue;
    }
    const value = mulInt(parseDecimal(mark), p.quantity);
    if (p.quantity > 0) long = add(long, value);
    else short = add(short, abs(value));
    rows.push({ symbol: p.symbol, quantity: p.quantity, mark, marketValue: toMoneyString(value) });
  }
  return { gross: toMoneyString(add(long, short)), net: toMoneyString(sub(long, short)), long: toMoneyString(long), short: toMoneyString(short), positions: rows, unmarked: unmarked.sort() };
}

/**
 * Signed market value per symbol of `symbols` (the returns matrix's order), as the Float64Array the
 * VaR functions take. VaR is a statistical estimate, so floats are fine from here on.
 * `uncovered` lists open, marked positions whose symbol has no return history: the VaR does not see
 * them and the caller must say so; `unmarked` lists open positions without a mark.
 */
export function exposureVector(symbols: readonly string[], positions: readonly Position[], marks: Marks = {}): { exposures: Float64Array; uncovered: string[]; unmarked: string[] } {
  const index = new Map(symbols.map((s, i) => [s, i]));
  const exposures = new Float64Array(symbols.length);
  const uncovered: string[] = [];
  const unmarked: string[] = [];
  for (const p of positions) {
    if (p.quantity === 0) continue;
    const mark = marks[p.symbol] ?? p.marketPrice;
    if (mark === undefined) {
      unmarked.push(p.symbol);
      continue;
    }
    const i = index.get(p.symbol);
    if (i === undefined) uncovered.push(p.symbol);
    else exposures[i]! += Number(parseDecimal(mark) * BigInt(p.quantity)) / 1e10;
  }
  return { exposures, uncovered: uncovered.sort(), unmarked: unmarked.sort() };
}

/**
 * Leverage = gross exposure / net liquidation value. `null` when net liquidation is ≤ 0: with no
 * equity, leverage is unbounded (`classifyLeverage` treats it as critical).
 * @example leverage('150000', '100000') // 1.5
 */
export function leverage(gross: DecimalString, netLiquidation: DecimalString): number | null {
  const nlv = parseDecimal(netLiquidation);
  if (lte(nlv, ZERO)) return null;
  return Number(toDecimalString(div(parseDecimal(gross), nlv)));
}

/** Drawdown of an equity (or cumulative P&L) series. */
export interface Drawdown {
  /** Largest peak-to-trough fall, as a positive amount ('0.00' if the series never fell). */
  max: DecimalString;
  /** max / peak equity at its peak; null when that peak is ≤ 0 (a P&L series starting at 0). */
  maxFraction: number | null;
  /** Indices of the peak and trough of the largest fall (equal when there was none). */
  peakIndex: number;
  troughIndex: number;
  /** Fall from the running peak to the last value. */
  current: DecimalString;
  currentFraction: number | null;
}

/**
 * Max and current drawdown of a series of equity values (oldest first), exactly.
 * @throws RiskShapeError on an empty series
 * @example drawdown(['100', '120', '90', '110']).max // '30.00' (120 → 90)
 */
export function drawdown(series: readonly DecimalString[]): Drawdown {
  if (series.length === 0) throw new RiskShapeError('drawdown of an empty series', { length: 0 });
  const values = series.map((s) => parseDecimal(s));
  let peak = values[0]!;
  let peakAt = 0;
  let best = { fall: ZERO, peak: values[0]!, peakIndex: 0, troughIndex: 0 };
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) {
      peak = v;
      peakAt = i;
    }
    const fall = sub(peak, v);
    if (fall > best.fall) best = { fall, peak, peakIndex: peakAt, troughIndex: i };
  }
  const current = sub(peak, values[values.length - 1]!);
  return {
    max: toMoneyString(best.fall),
    maxFraction: fraction(best.fall, best.peak),
    peakIndex: best.peakIndex,
    troughIndex: best.troughIndex,
    current: toMoneyString(current),
    currentFraction: fraction(current, peak),
  };
}

function fraction(fall: Fixed, peak: Fixed): number | null {
  if (peak <= 0n) return null;
  return isZero(fall) ? 0 : Number(toDecimalString(div(fall, peak)));
}

/** P&L totals at one moment (the fields of `aggregatePnl`'s result). */
export interface PnlSnapshot {
  realizedPnl: DecimalString;
  unrealizedPnl: DecimalString;
}

export interface DailyPnl {
  realized: DecimalString;
  unrealized: DecimalString;
  /** realised change + unrealised change since the start-of-day snapshot. */
  total: DecimalString;
}

/**
 * Today's P&L: the change in realised and in unrealised P&L since the start-of-day snapshot (taken
 * at the open or the previous close). A position closed today moves its P&L from unrealised to
 * realised; the total counts it once.
 * @example dailyPnl({ realizedPnl: '0', unrealizedPnl: '500' }, { realizedPnl: '300', unrealizedPnl: '100' }).total // '-100.00'
 */
export function dailyPnl(startOfDay: PnlSnapshot, now: PnlSnapshot): DailyPnl {
  const realized = sub(parseDecimal(now.realizedPnl), parseDecimal(startOfDay.realizedPnl));
  const unrealized = sub(parseDecimal(now.unrealizedPnl), parseDecimal(startOfDay.unrealizedPnl));
  return { realized: toMoneyString(realized), unrealized: toMoneyString(unrealized), total: toMoneyString(add(realized, unrealized)) };
}

/**
 * Whether today's loss exceeds the daily loss limit (a positive amount). `daily-pnl-report` exits
 * non-zero when `breached`.
 * @example dailyLossCheck('-12000.00', '10000') // { loss: '12000.00', limit: '10000.00', breached: true }
 */
export function dailyLossCheck(dailyTotal: DecimalString, maxDailyLoss: DecimalString): { loss: DecimalString; limit: DecimalString; breached: boolean } {
  const total = parseDecimal(dailyTotal);
  const loss = total < 0n ? abs(total) : ZERO;
  const limit = parseDecimal(maxDailyLoss);
  return { loss: toMoneyString(loss), limit: toMoneyString(limit), breached: loss > limit };
}
