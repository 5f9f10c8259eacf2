import type { Contract, Order as IbOrder, OrderState } from '@stoqey/ib';
import type { BrokerReconciled, ReconcileTrigger, ReconciliationDifference } from '../../lib/core/broker/reconciliation.js';
import { PositionLedger, comparePositions } from '../../lib/core/broker/reconciliation.js';
import type { Fill } from '../../lib/core/fills/fill.js';
import { mapIbOrderStatus } from '../../lib/core/orders/broker-status.js';
import { canTransition, isTerminal, transition } from '../../lib/core/orders/lifecycle.js';
import type { Order, OrderStatus } from '../../lib/core/orders/order.js';
import { OrderSchema } from '../../lib/core/orders/order.js';
import type { Clock } from '../../lib/core/shared/clock.js';
import type { Logger } from '../../lib/ports/logger.js';
import type { OrderStore } from '../../lib/ports/stores.js';
import { optionalDoubleToDecimal } from './mapping/decimal.js';
import type { EventSink } from './publishers/context.js';
import { describe } from './publishers/context.js';
import { persistOrder } from './publishers/order-updates.js';

/** An operator's `Reconcile` command, carried into the run it triggers. */
export interface ReconcileRequest {
  readonly correlationId: string;
  readonly issuedBy: string;
  readonly acceptBrokerPositions?: boolean | undefined;
}

/** One working order the broker reported during a run (reqAllOpenOrders: every client's). */
interface OpenOrderSeen {
  readonly clientId: number;
  readonly orderId: number;
  readonly permId: number;
  readonly contract: Contract;
  readonly order: IbOrder;
  status: string;
  filled: number;
}

interface Run {
  readonly sessionId: number;
  readonly trigger: ReconcileTrigger;
  readonly request: ReconcileRequest | undefined;
  /** Our broker order ids at or above this were allocated after the request: not judged in this run. */
  readonly idLimit: number;
  /** Ids allocated but not yet handed to the socket when the run began: not judged either. */
  readonly inFlight: ReadonlySet<number>;
  readonly open: Map<number, OpenOrderSeen>;
  fillsRecovered: number;
  ordersDone: boolean;
  adopted: string[];
  resolved: BrokerReconciled['resolvedOrders'];
  orderDifferences: ReconciliationDifference[];
}

/** The clientOrderId an adopted broker order gets: deterministic, so repeated runs adopt it once. */
export const externalOrderId = (permId: number): string => `EXT-${permId}`;

/**
 * Reconciliation with the broker (Nautilus: reconcile from venue reports, adopt unknown orders as
 * EXTERNAL, fail closed when positions cannot be aligned). The service feeds it the broker's
 * reports of one run — open orders of every client, the day's executions (recorded once per
 * execId by the ExecutionPublisher, which tells us each new one), the position snapshot — and at
 * the END barrier calls `finish`, which resolves orders to the broker's truth, compares positions
 * with the ledger and returns the `BrokerReconciled` detail. What "aligned" means is documented on
 * `BrokerReconciledSchema`.
 *
 * It never sends an order: an order it cannot find at the broker is resolved, not resent.
 * @example
 * rec.begin(sessionId, 'restored', undefined, nextOrderId, inFlight); raw.reqAllOpenOrders(); raw.reqExecutions(…);
 * // … openOrder → rec.noteOpenOrder(e); fill recorded → rec.onFillRecorded(fill); END markers →
 * const result = await rec.finish(portfolio.positionsSnapshot());
 */
export class BrokerReconciler {
  private readonly ledger = new PositionLedger();
  private baselined = false;
  /** permIds of other clients' orders: their orderStatus must not be read as one of ours (ids are per client). */
  private readonly foreignPermIds = new Set<number>();
  private run: Run | undefined;
  private lastResult: BrokerReconciled | undefined;
  private lastCorrelationId: string | undefined;

  constructor(
    private readonly deps: {
      readonly orders: OrderStore;
      readonly sink: EventSink;
      readonly clock: Clock;
      readonly logger: Logger;
      /** Our IB client id. */
      readonly clientId: number;
    },
  ) {}

  get active(): boolean {
    return this.run !== undefined;
  }

  /** The last published result and the correlation id it was published under. */
  get last(): { result: BrokerReconciled; correlationId: string | undefined } | undefined {
    return this.lastResult === undefined ? undefined : { result: this.lastResult, correlationId: this.lastCorrelationId };
  }

  begin(sessionId: number, trigger: ReconcileTrigger, request: ReconcileRequest | undefined, idLimit: number, inFlight: ReadonlySet<number>): void {
    this.run = { sessionId, trigger, request, idLimit, inFlight: new Set(inFlight), open: new Map(), fillsRecovered: 0, ordersDone: false, adopted: [], resolved: [], orderDifferences: [] };
  }

  /** Abandons the run (the session ended mid-way; the next login starts a fresh one). */
  abandon(): void {
    this.run = undefined;
  }

