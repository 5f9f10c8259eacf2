import type { DecimalString } from '../money/decimal-string.js';
import { add, divInt, parseDecimal, toDecimalString } from '../money/fixed.js';
import type { Quote } from './quote.js';

/**
 * The price a position is marked at: the last trade, else the mid of bid and ask, else none —
 * an unmarked position's unrealised P&L is unknown, not zero.
 * @example markOf({ symbol: 'MSFT', bid: '415.00', ask: '415.20', at }) // '415.1'
 */
export function markOf(quote: Quote | undefined): DecimalString | undefined {
  if (quote === undefined) return undefined;
  if (quote.last !== undefined) return quote.last;
  if (quote.bid !== undefined && quote.ask !== undefined) return toDecimalString(divInt(add(parseDecimal(quote.bid), parseDecimal(quote.ask)), 2));
  return undefined;
}
