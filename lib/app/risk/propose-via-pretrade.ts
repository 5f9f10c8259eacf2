import { tradingDayOf } from '../../core/calendar/nyse.js';
import { fnv1a64 } from '../../core/cio/proposal-id.js';
import { createEvent } from '../../core/events/catalog.js';
import { divInt, parseDecimal, toDecimalString } from '../../core/money/fixed.js';
import { OrderSchema, type Order } from '../../core/orders/order.js';
import type { PlannedOrder } from '../../core/risk/reduce.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import { formatClientOrderId } from '../../core/shared/ids-gen.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import { runPretrade, type PretradeDeps } from '../pretrade/run-pretrade.js';
import type { ProposedOrderOutcome, ProposeOrders, ProposeOrdersReason } from './propose.js';

export interface PretradeProposerOptions {
  /** The account the orders are for (the broker account the positions are in). */
  accountId?: string | undefined;
  /** Recorded in each order's origin (MiFID II RTS 6 Art 12(3)). */
  agentVersion: string;
}

/**
 * `ProposeOrders` over the ordinary order path: each planned order becomes a PROPOSED order
 * (market, DAY, origin = the risk agent or the operator, with the plan's reason), `OrderProposed`
 * is published, and `runPretrade` decides it — risk ∥ compliance, then SubmitOrder on the gateway
 * queue, exactly as for a CIO order; the bridge's final gate still applies. REDUCING state lets
 * these orders through because they only reduce exposure.
 *
 * Idempotent: the clientOrderId is a function of the reason's correlation id, symbol and side, so
 * a retried reduction finds its order instead of creating a second one.
 * @example
 * const proposeOrders = createPretradeProposer(pretradeDeps, { accountId: 'DU123', agentVersion: '1.0.0' });
 */
export function createPretradeProposer(deps: PretradeDeps, options: PretradeProposerOptions): ProposeOrders {
  return async (orders, reason) => {
    const outcomes: ProposedOrderOutcome[] = [];
    for (const planned of orders) outcomes.push(await proposeOne(deps, options, planned, reason));
    return outcomes;
  };
}

async function proposeOne(deps: PretradeDeps, options: PretradeProposerOptions, planned: PlannedOrder, reason: ProposeOrdersReason): Promise<ProposedOrderOutcome> {
  const base = { symbol: planned.symbol, side: planned.side, quantity: planned.quantity };
  const now = deps.clock.now();
  const clientOrderId = reductionClientOrderId(now, reason.correlationId, planned);
  try {
    let order = await deps.orders.get(clientOrderId);
    if (order === undefined) {
      order = newOrder(planned, reason, options, clientOrderId, now.toISOString());
      try {
        order = await deps.orders.create(order);
      } catch (e) {
        if (!(e instanceof ConcurrencyError && e.code === 'ORDER.DUPLICATE')) throw e;
        order = (await deps.orders.get(clientOrderId))!;
      }
    }
    if (order.status === 'PROPOSED') {
      await deps.publisher.publish([createEvent('OrderProposed', { order }, { eventId: deps.newId(), now, correlationId: order.correlationId })]);
      const r = await runPretrade(deps, clientOrderId);
      if (r.order !== undefined) order = r.order;
    }
    return { ...base, clientOrderId, ...statusOf(order) };
  } catch (e) {
    deps.logger.error('proposing a reduction order failed', { clientOrderId, symbol: planned.symbol, error: e instanceof Error ? e.message : String(e) });
    return { ...base, clientOrderId, status: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

function statusOf(order: Order): Pick<ProposedOrderOutcome, 'status' | 'reasonCode' | 'message'> {
  if (order.status === 'DENIED') return { status: 'denied', ...(order.reasonCode === undefined ? {} : { reasonCode: order.reasonCode }), ...(order.reason === undefined ? {} : { message: order.reason }) };
  if (order.status === 'PROPOSED') return { status: 'proposed' };
  return { status: 'approved', message: `order ${order.status}` };
}

function newOrder(planned: PlannedOrder, reason: ProposeOrdersReason, options: PretradeProposerOptions, clientOrderId: ClientOrderId, at: string): Order {
  const arrival = planned.estimatedNotional === undefined ? undefined : toDecimalString(divInt(parseDecimal(planned.estimatedNotional), planned.quantity));
  return OrderSchema.parse({
    clientOrderId,
    ...(options.accountId === undefined ? {} : { account: options.accountId }),
    symbol: planned.symbol,
    side: planned.side,
    quantity: planned.quantity,
    type: 'MKT',
    tif: 'DAY',
    status: 'PROPOSED',
    filledQuantity: 0,
    ...(arrival === undefined ? {} : { arrivalPrice: arrival }),
    origin: { strategyId: `risk:${reason.source}`, agentId: reason.requestedBy, agentVersion: options.agentVersion, signalIds: [], rationale: `${reason.note}: ${planned.reason}`.slice(0, 2000) },
    external: false,
    correlationId: reason.correlationId,
    createdAt: at,
    updatedAt: at,
    version: 0,
  });
}

/**
 * `CO-<day>-<16 digits>` like the CIO's proposal ids, from (correlation, symbol, side). The range
 * [9·10¹⁵, 2⁵³) is apart from the CIO's [10¹⁵, 9·10¹⁵) and stays a safe integer.
 */
function reductionClientOrderId(now: Date, correlationId: string, planned: PlannedOrder): ClientOrderId {
  const seq = 9n * 10n ** 15n + (fnv1a64(`risk:${correlationId}:${planned.symbol}:${planned.side}`) % (7n * 10n ** 12n));
  return formatClientOrderId(tradingDayOf(now), Number(seq));
}
