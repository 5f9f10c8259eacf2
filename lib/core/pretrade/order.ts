import type { DecimalString } from '../money/decimal-string.js';
import { ValidationError } from '../shared/errors.js';
import { sideSign } from './exposure.js';
import { toMicros } from './units.js';

/**
 * The order under check. A proposed `Order` fits (its `origin.strategyId` is the strategy);
 * `strategyId`, `locate` and `marginalVar` may be added by the caller.
 * @example { clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 100, type: 'LMT', limitPrice: '187.20', origin: { strategyId: 'momo' }, marginalVar: '350' }
 */
export interface PretradeOrderInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly type: 'MKT' | 'LMT';
  readonly limitPrice?: DecimalString;
  readonly strategyId?: string;
  readonly origin?: { readonly strategyId: string };
  /** A borrow has been located for a short sale. */
  readonly locate?: boolean;
  /** The order's marginal VaR estimate (computed by the risk side); absent counts as 0. Negative for a hedge. */
  readonly marginalVar?: DecimalString;
}

/** The order as numbers, prepared once; read by `checkOrder`. */
export interface PreparedOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly sideName: 'BUY' | 'SELL';
  readonly side: 1 | -1;
  readonly quantity: number;
  readonly isMarket: boolean;
  /** Limit price in micros; NaN for a market order. */
  readonly limitPx: number;
  /** '' when the order names no strategy. */
  readonly strategyId: string;
  readonly locate: boolean;
  readonly marginalVar: number;
}

/**
 * Converts an order once into numbers. A limit order must carry its price; a quantity must be a
 * whole number ≥ 1 (what `OrderSchema` already demands).
 * @throws ValidationError `PRETRADE.INVALID_ORDER` / `PRETRADE.INVALID_DECIMAL` / `PRETRADE.OUT_OF_RANGE`
 * @example prepareOrder({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'SELL', quantity: 50, type: 'MKT' })
 */
export function prepareOrder(order: PretradeOrderInput): PreparedOrder {
  if (!Number.isSafeInteger(order.quantity) || order.quantity < 1) {
    throw new ValidationError('PRETRADE.INVALID_ORDER', `quantity must be a whole number ≥ 1, got ${order.quantity}`, [{ path: 'quantity', message: 'a whole number ≥ 1' }]);
  }
  const isMarket = order.type === 'MKT';
  if (!isMarket && order.limitPrice === undefined) throw new ValidationError('PRETRADE.INVALID_ORDER', 'a limit order needs limitPrice', [{ path: 'limitPrice', message: 'required for LMT' }]);
  const limitPx = isMarket || order.limitPrice === undefined ? NaN : toMicros(order.limitPrice, 'limitPrice');
  if (!isMarket && limitPx <= 0) throw new ValidationError('PRETRADE.INVALID_ORDER', `limitPrice must be > 0, got ${order.limitPrice}`, [{ path: 'limitPrice', message: 'greater than zero' }]);
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    sideName: order.side,
    side: sideSign(order.side),
    quantity: order.quantity,
    isMarket,
    limitPx,
    strategyId: order.strategyId ?? order.origin?.strategyId ?? '',
    locate: order.locate === true,
    marginalVar: order.marginalVar === undefined ? 0 : toMicros(order.marginalVar, 'marginalVar'),
  };
}
