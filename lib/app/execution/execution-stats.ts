import { z } from 'zod';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import { classifyExecutionQuality, DEFAULT_EXECUTION_ALERT_THRESHOLDS, type ExecutionAlertName, type ExecutionAlertThresholds } from '../../core/execution/alerts.js';
import { orderExecutionQuality } from '../../core/execution/quality.js';
import { aggregateExecutionQuality, statsOf, type ExecutionStats } from '../../core/execution/stats.js';
import { roundTo, toDecimalString, type Fixed } from '../../core/money/fixed.js';
import type { Clock } from '../../core/shared/clock.js';
import type { ExecutionRecordStore } from '../../ports/execution.js';

/**
 * Query of `GET /api/execution/stats`: `?by=strategy|instrument` (default both) and
 * `?date=today|YYYY-MM-DD` (trading day, America/New_York; default today).
 */
export const ExecutionStatsQuerySchema = z.strictObject({
  by: z.enum(['strategy', 'instrument']).optional(),
  date: z.union([z.literal('today'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'today or YYYY-MM-DD')]).optional(),
});
export type ExecutionStatsQuery = z.infer<typeof ExecutionStatsQuerySchema>;

/** One group's statistics as the API returns them: ratios to 4 places, bps and money to 2, as decimal strings. */
export interface ExecutionStatsView {
  key: string;
  orders: number;
  completedOrders: number;
  workingOrders: number;
  deniedOrders: number;
  fullyFilledOrders: number;
  orderedQuantity: number;
  filledQuantity: number;
  fillRate: string | null;
  orderFillRate: string | null;
  ordersWithSlippage: number;
  avgSlippageBps: string | null;
  p95SlippageBps: string | null;
  weightedSlippageBps: string | null;
  slippageCost: string;
  commission: string;
  avgTimeToFirstFillMs: number | null;
  p95TimeToFirstFillMs: number | null;
  avgTimeToCompleteMs: number | null;
  p95TimeToCompleteMs: number | null;
  /** The runbook's alert levels this group is at (`execution_slippage_warning`, …). */
  alerts: ExecutionAlertName[];
}

export interface ExecutionStatsResponse {
  day: string;
  overall: ExecutionStatsView;
  byStrategy?: ExecutionStatsView[];
  byInstrument?: ExecutionStatsView[];
}

export interface ExecutionStatsDeps {
  records: Pick<ExecutionRecordStore, 'listByDay'>;
  clock: Clock;
  thresholds?: ExecutionAlertThresholds | undefined;
}

/**
 * Execution quality of a trading day: overall, by strategy and/or by instrument.
 * @example
 * const stats = await getExecutionStats({ records, clock }, { by: 'strategy' });
 * // { day: '2026-11-26', overall: { fillRate: '0.9731', avgSlippageBps: '3.12', p95SlippageBps: '9.8', alerts: [] , … }, byStrategy: [...] }
 */
export async function getExecutionStats(deps: ExecutionStatsDeps, query: ExecutionStatsQuery = {}): Promise<ExecutionStatsResponse> {
  const day = query.date === undefined || query.date === 'today' ? tradingDayOf(deps.clock.now()) : query.date;
  const qualities = (await deps.records.listByDay(day)).map(orderExecutionQuality);
  const t = deps.thresholds ?? DEFAULT_EXECUTION_ALERT_THRESHOLDS;
  const view = (s: ExecutionStats) => toView(s, t);
  const overall = aggregateExecutionQuality(qualities, 'overall')[0];
  return {
    day,
    overall: view(overall ?? statsOf('ALL', [])),
    ...(query.by === undefined || query.by === 'strategy' ? { byStrategy: aggregateExecutionQuality(qualities, 'strategy').map(view) } : {}),
    ...(query.by === undefined || query.by === 'instrument' ? { byInstrument: aggregateExecutionQuality(qualities, 'instrument').map(view) } : {}),
  };
}

function toView(s: ExecutionStats, t: ExecutionAlertThresholds): ExecutionStatsView {
  const dec = (x: Fixed | undefined, dp: number) => (x === undefined ? null : toDecimalString(roundTo(x, dp)));
  return {
    key: s.key,
    orders: s.orders,
    completedOrders: s.completedOrders,
    workingOrders: s.workingOrders,
    deniedOrders: s.deniedOrders,
    fullyFilledOrders: s.fullyFilledOrders,
    orderedQuantity: s.orderedQuantity,
    filledQuantity: s.filledQuantity,
    fillRate: dec(s.fillRate, 4),
    orderFillRate: dec(s.orderFillRate, 4),
    ordersWithSlippage: s.ordersWithSlippage,
    avgSlippageBps: dec(s.avgSlippageBps, 2),
    p95SlippageBps: dec(s.p95SlippageBps, 2),
    weightedSlippageBps: dec(s.weightedSlippageBps, 2),
    slippageCost: toDecimalString(roundTo(s.slippageCost, 2), { minFractionDigits: 2 }),
    commission: toDecimalString(roundTo(s.commission, 2), { minFractionDigits: 2 }),
    avgTimeToFirstFillMs: s.avgTimeToFirstFillMs ?? null,
    p95TimeToFirstFillMs: s.p95TimeToFirstFillMs ?? null,
    avgTimeToCompleteMs: s.avgTimeToCompleteMs ?? null,
    p95TimeToCompleteMs: s.p95TimeToCompleteMs ?? null,
    alerts: classifyExecutionQuality(s, t),
  };
}
