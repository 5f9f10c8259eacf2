import type { DecimalString } from '../money/decimal-string.js';
import { mulInt, parseDecimal, toMoneyString } from '../money/fixed.js';
import type { OrderSide } from '../orders/order.js';
import { err, ok, type Result } from '../shared/errors.js';
import type { Marks } from './metrics.js';
import { varUtilization, VAR_ALERT_LEVELS } from './limits.js';

/** Codes of expected refusals of a reduction plan (returned, not thrown). */
export const ReducePlanCode = {
  NO_POSITION: 'RISK.REDUCE_NO_POSITION',
  INVALID_TARGET: 'RISK.REDUCE_INVALID_TARGET',
  INVALID_LOT_SIZE: 'RISK.REDUCE_INVALID_LOT_SIZE',
} as const;
export type ReducePlanCode = (typeof ReducePlanCode)[keyof typeof ReducePlanCode];

/**
 * An order a plan proposes. It is a proposal, not an order: the caller gives it a clientOrderId and
 * origin and sends it through the same pre-trade checks as any other (REDUCING state lets it pass
 * because it only reduces exposure).
 */
export interface PlannedOrder {
  symbol: string;
  side: OrderSide;
  /** Whole shares, a multiple of the lot size except when closing an odd-lot remainder; never more than the position. */
  quantity: number;
  /** Always true: a plan only reduces, it never flips or adds. */
  reducesExposure: true;
  /** quantity × mark, when a mark is known. */
  estimatedNotional?: DecimalString;
  reason: string;
}

export interface ReducePositionPlan {
  symbol: string;
  currentQuantity: number;
  /** The signed quantity left after the orders fill. */
  resultingQuantity: number;
  orders: PlannedOrder[];
}

/**
 * The order that brings a position to `targetFraction` of its current size (runbook
 * `reduce_position.py --symbol X --target 0.5`).
 *
 * Rounding: the quantity to trade is (1 − f)·|q| rounded UP to the lot size — a risk reduction
 * should reach at least its target — and capped at |q|, so it never flips the position. f = 0
 * closes it entirely (odd lots included); f = 1, or a cut that rounds to nothing, gives no orders.
 * @example reducePositionPlan(positions, { AAPL: '187.20' }, { symbol: 'AAPL', targetFraction: 0.5 }) // SELL 50 of a 100-share long
 */
export function reducePositionPlan(
  positions: ReadonlyArray<{ symbol: string; quantity: number; marketPrice?: DecimalString | undefined }>,
  marks: Marks,
  request: { symbol: string; targetFraction: number; lotSize?: number },
): Result<ReducePositionPlan> {
  const { symbol, targetFraction } = request;
  const lot = request.lotSize ?? 1;
  if (!(targetFraction >= 0 && targetFraction <= 1)) return err({ code: ReducePlanCode.INVALID_TARGET, message: `target fraction must be in [0, 1], got ${targetFraction}` });
  if (!(Number.isInteger(lot) && lot > 0)) return err({ code: ReducePlanCode.INVALID_LOT_SIZE, message: `lot size must be a positive integer, got ${lot}` });
  const position = positions.find((p) => p.symbol === symbol && p.quantity !== 0);
  if (position === undefined) return err({ code: ReducePlanCode.NO_POSITION, message: `no open position in ${symbol}` });
  const held = Math.abs(position.quantity);
  const cut = cutQuantity(held, 1 - targetFraction, lot);
  const order = cut === 0 ? [] : [plannedOrder(position, cut, marks[symbol] ?? position.marketPrice, `reduce ${symbol} to ${targetFraction} of its size`)];
  return ok({ symbol, currentQuantity: position.quantity, resultingQuantity: position.quantity - Math.sign(position.quantity) * cut, orders: order });
}

/** ⌈fraction·held / lot⌉·lot, capped at held; guards against 0.7·100 = 70.00000000000001. */
function cutQuantity(held: number, fraction: number, lot: number): number {
  if (fraction >= 1) return held;
  const lots = Math.ceil((fraction * held) / lot - 1e-9);
  return Math.min(held, Math.max(0, lots) * lot);
}

function plannedOrder(position: { symbol: string; quantity: number }, quantity: number, mark: DecimalString | undefined, reason: string): PlannedOrder {
  const order: PlannedOrder = { symbol: position.symbol, side: position.quantity > 0 ? 'SELL' : 'BUY', quantity, reducesExposure: true, reason };
  if (mark !== undefined) order.estimatedNotional = toMoneyString(mulInt(parseDecimal(mark), quantity));
  return order;
}

