import type { Contract, Order as IbOrder } from '@stoqey/ib';
import { OrderAction, OrderType as IbOrderType, TimeInForce } from '@stoqey/ib';
import type { Instrument } from '../../../lib/core/instruments/instrument.js';
import type { Order, OrderSide, OrderType } from '../../../lib/core/orders/order.js';
import { instrumentToContract } from './contract.js';
import { decimalToDouble } from './decimal.js';
import { MappingError } from './errors.js';

const SIDE_TO_IB: Readonly<Record<OrderSide, OrderAction>> = { BUY: OrderAction.BUY, SELL: OrderAction.SELL };
const TYPE_TO_IB: Readonly<Record<OrderType, IbOrderType>> = { MKT: IbOrderType.MKT, LMT: IbOrderType.LMT };
const TIF_TO_IB: Readonly<Record<Order['tif'], TimeInForce>> = { DAY: TimeInForce.DAY, GTC: TimeInForce.GTC, IOC: TimeInForce.IOC };

/** IB execution sides (`BOT`/`SLD`) and order actions → ours. */
const IB_SIDE: Readonly<Record<string, OrderSide>> = { BOT: 'BUY', SLD: 'SELL', BUY: 'BUY', SELL: 'SELL', SSHORT: 'SELL' };

export function ibSideToSide(side: string | undefined): OrderSide {
  const mapped = side === undefined ? undefined : IB_SIDE[side.toUpperCase()];
  if (mapped === undefined) throw new MappingError('MAPPING.BAD_SIDE', `unknown IB side ${JSON.stringify(side)}`, { side });
  return mapped;
}

/**
 * The IB contract and order for one of our orders. `orderRef` carries the clientOrderId so the
 * order and its executions can be matched after a crash or from another client id;
 * `transmit: true` because an empty transmit field is ambiguous (tws-protocol.md §4.4).
 * @example
 * const { contract, order } = toIbOrder(order, instrument, 'DU1234567');
 */
export function toIbOrder(order: Order, instrument: Instrument, account: string | undefined): { contract: Contract; order: IbOrder } {
  if (order.symbol !== instrument.symbol) throw new MappingError('MAPPING.INSTRUMENT_MISMATCH', `order ${order.clientOrderId} is for ${order.symbol}, instrument is ${instrument.symbol}`);
  const ib: IbOrder = {
    action: SIDE_TO_IB[order.side],
    totalQuantity: order.quantity,
    orderType: TYPE_TO_IB[order.type],
    tif: TIF_TO_IB[order.tif],
    orderRef: order.clientOrderId,
    transmit: true,
  };
  if (order.type === 'LMT') {
    if (order.limitPrice === undefined) throw new MappingError('MAPPING.MISSING_LIMIT_PRICE', `limit order ${order.clientOrderId} has no limit price`);
    ib.lmtPrice = decimalToDouble(order.limitPrice);
  }
  const acct = order.account ?? account;
  if (acct !== undefined) ib.account = acct;
  return { contract: instrumentToContract(instrument), order: ib };
}