  /** Call synchronously from the raw `openOrder` listener, before its orderStatus is routed. */
  noteOpenOrder(e: { orderId: number; contract: Contract; order: IbOrder; orderState: OrderState }): void {
    const clientId = e.order.clientId ?? this.deps.clientId;
    const permId = e.order.permId ?? 0;
    if (clientId !== this.deps.clientId && permId > 0) this.foreignPermIds.add(permId);
    if (this.run === undefined) return;
    const status = String(e.orderState.status ?? 'Submitted');
    this.run.open.set(permId > 0 ? permId : -e.orderId, { clientId, orderId: e.orderId, permId, contract: e.contract, order: e.order, status, filled: 0 });
  }

  isForeign(permId: number | undefined): boolean {
    return permId !== undefined && this.foreignPermIds.has(permId);
  }

  /** Another client's orderStatus (during reqAllOpenOrders): refines what the run saw. */
  noteForeignStatus(e: { permId: number | undefined; status: string; filled: number }): void {
    if (this.run === undefined || e.permId === undefined) return;
    const seen = this.run.open.get(e.permId);
    if (seen === undefined) return;
    seen.status = e.status;
    seen.filled = Math.max(0, Math.trunc(e.filled));
  }

  /** Every fill the bridge records for the first time (live or replayed) moves the ledger. */
  onFillRecorded(fill: Fill): void {
    this.ledger.apply(fill);
    if (this.run !== undefined) this.run.fillsRecovered += 1;
  }

  /**
   * At the END barrier (open orders, executions and positions all in): resolves orders once per
   * run, compares positions, and returns the result — or `undefined` if positions differ and
   * `settle` is true (the caller re-checks once after a short wait, as a live fill and its position
   * update may straddle the barrier).
   */
  async finish(brokerPositions: ReadonlyArray<{ account: string; symbol: string; quantity: number }>, settle: boolean): Promise<BrokerReconciled | undefined> {
    const run = this.run;
    if (run === undefined) return undefined;
    if (!run.ordersDone) {
      await this.reconcileOrders(run);
      run.ordersDone = true;
    }
    let baseline: BrokerReconciled['positionsBaseline'] = 'ledger';
    if (!this.baselined) baseline = 'first-session';
    else if (run.request?.acceptBrokerPositions === true) baseline = 'accepted';
    let positionDifferences: ReconciliationDifference[] = [];
    if (baseline === 'ledger') {
      positionDifferences = comparePositions(this.ledger, brokerPositions);
      if (positionDifferences.length > 0 && settle) return undefined;
    }
    if (baseline !== 'ledger' || positionDifferences.length === 0) {
      this.ledger.rebase(brokerPositions);
      this.baselined = true;
    }
    const differences = [...run.orderDifferences, ...positionDifferences];
    const result: BrokerReconciled = {
      sessionId: run.sessionId,
      trigger: run.trigger,
      ...(run.request === undefined ? {} : { requestedBy: run.request.issuedBy }),
      aligned: differences.length === 0,
      differences,
      adoptedExternal: run.adopted,
      resolvedOrders: run.resolved,
      fillsRecovered: run.fillsRecovered,
      openOrders: run.open.size,
      brokerPositions: brokerPositions.filter((p) => p.quantity !== 0).map((p) => ({ account: p.account, symbol: p.symbol, quantity: p.quantity })),
      positionsBaseline: baseline,
      reconciledAt: this.deps.clock.now().toISOString(),
    };
    this.run = undefined;
    this.lastResult = result;
    this.lastCorrelationId = run.request?.correlationId;
    const log = this.deps.logger.child({ correlationId: run.request?.correlationId });
    if (result.aligned) log.info('broker reconciled: aligned', { sessionId: result.sessionId, trigger: result.trigger, adopted: result.adoptedExternal.length, resolved: result.resolvedOrders.length, fillsRecovered: result.fillsRecovered });
    else log.error('broker reconciled: NOT aligned', { sessionId: result.sessionId, trigger: result.trigger, differences: result.differences });
    await this.deps.sink.emit('BrokerReconciled', result, { correlationId: run.request?.correlationId });
    return result;
  }

