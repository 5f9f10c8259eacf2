import { applyFill } from '../../../lib/core/orders/apply-fill.js';
import type { Fill } from '../../../lib/core/fills/fill.js';
import type { ExecId } from '../../../lib/core/shared/ids.js';
import type { Logger } from '../../../lib/ports/logger.js';
import type { FillStore, OrderStore } from '../../../lib/ports/stores.js';
import { commissionOf, executionToFill } from '../mapping/execution.js';
import { optionalDoubleToDecimal } from '../mapping/decimal.js';
import type { RawClientEvents } from '../raw-client.js';
import type { EventSink } from './context.js';
import { describe } from './context.js';
import { persistOrder } from './order-updates.js';

/**
 * Executions → FillReport (once per execId, however often IB re-delivers them: live, after
 * reqExecutions on reconnect, after a restart), the order's filled quantity via `applyFill`, and
 * commission reports → FillStore.setCommission + CommissionReport (once per execId and amount).
 * @example
 * raw.on('execDetails', (e) => queue.run('execDetails', () => executions.onExecution(e)));
 */
export class ExecutionPublisher {
  /** Commission reports that overtook their execution (kept until it arrives). */
  private readonly earlyCommissions = new Map<string, Parameters<RawClientEvents['commissionReport']>[0]>();
  /**
   * Fills this bridge recorded recently, by execId, with the commission it last wrote: the
   * commission report that follows nearly every execution then needs no store read. Bounded
   * (oldest first out); a miss falls back to the store.
   */
  private readonly recentFills = new Map<string, Fill>();
  /** Fills recorded / duplicates skipped (metrics and tests). */
  recorded = 0;
  duplicates = 0;
  /** Told of every fill recorded for the first time (the reconciler's position ledger). */
  onRecorded: ((fill: Fill) => void) | undefined;

  constructor(
    private readonly orders: OrderStore,
    private readonly fills: FillStore,
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly timeZone: string,
    /** Our IB client id. */
    private readonly clientId: number,
    private readonly rememberLast = 5_000,
  ) {}

  private rememberFill(fill: Fill): void {
    this.recentFills.delete(fill.execId);
    this.recentFills.set(fill.execId, fill);
    if (this.recentFills.size > this.rememberLast) {
      const oldest = this.recentFills.keys().next().value;
      if (oldest !== undefined) this.recentFills.delete(oldest);
    }
  }

  async onExecution(e: Parameters<RawClientEvents['execDetails']>[0]): Promise<void> {
    const brokerOrderId = e.execution.orderId === undefined ? undefined : String(e.execution.orderId);
    // IB order ids are per client id: an execution of another client (TWS, clientId 0) may carry
    // one of our numbers. Match by id only for our own client, otherwise by orderRef alone.
    const ours = e.execution.clientId === undefined || e.execution.clientId === this.clientId;
    const byId = ours && brokerOrderId !== undefined ? await this.orders.findByBrokerOrderId(brokerOrderId) : undefined;
    const byRef = byId === undefined && e.execution.orderRef ? await this.orders.get(e.execution.orderRef as never) : undefined;
    const order = byId ?? (byRef?.brokerOrderId === brokerOrderId ? byRef : undefined);
    const log = this.logger.child({ brokerOrderId, clientOrderId: order?.clientOrderId, correlationId: order?.correlationId, execId: e.execution.execId });
    let fill;
    try {
      // An execution we cannot tie to one of our orders is EXTERNAL: its orderRef is not our id.
      fill = executionToFill(e.contract, order === undefined ? { ...e.execution, orderRef: undefined } : e.execution, { clientOrderId: order?.clientOrderId, correlationId: order?.correlationId, timeZone: this.timeZone });
    } catch (error) {
      log.error('execution could not be mapped', { error: describe(error) });
      await this.sink.emit('BrokerNotice', { code: 0, message: `unmappable execution ${String(e.execution.execId)}: ${error instanceof Error ? error.message : String(error)}`, severity: 'error', id: e.execution.orderId });
      return;
    }
    if (!(await this.fills.recordIfNew(fill))) {
      this.duplicates += 1;
      log.debug('execution already recorded', { execId: fill.execId });
      return;
    }
    this.recorded += 1;
    this.rememberFill(fill);
    this.onRecorded?.(fill);
    if (order !== undefined) {
      try {
        await persistOrder(this.orders, order, (cur) => applyFill(cur, fill));
      } catch (error) {
        // The fill is recorded and published either way; the order's books are reconciled later.
        log.error('fill could not be applied to the order', { error: describe(error) });
      }
    } else {
      log.warn('execution for an order we do not know (external)', { brokerOrderId });
    }
    log.info('fill recorded', { quantity: fill.quantity, price: fill.price, side: fill.side });
    await this.sink.emit('FillReport', { fill }, { correlationId: order?.correlationId, tsEvent: fill.executedAt });
    const early = this.earlyCommissions.get(fill.execId);
    if (early !== undefined) {
      this.earlyCommissions.delete(fill.execId);
      await this.onCommission(early);
    }
  }

  async onCommission(e: Parameters<RawClientEvents['commissionReport']>[0]): Promise<void> {
    let c;
    try {
      c = commissionOf(e.report);
    } catch (error) {
      this.logger.error('commission report could not be mapped', { error: describe(error) });
      return;
    }
    const fill = this.recentFills.get(c.execId) ?? (await this.fills.get(c.execId as ExecId));
    if (fill === undefined) {
      this.earlyCommissions.set(c.execId, e);
      return;
    }
    if (fill.commission === c.commission) return;
    await this.fills.setCommission(c.execId, c.commission);
    this.rememberFill({ ...fill, commission: c.commission });
    const realizedPnl = optionalDoubleToDecimal(e.report.realizedPNL, 'realizedPNL');
    await this.sink.emit('CommissionReport', { execId: c.execId, commission: c.commission, currency: c.currency ?? fill.currency, ...(realizedPnl === undefined ? {} : { realizedPnl }) }, { correlationId: fill.correlationId });
  }
}
