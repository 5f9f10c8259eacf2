import { mapIbOrderStatus } from '../../../lib/core/orders/broker-status.js';
import { canTransition, transition } from '../../../lib/core/orders/lifecycle.js';
import type { Order, OrderStatus } from '../../../lib/core/orders/order.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { Logger } from '../../../lib/ports/logger.js';
import type { OrderStore } from '../../../lib/ports/stores.js';
import { CANCEL_REJECT_CODES, classifyCode } from '../ib-codes.js';
import { optionalDoubleToDecimal } from '../mapping/decimal.js';
import type { RawClientEvents } from '../raw-client.js';
import type { EventSink } from './context.js';
import { describe } from './context.js';

/**
 * Writes `next` over the order read as `read` (conditional on its version). On a lost race the
 * order is re-read and `recompute` decides again, up to 3 times; the broker's report is the truth,
 * so we retry rather than drop it.
 * @internal
 */
export async function persistOrder(orders: OrderStore, read: Order, recompute: (current: Order) => Order | undefined): Promise<Order | undefined> {
  let current = read;
  for (let attempt = 0; attempt < 3; attempt++) {
    const next = recompute(current);
    if (next === undefined || next === current) return current;
    try {
      return await orders.update({ ...next, version: current.version });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const fresh = await orders.get(current.clientOrderId);
      if (fresh === undefined) throw error;
      current = fresh;
    }
  }
  throw new ConcurrencyError('ORDER.VERSION_CONFLICT', `order ${read.clientOrderId}: gave up after 3 conflicting writes`);
}

/**
 * Broker order status → order store transition + OrderStatusReport; order errors → OrderRejected.
 * Status reports move the status only; quantities move with fills (`applyFill`), so a report and
 * a fill arriving in either order never double-count.
 * @example
 * raw.on('orderStatus', (e) => queue.run('orderStatus', () => updates.onOrderStatus(e)));
 */
export class OrderUpdatePublisher {
  private readonly lastReport = new Map<string, string>();

  constructor(
    private readonly orders: OrderStore,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async onOrderStatus(e: Parameters<RawClientEvents['orderStatus']>[0]): Promise<void> {
    const brokerOrderId = String(e.orderId);
    const order = await this.orders.findByBrokerOrderId(brokerOrderId);
    const log = this.logger.child({ brokerOrderId, clientOrderId: order?.clientOrderId, correlationId: order?.correlationId });
    let status: OrderStatus;
    try {
      status = mapIbOrderStatus(e.status, { filled: e.filled });
    } catch (error) {
      log.error('unmapped IB order status', { brokerStatus: e.status, error: describe(error) });
      await this.sink.emit('BrokerNotice', { code: 0, message: `unmapped IB order status "${e.status}" for order ${brokerOrderId}`, severity: 'error', id: e.orderId });
      return;
    }
    if (order !== undefined && order.status !== status) {
      if (canTransition(order.status, status)) {
        await persistOrder(this.orders, order, (cur) => (canTransition(cur.status, status) ? transition(cur, status, this.clock.now(), { reasonCode: `IB.${e.status}`, reason: e.whyHeld || undefined }) : undefined));
        log.info('order status changed', { from: order.status, to: status, brokerStatus: e.status });
      } else {
        // A stale or reordered report (e.g. Submitted after Filled): the store keeps the later truth
        // and the report is not published, so no consumer steps the order backwards.
        log.warn('order status report ignored: not a legal transition', { from: order.status, to: status, brokerStatus: e.status });
        return;
      }
    }
    const detail = {
      clientOrderId: order?.clientOrderId,
      brokerOrderId,
      brokerStatus: e.status as never,
      status,
      filled: Math.max(0, Math.trunc(e.filled)),
      remaining: Math.max(0, Math.trunc(e.remaining)),
      avgFillPrice: e.filled > 0 ? optionalDoubleToDecimal(e.avgFillPrice, 'avgFillPrice') : undefined,
      lastFillPrice: e.filled > 0 && e.lastFillPrice !== undefined && e.lastFillPrice > 0 ? optionalDoubleToDecimal(e.lastFillPrice, 'lastFillPrice') : undefined,
    };
    // IB repeats identical status messages (openOrder replays, reconnects); publish each state once.
    const key = JSON.stringify(detail);
    if (this.lastReport.get(brokerOrderId) === key) return;
    this.lastReport.set(brokerOrderId, key);
    await this.sink.emit('OrderStatusReport', detail, { correlationId: order?.correlationId });
  }

  /**
   * An ERR_MSG with an id that is one of our broker order ids. Returns false if the id is not an
   * order of ours (the caller then treats it as a request error).
   */
  async onOrderError(e: Parameters<RawClientEvents['error']>[0]): Promise<boolean> {
    const order = await this.orders.findByBrokerOrderId(String(e.reqId));
    if (order === undefined) return false;
    const log = this.logger.child({ brokerOrderId: String(e.reqId), clientOrderId: order.clientOrderId, correlationId: order.correlationId });
    const kind = classifyCode(e.code);
    if (kind === 'orderReject') {
      if (canTransition(order.status, 'REJECTED')) {
        await persistOrder(this.orders, order, (cur) => (canTransition(cur.status, 'REJECTED') ? transition(cur, 'REJECTED', this.clock.now(), { reasonCode: `IB.${e.code}`, reason: e.message }) : undefined));
      }
      log.warn('order rejected by broker', { code: e.code, message: e.message });
      await this.sink.emit('OrderRejected', { clientOrderId: order.clientOrderId, brokerOrderId: String(e.reqId), code: e.code, message: e.message }, { correlationId: order.correlationId });
      return true;
    }
    if (CANCEL_REJECT_CODES.has(e.code) && order.status === 'PENDING_CANCEL') {
      // The cancel was refused; the order keeps working (10147 "not found" is left for reconciliation).
      if (e.code !== 10147) await persistOrder(this.orders, order, (cur) => (cur.status === 'PENDING_CANCEL' ? transition(cur, 'ACCEPTED', this.clock.now(), { reasonCode: `IB.${e.code}`, reason: e.message }) : undefined));
    }
    log.info('broker message for order', { code: e.code, message: e.message });
    await this.sink.emit('BrokerNotice', { code: e.code, message: e.message, severity: kind === 'orderCancelled' || kind === 'informational' ? 'info' : 'warning', id: e.reqId }, { correlationId: order.correlationId });
    return true;
  }
}