/** What `reduceForVarPlan` needs to re-evaluate VaR as it cuts. */
export interface VarReductionInput {
  /** Open positions, with their lot sizes (default 1). */
  positions: ReadonlyArray<{ symbol: string; quantity: number; lotSize?: number }>;
  marks: Marks;
  /** The exposure vector's order (the returns matrix's symbols). */
  symbols: readonly string[];
  /** VaR and component VaR for exposures aligned with `symbols`, e.g. `(e) => historicalVar(m, e)`. */
  evaluate: (exposures: Float64Array) => { var: number; components: Float64Array };
  limit: number;
  /** Utilisation to get under; default the warning level 0.8. */
  targetUtilization?: number;
  /** Aim this fraction below the target, so that a small market move does not re-alert at once. Default 0.02. */
  margin?: number;
  /** Greedy steps allowed; default 4 × positions. */
  maxSteps?: number;
}

export interface VarReductionPlan {
  before: { var: number; utilization: number };
  /** VaR re-evaluated with the planned quantities (same model, same history). */
  after: { var: number; utilization: number };
  /** Whether `after.utilization` is below the target. */
  reached: boolean;
  /** One order per symbol cut, largest cut first. */
  orders: PlannedOrder[];
  /** The greedy steps, for the audit trail: which symbol, its component then, how much cut. */
  steps: Array<{ symbol: string; component: number; cut: number }>;
  /** Positions the VaR model does not cover (no history or no mark): never cut by this plan. */
  untouched: string[];
}

/**
 * The `var_critical` action `reduce_positions`: which positions to cut, and by how much, to bring
 * VaR utilisation back under the warning level.
 *
 * Greedy on component VaR, re-evaluated after every cut:
 *  1. evaluate VaR and components at the current (planned) quantities; stop when
 *     VaR < target·(1 − margin)·limit;
 *  2. take the position with the largest positive component cₖ (hedges, cₖ ≤ 0, are never cut —
 *     cutting them would raise VaR);
 *  3. cut it by the fraction x = min(1, excess / cₖ) — to first order, removing x of a position
 *     removes x·cₖ of VaR (Euler) — rounded up to its lot, capped at what is held (never flips);
 *  4. repeat. Each step cuts at least one lot, so it ends; re-evaluating corrects the first-order
 *     estimate (VaR is not linear in one position's size, and historical VaR may switch scenario).
 * Cutting the biggest contributors first trades as few names as possible.
 * @example reduceForVarPlan({ positions, marks, symbols: m.symbols, evaluate: (e) => historicalVar(m, e), limit: 1e6 })
 */
export function reduceForVarPlan(input: VarReductionInput): VarReductionPlan {
  const target = input.targetUtilization ?? VAR_ALERT_LEVELS.warning;
  const margin = input.margin ?? 0.02;
  const goal = target * (1 - margin) * input.limit;
  const index = new Map(input.symbols.map((s, i) => [s, i]));

  const held = new Map<number, { symbol: string; quantity: number; lot: number; price: number; mark: DecimalString }>();
  const untouched: string[] = [];
  const exposures = new Float64Array(input.symbols.length);
  for (const p of input.positions) {
    if (p.quantity === 0) continue;
    const i = index.get(p.symbol);
    const mark = input.marks[p.symbol];
    if (i === undefined || mark === undefined) {
      untouched.push(p.symbol);
      continue;
    }
    const price = Number(mark);
    held.set(i, { symbol: p.symbol, quantity: p.quantity, lot: p.lotSize ?? 1, price, mark });
    exposures[i] = p.quantity * price;
  }

  let current = input.evaluate(exposures);
  const before = { var: current.var, utilization: varUtilization(current.var, input.limit) };
  const steps: VarReductionPlan['steps'] = [];
  const maxSteps = input.maxSteps ?? 4 * Math.max(1, held.size);
  while (current.var >= goal && steps.length < maxSteps) {
    let best = -1;
    for (const [i, h] of held) if (h.quantity !== 0 && current.components[i]! > 0 && (best < 0 || current.components[i]! > current.components[best]!)) best = i;
    if (best < 0) break;
    const h = held.get(best)!;
    const component = current.components[best]!;
    const cut = Math.max(Math.min(h.lot, Math.abs(h.quantity)), cutQuantity(Math.abs(h.quantity), Math.min(1, (current.var - goal) / component), h.lot));
    h.quantity -= Math.sign(h.quantity) * cut;
    exposures[best] = h.quantity * h.price;
    steps.push({ symbol: h.symbol, component, cut });
    current = input.evaluate(exposures);
  }

  const cuts = new Map<string, number>();
  for (const s of steps) cuts.set(s.symbol, (cuts.get(s.symbol) ?? 0) + s.cut);
  const orders = [...cuts]
    .map(([symbol, quantity]) => {
      const original = input.positions.find((p) => p.symbol === symbol && p.quantity !== 0)!;
      return plannedOrder(original, quantity, input.marks[symbol], `reduce_positions: cut ${symbol} by ${quantity} to bring VaR under ${target} of its limit`);
    })
    .sort((a, b) => b.quantity - a.quantity || a.symbol.localeCompare(b.symbol));
  const after = { var: current.var, utilization: varUtilization(current.var, input.limit) };
  return { before, after, reached: after.utilization < target, orders, steps, untouched: untouched.sort() };
}
