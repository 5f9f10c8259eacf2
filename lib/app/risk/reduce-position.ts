import { markOf } from '../../core/market/mark.js';
import type { DecimalString } from '../../core/money/decimal-string.js';
import { reducePositionPlan, type ReducePlanCode, type ReducePositionPlan } from '../../core/risk/reduce.js';
import type { Clock } from '../../core/shared/clock.js';
import { err, ok, type Result } from '../../core/shared/errors.js';
import type { AuditLog, PositionStore, QuoteStore } from '../../ports/stores.js';
import type { ProposedOrderOutcome, ProposeOrders } from './propose.js';

export const ReducePositionCode = { NOT_WIRED: 'RISK.PROPOSE_NOT_WIRED' } as const;
export type ReducePositionError = { code: ReducePlanCode | typeof ReducePositionCode.NOT_WIRED; message: string };

export interface ReducePositionRequest {
  symbol: string;
  /** Fraction of the current size to keep: 0.5 halves it, 0 closes it. */
  target: number;
  operator: string;
  reason?: string | undefined;
  lotSize?: number | undefined;
  correlationId: string;
}

export interface ReducePositionResult {
  plan: ReducePositionPlan;
  outcomes: ProposedOrderOutcome[];
}

/**
 * Runbook `reduce_position.py --symbol X --target 0.5`: plans the order that brings the position to
 * `target` of its size (marked at the latest quote) and proposes it through the same pre-trade
 * checks as any order (`proposeOrders`); never sends to the broker. Audited with the outcomes.
 * @example
 * const r = await reducePosition(deps, { symbol: 'AAPL', target: 0.5, operator: 'jane.doe', correlationId });
 */
export async function reducePosition(
  deps: { positions: Pick<PositionStore, 'list'>; quotes: Pick<QuoteStore, 'list'>; audit: AuditLog; clock: Clock; proposeOrders?: ProposeOrders | undefined },
  req: ReducePositionRequest,
): Promise<Result<ReducePositionResult, ReducePositionError>> {
  if (deps.proposeOrders === undefined) return err({ code: ReducePositionCode.NOT_WIRED, message: 'this deployment cannot propose orders from the API yet (proposeOrders is not wired)' });
  const [positions, quotes] = await Promise.all([deps.positions.list(), deps.quotes.list()]);
  const marks: Record<string, DecimalString | undefined> = {};
  for (const q of quotes) marks[q.symbol] = markOf(q);
  const planned = reducePositionPlan(positions, marks, { symbol: req.symbol, targetFraction: req.target, ...(req.lotSize === undefined ? {} : { lotSize: req.lotSize }) });
  if (!planned.ok) return err({ code: planned.error.code as ReducePlanCode, message: planned.error.message });
  const plan = planned.value;
  const note = req.reason ?? `reduce ${req.symbol} to ${req.target} of its size`;
  const outcomes = plan.orders.length === 0 ? [] : await deps.proposeOrders(plan.orders, { source: 'reduce_position', requestedBy: req.operator, note, correlationId: req.correlationId });
  await deps.audit.append({
    actor: req.operator,
    action: 'RISK_REDUCE_POSITION',
    subject: `position:${req.symbol}`,
    data: { symbol: req.symbol, target: req.target, reason: note, currentQuantity: plan.currentQuantity, resultingQuantity: plan.resultingQuantity, orders: plan.orders, outcomes },
    correlationId: req.correlationId,
  });
  return ok({ plan, outcomes });
}
