import { add, div, divInt, fromInt, mulInt, sum, ZERO, type Fixed } from '../money/fixed.js';
import { COMPLETED_OUTCOMES, ExecutionOutcome, type OrderExecutionQuality } from './quality.js';
import { percentile } from '../shared/percentile.js';

/** Re-exported from its one home in lib/core/shared. */
export { percentile };

/** How execution statistics are grouped: `GET /api/execution/stats?by=strategy|instrument|overall`. */
export type ExecutionStatsGrouping = 'strategy' | 'instrument' | 'overall';

/** Group key for orders whose strategy (or symbol) is unknown, e.g. EXTERNAL orders. */
export const UNATTRIBUTED = 'UNATTRIBUTED';

/**
 * Execution quality of a group of orders. Fill rates count only orders that reached the broker
 * and are finished (FILLED, CANCELLED, REJECTED): working orders would depress them and denied
 * orders never had a chance to fill. Slippage counts every order with fills and an arrival price.
 */
export interface ExecutionStats {
  key: string;
  orders: number;
  workingOrders: number;
  deniedOrders: number;
  completedOrders: number;
  fullyFilledOrders: number;
  /** Σ ordered over completed orders. */
  orderedQuantity: number;
  /** Σ filled over completed orders. */
  filledQuantity: number;
  /** filledQuantity / orderedQuantity; undefined without completed orders. */
  fillRate: Fixed | undefined;
  /** fullyFilledOrders / completedOrders. */
  orderFillRate: Fixed | undefined;
  ordersWithSlippage: number;
  /** Mean of the per-order slippage (each order counts once). */
  avgSlippageBps: Fixed | undefined;
  /** 95th percentile (nearest rank) of the per-order slippage: the bad tail, costs positive. */
  p95SlippageBps: Fixed | undefined;
  /** Σ cost / Σ arrival notional: the money-weighted figure. */
  weightedSlippageBps: Fixed | undefined;
  slippageCost: Fixed;
  commission: Fixed;
  avgTimeToFirstFillMs: number | undefined;
  p95TimeToFirstFillMs: number | undefined;
  avgTimeToCompleteMs: number | undefined;
  p95TimeToCompleteMs: number | undefined;
}

/**
 * Groups per-order qualities and aggregates each group; groups come back sorted by key.
 * @example
 * aggregateExecutionQuality(qualities, 'strategy') // [{ key: 'momentum-1', fillRate: 0.97…, avgSlippageBps: 3.2…, … }]
 */
export function aggregateExecutionQuality(qualities: readonly OrderExecutionQuality[], by: ExecutionStatsGrouping): ExecutionStats[] {
  const groups = new Map<string, OrderExecutionQuality[]>();
  for (const q of qualities) {
    const key = by === 'overall' ? 'ALL' : by === 'strategy' ? (q.strategyId ?? UNATTRIBUTED) : (q.symbol ?? UNATTRIBUTED);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(q);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => statsOf(key, g));
}

/** Aggregates one group (see `ExecutionStats`). */
export function statsOf(key: string, qs: readonly OrderExecutionQuality[]): ExecutionStats {
  const completed = qs.filter((q) => COMPLETED_OUTCOMES.has(q.outcome) && q.orderedQuantity !== undefined);
  const orderedQuantity = completed.reduce((t, q) => t + (q.orderedQuantity ?? 0), 0);
  const filledQuantity = completed.reduce((t, q) => t + q.filledQuantity, 0);
  const fullyFilledOrders = completed.filter((q) => q.outcome === ExecutionOutcome.FILLED).length;

  const withSlip = qs.filter((q): q is OrderExecutionQuality & { slippageBps: Fixed; slippageCost: Fixed; arrivalPrice: Fixed } => q.slippageBps !== undefined && q.slippageCost !== undefined && q.arrivalPrice !== undefined);
  const slips = withSlip.map((q) => q.slippageBps);
  const arrivalNotional = sum(withSlip.map((q) => mulInt(q.arrivalPrice, q.filledQuantity)));
  const slippageCost = sum(withSlip.map((q) => q.slippageCost));

  const firstFill = qs.map((q) => q.timeToFirstFillMs).filter((x): x is number => x !== undefined);
  const complete = qs.map((q) => q.timeToCompleteMs).filter((x): x is number => x !== undefined);

  return {
    key,
    orders: qs.length,
    workingOrders: qs.filter((q) => q.outcome === ExecutionOutcome.WORKING).length,
    deniedOrders: qs.filter((q) => q.outcome === ExecutionOutcome.DENIED).length,
    completedOrders: completed.length,
    fullyFilledOrders,
    orderedQuantity,
    filledQuantity,
    fillRate: orderedQuantity === 0 ? undefined : div(fromInt(filledQuantity), fromInt(orderedQuantity)),
    orderFillRate: completed.length === 0 ? undefined : div(fromInt(fullyFilledOrders), fromInt(completed.length)),
    ordersWithSlippage: withSlip.length,
    avgSlippageBps: slips.length === 0 ? undefined : divInt(sum(slips), slips.length),
    p95SlippageBps: percentile(slips, 0.95),
    weightedSlippageBps: arrivalNotional === ZERO ? undefined : div(mulInt(slippageCost, 10_000), arrivalNotional),
    slippageCost,
    commission: qs.reduce((t, q) => add(t, q.commission), ZERO),
    avgTimeToFirstFillMs: mean(firstFill),
    p95TimeToFirstFillMs: percentile(firstFill, 0.95),
    avgTimeToCompleteMs: mean(complete),
    p95TimeToCompleteMs: percentile(complete, 0.95),
  };
}

const mean = (xs: readonly number[]): number | undefined => (xs.length === 0 ? undefined : Math.round(xs.reduce((t, x) => t + x, 0) / xs.length));