  private async reconcileOrders(run: Run): Promise<void> {
    const { orders, clock } = this.deps;
    const ownOpen = new Map<number, OpenOrderSeen>();
    for (const seen of run.open.values()) if (seen.clientId === this.deps.clientId) ownOpen.set(seen.orderId, seen);
    const openPermIds = new Set([...run.open.values()].map((s) => s.permId));

    // 1. Our working orders: still working at the broker, or resolved to what the broker says.
    for (const o of await orders.listWorking()) {
      try {
        if (o.external) {
          const permId = Number(o.clientOrderId.slice(4));
          if (!openPermIds.has(permId)) await this.resolve(run, o, 'CANCELLED', 'RECONCILE.EXTERNAL_GONE', 'external order no longer open at the broker (filled or cancelled outside TradeOps; its executions are in the fills as external)');
          continue;
        }
        if (o.brokerOrderId === undefined) continue; // approved, never sent: the router owns it
        const id = Number(o.brokerOrderId);
        if (id >= run.idLimit || run.inFlight.has(id) || ownOpen.has(id)) continue;
        // Not open at the broker. The day's executions were replayed before this barrier, so a
        // filled order is already FILLED; what is left never reached the broker or ended there.
        const fresh = (await orders.get(o.clientOrderId)) ?? o;
        if (isTerminal(fresh.status) || fresh.status === 'CANCELLED' || fresh.filledQuantity >= fresh.quantity) continue;
        await this.resolve(run, fresh, 'CANCELLED', 'RECONCILE.NOT_OPEN_AT_BROKER', fresh.filledQuantity > 0 ? `not open at the broker after ${fresh.filledQuantity} of ${fresh.quantity} filled: ended there while we were away` : 'not open at the broker and no execution: never received, or cancelled while we were away');
      } catch (error) {
        run.orderDifferences.push({ kind: 'order', clientOrderId: o.clientOrderId, symbol: o.symbol, ours: o.status, broker: 'not open', message: `could not resolve order ${o.clientOrderId}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }

    // 2. Broker orders that are not ours: adopt as EXTERNAL (deterministic id, so once).
    for (const seen of run.open.values()) {
      const own = seen.clientId === this.deps.clientId ? await orders.findByBrokerOrderId(String(seen.orderId)) : undefined;
      if (own !== undefined && !own.external) continue;
      const clientOrderId = externalOrderId(seen.permId);
      try {
        const status = mapIbOrderStatus(seen.status, { filled: seen.filled });
        const existing = await orders.get(clientOrderId as never);
        if (existing !== undefined) {
          if (existing.status !== status && canTransition(existing.status, status)) await persistOrder(orders, existing, (cur) => (canTransition(cur.status, status) ? transition(cur, status, clock.now(), { reasonCode: `IB.${seen.status}` }) : undefined));
          continue;
        }
        await orders.create(this.externalOrder(seen, clientOrderId, status));
        run.adopted.push(clientOrderId);
        this.deps.logger.warn('unknown broker order adopted as EXTERNAL', { clientOrderId, clientId: seen.clientId, orderId: seen.orderId, permId: seen.permId, symbol: seen.contract.symbol, status });
      } catch (error) {
        this.deps.logger.error('broker order could not be adopted', { clientOrderId, error: describe(error) });
        run.orderDifferences.push({ kind: 'order', clientOrderId, symbol: String(seen.contract.symbol ?? '?'), ours: 'unknown', broker: seen.status, message: `broker order ${seen.permId} (client ${seen.clientId}, id ${seen.orderId}) could not be adopted: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }

  private async resolve(run: Run, order: Order, to: OrderStatus, reasonCode: string, reason: string): Promise<void> {
    if (!canTransition(order.status, to)) {
      run.orderDifferences.push({ kind: 'order', clientOrderId: order.clientOrderId, symbol: order.symbol, ours: order.status, broker: 'not open', message: `order ${order.clientOrderId} is ${order.status} here but not open at the broker, and ${order.status} → ${to} is not a legal move` });
      return;
    }
    await persistOrder(this.deps.orders, order, (cur) => (canTransition(cur.status, to) && !isTerminal(cur.status) && cur.status !== to ? transition(cur, to, this.deps.clock.now(), { reasonCode, reason }) : undefined));
    run.resolved.push({ clientOrderId: order.clientOrderId, from: order.status, to, reason });
    this.deps.logger.warn('order resolved by reconciliation', { clientOrderId: order.clientOrderId, brokerOrderId: order.brokerOrderId, from: order.status, to, reasonCode });
  }

  private externalOrder(seen: OpenOrderSeen, clientOrderId: string, status: OrderStatus): Order {
    const now = this.deps.clock.now().toISOString();
    const limit = seen.order.lmtPrice !== undefined && seen.order.lmtPrice > 0 ? optionalDoubleToDecimal(seen.order.lmtPrice, 'lmtPrice') : undefined;
    return OrderSchema.parse({
      clientOrderId,
      // Ids are per client: only an order of our own client id can carry one our lookups understand.
      ...(seen.clientId === this.deps.clientId ? { brokerOrderId: String(seen.orderId) } : {}),
      ...(seen.order.account ? { account: seen.order.account } : {}),
      symbol: String(seen.contract.symbol ?? seen.contract.localSymbol ?? '?'),
      side: String(seen.order.action).toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
      quantity: Math.max(1, Math.trunc(Number(seen.order.totalQuantity ?? 1))),
      type: limit === undefined ? 'MKT' : 'LMT',
      ...(limit === undefined ? {} : { limitPrice: limit }),
      tif: seen.order.tif === 'GTC' || seen.order.tif === 'IOC' ? seen.order.tif : 'DAY',
      status,
      filledQuantity: Math.min(seen.filled, Math.max(1, Math.trunc(Number(seen.order.totalQuantity ?? 1)))),
      external: true,
      reasonCode: 'RECONCILE.ADOPTED_EXTERNAL',
      reason: `adopted at reconciliation: placed outside TradeOps (client ${seen.clientId}, order ${seen.orderId}, perm ${seen.permId}${seen.order.orderRef ? `, ref ${seen.order.orderRef}` : ''})`,
      correlationId: `ext-${seen.permId}`,
      createdAt: now,
      updatedAt: now,
      version: 0,
    });
  }
}
