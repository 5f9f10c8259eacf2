import { createEvent, parseEvent, type AnyEvent } from '../../core/events/catalog.js';
import { COMPLETED_OUTCOMES, orderExecutionQuality, type OrderExecutionQuality } from '../../core/execution/quality.js';
import { applyExecutionFact, emptyExecutionRecord, type ExecutionFact, type ExecutionRecord } from '../../core/execution/record.js';
import { roundTo, toDecimalString } from '../../core/money/fixed.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { ClientOrderId, ExecId } from '../../core/shared/ids.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { ExecutionRecordStore } from '../../ports/execution.js';
import type { Logger } from '../../ports/logger.js';
import type { FillStore, OrderStore } from '../../ports/stores.js';
import { ExecutionRecordMemory } from './record-memory.js';

/** The events the execution agent consumes (its bus rule). */
export const EXECUTION_AGENT_EVENTS = ['OrderProposed', 'OrderSubmitted', 'OrderStatusReport', 'FillReport', 'CommissionReport', 'OrderRejected', 'OrderDenied'] as const;

export interface ExecutionAgentDeps {
  records: ExecutionRecordStore;
  /** Read only: the order's arrival price and strategy, and broker-id lookups. The bridge writes orders. */
  orders: Pick<OrderStore, 'get' | 'findByBrokerOrderId'>;
  /** Read only: which order a CommissionReport's execId belongs to. */
  fills: Pick<FillStore, 'get'>;
  /** Publishes ExecutionQualityUpdated when an order's final outcome is known; omit to publish nothing. */
  publisher?: EventPublisher | undefined;
  ids: () => string;
  clock: Clock;
  logger: Logger;
}

const MAX_ATTEMPTS = 5;

/**
 * The execution agent: keeps one execution record per order from the gateway's events, so that
 * execution quality (fill rate, slippage against arrival, time to fill) can be computed per order,
 * strategy and instrument. Every event is merged order-independently and idempotently
 * (`applyExecutionFact`): a duplicate or stale event writes nothing. It never writes the order's
 * status or fills — the bridge owns those (see lib/core/execution/record.ts).
 *
 * When an order reaches a final outcome (or its final outcome changes, e.g. a fill that raced the
 * cancel completes it), it publishes `ExecutionQualityUpdated`.
 *
 * Within one process an order's events are merged one at a time, on the record version this
 * process last wrote (`ExecutionRecordMemory`): one conditional write per event that changes
 * something, no read, no version-conflict storm when an order's events arrive together. Another
 * writer (a second Lambda) still only costs a conflict, a fresh read and a retry.
 * @example
 * bus.subscribe(eventPatternFor([...EXECUTION_AGENT_EVENTS]), createExecutionAgent({ records, orders, fills, publisher, ids, clock, logger }));
 */
export function createExecutionAgent(deps: ExecutionAgentDeps, memory = new ExecutionRecordMemory()): EventHandler {
  return async (envelope) => {
    const event = parseEvent(envelope);
    const resolved = await factOf(deps, memory, event);
    if (resolved === undefined) return;
    const { id, fact } = resolved;
    const log = deps.logger.child({ clientOrderId: id, eventId: event.eventId, detailType: event.detailType });
    const outcome = await memory.serial(id, () => upsert(deps, memory, id, fact));
    if (outcome === undefined) {
      log.debug('execution record unchanged (duplicate or implied fact)');
      return;
    }
    const { before, after } = outcome;
    if (deps.publisher !== undefined && COMPLETED_OUTCOMES.has(after.outcome) && before?.outcome !== after.outcome) {
      await deps.publisher.publish([createEvent('ExecutionQualityUpdated', qualityDetail(after), { eventId: deps.ids(), now: deps.clock.now(), correlationId: event.correlationId, causationId: event.eventId })]);
    }
  };
}

/**
 * Merges and conditionally writes, on the remembered version if any, else on a fresh read; re-reads
 * on a lost race. Undefined when nothing changed.
 */
