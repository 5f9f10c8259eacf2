import { applyFill } from '../orders/apply-fill.js';
import { OrderSchema, type Order } from '../orders/order.js';
import { FillSchema } from '../fills/fill.js';
import { add, div, fromInt, mulInt, neg, parseDecimal, sign, sub, ZERO, type Fixed } from '../money/fixed.js';
import type { ExecutionRecord } from './record.js';

/** Where an order ended up, as far as execution statistics are concerned. */
export const ExecutionOutcome = {
  WORKING: 'WORKING', // still at the broker (or not yet known to be finished)
  FILLED: 'FILLED',
  CANCELLED: 'CANCELLED', // cancelled by us or the broker (DAY expiry), possibly partly filled
  REJECTED: 'REJECTED', // the broker refused it
  DENIED: 'DENIED', // we refused it: never reached the broker; left out of fill rates
} as const;
export type ExecutionOutcome = (typeof ExecutionOutcome)[keyof typeof ExecutionOutcome];

/** Outcomes that count in fill rates: the order reached the broker and is finished. */
export const COMPLETED_OUTCOMES: ReadonlySet<ExecutionOutcome> = new Set([ExecutionOutcome.FILLED, ExecutionOutcome.CANCELLED, ExecutionOutcome.REJECTED]);

/**
 * Execution quality of one order, exact (`Fixed`, 10 dp). Slippage is signed so that a positive
 * number is a cost: a buy filled above the arrival price, or a sell filled below it.
 * `slippageBps = side × (avgFill − arrival) / arrival × 10 000` with avgFill the volume-weighted
 * average over the fills (so it is Σ qᵢ·slipᵢ / Σ qᵢ over the fills).
 */
export interface OrderExecutionQuality {
  clientOrderId: string;
  symbol: string | undefined;
  side: 'BUY' | 'SELL' | undefined;
  strategyId: string | undefined;
  account: string | undefined;
  outcome: ExecutionOutcome;
  orderedQuantity: number | undefined;
  filledQuantity: number;
  /** filled / ordered; undefined while the ordered quantity is unknown. */
  fillRatio: Fixed | undefined;
  filledNotional: Fixed;
  avgFillPrice: Fixed | undefined;
  arrivalPrice: Fixed | undefined;
  slippageBps: Fixed | undefined;
  /** Money lost (positive) or gained (negative) against the arrival price: side × (notional − arrival × filled). */
  slippageCost: Fixed | undefined;
  commission: Fixed;
  submittedAt: string | undefined;
  firstFillAt: string | undefined;
  /** When the fill that completed the order happened (FILLED only). */
  completedAt: string | undefined;
  timeToFirstFillMs: number | undefined;
  timeToCompleteMs: number | undefined;
  /** Facts that do not add up (a fill for another symbol, an overfill): figures exclude them. */
  anomalies: string[];
}

const BPS = 10_000;

/**
 * Derives an order's execution quality from its record. Fills are applied with the order
 * lifecycle's own `applyFill`, in a canonical order (executedAt, execId), so the arithmetic is the
 * bridge's and the result does not depend on delivery order.
 * @example
 * const q = orderExecutionQuality(record); // q.slippageBps === parseDecimal('1.0683760684') for a buy at 187.22 vs arrival 187.20
 */
export function orderExecutionQuality(r: ExecutionRecord): OrderExecutionQuality {
  const base = r.submitted ?? r.order;
  const orderedQuantity = base?.quantity;
  const side = base?.side;
  const symbol = base?.symbol;
  const anomalies: string[] = [];

  const { filledQuantity, filledNotional, completedAt, excluded } = applyFills(r, anomalies);
  const avgFillPrice = filledQuantity > 0 ? div(filledNotional, fromInt(filledQuantity)) : undefined;
  const arrivalPrice = r.order?.arrivalPrice === undefined ? undefined : parseDecimal(r.order.arrivalPrice);
  const slippage = slippageOf(side, arrivalPrice, filledNotional, filledQuantity);
  const commission = r.commissions.reduce((t, c) => add(t, parseDecimal(c.commission)), ZERO);

  const counted = r.fills.filter((f) => !excluded.has(f.execId));
  const firstFillAt = counted.reduce<string | undefined>((m, f) => (m === undefined || f.executedAt < m ? f.executedAt : m), undefined);
  const submittedAt = r.submitted?.at;
  const outcome = outcomeOf(r, orderedQuantity, filledQuantity);

  return {
    clientOrderId: r.clientOrderId,
    symbol,
    side,
    strategyId: r.order?.strategyId,
    account: r.submitted?.account ?? r.order?.account,
    outcome,
    orderedQuantity,
    filledQuantity,
    fillRatio: orderedQuantity === undefined ? undefined : div(fromInt(filledQuantity), fromInt(orderedQuantity)),
    filledNotional,
    avgFillPrice,
    arrivalPrice,
    slippageBps: slippage?.bps,
    slippageCost: slippage?.cost,
    commission,
    submittedAt,
    firstFillAt,
    completedAt: outcome === ExecutionOutcome.FILLED ? completedAt : undefined,
    timeToFirstFillMs: elapsed(submittedAt, firstFillAt),
    timeToCompleteMs: outcome === ExecutionOutcome.FILLED ? elapsed(submittedAt, completedAt) : undefined,
    anomalies,
  };
}