async function upsert(deps: ExecutionAgentDeps, memory: ExecutionRecordMemory, id: ClientOrderId, fact: ExecutionFact): Promise<{ before: OrderExecutionQuality | undefined; after: OrderExecutionQuality } | undefined> {
  let remembered = memory.record(id);
  for (let attempt = 1; ; attempt++) {
    const stored = remembered ?? (await deps.records.get(id));
    remembered = undefined;
    let next: ExecutionRecord = stored ?? emptyExecutionRecord(id);
    // The order's own facts (arrival price, strategy) come with OrderProposed; if that was missed
    // or is still in flight, take them from the order store.
    if (next.order === undefined && fact.kind !== 'order') {
      const order = await deps.orders.get(id);
      if (order !== undefined) next = applyExecutionFact(next, { kind: 'order', order }).record;
    }
    next = applyExecutionFact(next, fact).record;
    // applyExecutionFact returns the same object when a fact adds nothing: a duplicate or stale event
    if (stored !== undefined && next === stored) {
      memory.remember(stored);
      return undefined;
    }
    try {
      const written = await deps.records.put(next);
      memory.remember(written);
      return { before: stored === undefined ? undefined : orderExecutionQuality(stored), after: orderExecutionQuality(written) };
    } catch (e) {
      // What we held (if anything) is stale or the write failed: the next attempt, or event, reads the store.
      memory.forget(id);
      if (!(e instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

/** Maps an event to the order it is about and the fact it carries; undefined for events about no order of ours. */
async function factOf(deps: ExecutionAgentDeps, memory: ExecutionRecordMemory, event: AnyEvent): Promise<{ id: ClientOrderId; fact: ExecutionFact } | undefined> {
  const at = event.tsEvent;
  switch (event.detailType) {
    case 'OrderProposed':
      return { id: event.detail.order.clientOrderId, fact: { kind: 'order', order: event.detail.order } };
    case 'OrderSubmitted':
      return { id: event.detail.clientOrderId, fact: { kind: 'submitted', detail: event.detail, at } };
    case 'OrderDenied':
      return { id: event.detail.clientOrderId, fact: { kind: 'denied', detail: event.detail, at } };
    case 'OrderStatusReport': {
      const id = event.detail.clientOrderId ?? (await deps.orders.findByBrokerOrderId(event.detail.brokerOrderId))?.clientOrderId;
      return id === undefined ? undefined : { id, fact: { kind: 'status', detail: { ...event.detail, clientOrderId: id }, at } };
    }
    case 'OrderRejected': {
      const id = event.detail.clientOrderId ?? (await deps.orders.findByBrokerOrderId(event.detail.brokerOrderId))?.clientOrderId;
      return id === undefined ? undefined : { id, fact: { kind: 'rejected', detail: { ...event.detail, clientOrderId: id }, at } };
    }
    case 'FillReport': {
      const fill = event.detail.fill;
      // an execution the bridge could not tie to an order of ours (EXTERNAL) has no execution record
      return fill.clientOrderId === undefined ? undefined : { id: fill.clientOrderId, fact: { kind: 'fill', fill } };
    }
    case 'CommissionReport': {
      // the FillReport before it usually told us already; an execution's order never changes
      const id = memory.orderOfExec(event.detail.execId) ?? (await deps.fills.get(event.detail.execId as ExecId))?.clientOrderId;
      if (id === undefined) return undefined;
      return { id, fact: { kind: 'commission', clientOrderId: id, execId: event.detail.execId, commission: event.detail.commission } };
    }
    default:
      return undefined;
  }
}

/** The ExecutionQualityUpdated detail: decimals as strings, bps to 2 places. @internal */
export function qualityDetail(q: OrderExecutionQuality) {
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    clientOrderId: q.clientOrderId,
    ...opt('strategyId', q.strategyId),
    ...opt('symbol', q.symbol),
    outcome: q.outcome,
    ...opt('orderedQuantity', q.orderedQuantity),
    filledQuantity: q.filledQuantity,
    ...opt('fillRatio', q.fillRatio === undefined ? undefined : toDecimalString(roundTo(q.fillRatio, 4))),
    ...opt('avgFillPrice', q.avgFillPrice === undefined ? undefined : toDecimalString(q.avgFillPrice)),
    ...opt('arrivalPrice', q.arrivalPrice === undefined ? undefined : toDecimalString(q.arrivalPrice)),
    ...opt('slippageBps', q.slippageBps === undefined ? undefined : toDecimalString(roundTo(q.slippageBps, 2))),
    ...opt('timeToFirstFillMs', q.timeToFirstFillMs),
    ...opt('timeToCompleteMs', q.timeToCompleteMs),
  };
}