/**
 * Signed slippage of `filledQuantity` shares costing `filledNotional` against `arrivalPrice`.
 * @example slippageOf('SELL', parseDecimal('100'), mulInt(parseDecimal('99.9'), 10), 10) // bps 10, cost 1
 */
export function slippageOf(side: 'BUY' | 'SELL' | undefined, arrivalPrice: Fixed | undefined, filledNotional: Fixed, filledQuantity: number): { bps: Fixed; cost: Fixed } | undefined {
  if (side === undefined || arrivalPrice === undefined || sign(arrivalPrice) <= 0 || filledQuantity === 0) return undefined;
  const arrivalNotional = mulInt(arrivalPrice, filledQuantity);
  const paidMore = sub(filledNotional, arrivalNotional);
  const cost = side === 'BUY' ? paidMore : neg(paidMore);
  return { bps: div(mulInt(cost, BPS), arrivalNotional), cost };
}

function applyFills(r: ExecutionRecord, anomalies: string[]): { filledQuantity: number; filledNotional: Fixed; completedAt: string | undefined; excluded: Set<string> } {
  const excluded = new Set<string>();
  const base = r.submitted ?? r.order;
  const fills = [...r.fills].sort((a, b) => (a.executedAt !== b.executedAt ? (a.executedAt < b.executedAt ? -1 : 1) : a.execId < b.execId ? -1 : a.execId > b.execId ? 1 : 0));
  if (base === undefined) {
    // Fills before anything else about the order: count them; the order's facts will follow.
    let notional = ZERO;
    let qty = 0;
    for (const f of fills) {
      notional = add(notional, mulInt(parseDecimal(f.price), f.quantity));
      qty += f.quantity;
    }
    return { filledQuantity: qty, filledNotional: notional, completedAt: undefined, excluded };
  }
  let order: Order = syntheticOrder(r, base);
  let completedAt: string | undefined;
  for (const f of fills) {
    try {
      order = applyFill(order, FillSchema.parse({ ...f, clientOrderId: r.clientOrderId, account: order.account ?? 'UNKNOWN', currency: 'USD' }));
      if (completedAt === undefined && order.filledQuantity === order.quantity) completedAt = f.executedAt;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      excluded.add(f.execId);
      anomalies.push(`${typeof code === 'string' ? code : 'EXECUTION.BAD_FILL'}: fill ${f.execId} not counted`);
    }
  }
  return { filledQuantity: order.filledQuantity, filledNotional: order.filledNotional === undefined ? ZERO : parseDecimal(order.filledNotional), completedAt, excluded };
}

/** The order as `applyFill` needs it: only quantities, ids, symbol and side matter here. */
function syntheticOrder(r: ExecutionRecord, base: NonNullable<ExecutionRecord['submitted'] | ExecutionRecord['order']>): Order {
  return OrderSchema.parse({
    clientOrderId: r.clientOrderId,
    ...(r.submitted === undefined ? {} : { brokerOrderId: r.submitted.brokerOrderId }),
    ...(base.account === undefined ? {} : { account: base.account }),
    symbol: base.symbol,
    side: base.side,
    quantity: base.quantity,
    type: base.type,
    status: 'ACCEPTED',
    filledQuantity: 0,
    correlationId: r.clientOrderId,
    createdAt: base.at,
    updatedAt: base.at,
    version: 0,
  });
}

/**
 * Precedence: complete fills are FILLED whatever else was reported (a fill can race a cancel);
 * then our denial, the broker's rejection, a cancel; otherwise the order is still WORKING. A
 * broker status of FILLED without our fills stays WORKING until the executions arrive.
 */
function outcomeOf(r: ExecutionRecord, ordered: number | undefined, filled: number): ExecutionOutcome {
  if (ordered !== undefined && filled >= ordered) return ExecutionOutcome.FILLED;
  if (r.denied !== undefined) return ExecutionOutcome.DENIED;
  if (r.rejected !== undefined || r.statusesSeen.includes('REJECTED')) return ExecutionOutcome.REJECTED;
  if (r.statusesSeen.includes('CANCELLED')) return ExecutionOutcome.CANCELLED;
  return ExecutionOutcome.WORKING;
}

function elapsed(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, Date.parse(to) - Date.parse(from));
}
