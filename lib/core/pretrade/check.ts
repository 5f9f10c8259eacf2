import { blackoutRule, COMPLIANCE_RULES, layeringRule, orderToTradeRule, restrictedRule, shortSaleRule, washTradeRule } from './compliance-rules.js';
import { UNKNOWN_SYMBOL, type PreparedContext, type SymbolState } from './context.js';
import { Findings, type OrderView } from './evaluation.js';
import { reducesExposure } from './exposure.js';
import type { PreparedOrder } from './order.js';
import type { DenialCode, PretradeReason, PretradeWarning } from './reason-codes.js';
import { activeOrdersRule, duplicateRule, exposureRules, messageRateRule, orderNotionalRule, orderQuantityRule, priceCollarRule, RISK_RULES, tradingStateRule } from './risk-rules.js';

/**
 * The outcome of a pre-trade check. `approved` is true exactly when `reasons` is empty; warnings
 * never deny. Every failing rule is listed (not only the first), each with a stable code and a
 * message naming the numbers.
 * @example
 * { approved: false, reducesExposure: false, reasons: [{ code: 'RISK.MAX_ORDER_QUANTITY', message: 'order quantity 6000 exceeds the maximum of 5000' }], warnings: [] }
 */
export interface PretradeResult {
  readonly approved: boolean;
  /** Whether the order only shrinks its position toward zero (`exposure.ts`). */
  readonly reducesExposure: boolean;
  readonly reasons: readonly PretradeReason<DenialCode>[];
  readonly warnings: readonly PretradeReason<PretradeWarning>[];
}

const NONE: readonly never[] = Object.freeze([]);

function marketCrossPx(side: 1 | -1, s: SymbolState): number {
  const touch = side === 1 ? s.ask : s.bid;
  return Number.isNaN(touch) ? side * Infinity : touch;
}

function viewOf(o: PreparedOrder, ctx: PreparedContext): OrderView {
  const s = ctx.symbols.get(o.symbol) ?? UNKNOWN_SYMBOL;
  return {
    s,
    reduces: reducesExposure(s.position, o.side, o.quantity, o.side === 1 ? s.workingBuyQty : s.workingSellQty),
    px: o.isMarket ? s.reference : o.limitPx,
    ownPx: o.isMarket ? o.side * Infinity : o.limitPx,
    crossPx: o.isMarket ? marketCrossPx(o.side, s) : o.limitPx,
  };
}

// Direct calls, not a loop over the rule arrays: each call site stays monomorphic, so V8 can inline
// the rules (a loop over 14 functions is one megamorphic site). RISK_RULES / COMPLIANCE_RULES list
// the same functions in the same order; a test holds the two in step.
function runRisk(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  tradingStateRule(o, ctx, v, f);
  messageRateRule(o, ctx, v, f);
  orderQuantityRule(o, ctx, v, f);
  priceCollarRule(o, ctx, v, f);
  orderNotionalRule(o, ctx, v, f);
  activeOrdersRule(o, ctx, v, f);
  duplicateRule(o, ctx, v, f);
  exposureRules(o, ctx, v, f);
}

function runCompliance(o: PreparedOrder, ctx: PreparedContext, v: OrderView, f: Findings): void {
  restrictedRule(o, ctx, v, f);
  blackoutRule(o, ctx, v, f);
  shortSaleRule(o, ctx, v, f);
  orderToTradeRule(o, ctx, v, f);
  washTradeRule(o, ctx, v, f);
  layeringRule(o, ctx, v, f);
}

/** The rules each branch runs, in order (for docs and the API's listing). */
export const RULES = { risk: RISK_RULES, compliance: COMPLIANCE_RULES } as const;

function result(v: OrderView, f: Findings): PretradeResult {
  return { approved: f.reasons === undefined, reducesExposure: v.reduces, reasons: f.reasons ?? NONE, warnings: f.warnings ?? NONE };
}

/**
 * Risk rules only (the risk branch of the pre-trade workflow): trading state, message rate, size,
 * price collar, notional, active orders, duplicates, exposure, buying power, leverage, daily loss, VaR.
 * Pure: reads numbers only, allocates only the result and the findings it reports.
 * @example const r = checkRisk(prepareOrder(order), prepareContext(input)); if (!r.approved) deny(r.reasons[0].code)
 */
export function checkRisk(order: PreparedOrder, ctx: PreparedContext): PretradeResult {
  const v = viewOf(order, ctx);
  const f = new Findings();
  runRisk(order, ctx, v, f);
  return result(v, f);
}

/**
 * Compliance rules only (the compliance branch): restricted list, blackout, short sale, order-to-trade
 * ratio, wash trade, layering.
 * @example checkCompliance(prepareOrder(order), ctx).reasons.map((d) => d.code) // ['COMPLIANCE.RESTRICTED_INSTRUMENT']
 */
export function checkCompliance(order: PreparedOrder, ctx: PreparedContext): PretradeResult {
  const v = viewOf(order, ctx);
  const f = new Findings();
  runCompliance(order, ctx, v, f);
  return result(v, f);
}

/**
 * Every risk and compliance rule, in one pass: what the benchmark times and what an in-process
 * caller (the local runtime, `reduce-position`) uses.
 * @example
 * const ctx = prepareContext(input);                       // once per state snapshot
 * const r = checkOrder(prepareOrder(proposed), ctx);        // per order, ~1 µs
 * r.approved ? approve(r.warnings) : deny(r.reasons);
 */
export function checkOrder(order: PreparedOrder, ctx: PreparedContext): PretradeResult {
  const v = viewOf(order, ctx);
  const f = new Findings();
  runRisk(order, ctx, v, f);
  runCompliance(order, ctx, v, f);
  return result(v, f);
}

/**
 * Combines the two branches' results (the workflow runs them in parallel): approved only if both are.
 * @example mergeResults(checkRisk(o, ctx), checkCompliance(o, ctx))
 */
export function mergeResults(risk: PretradeResult, compliance: PretradeResult): PretradeResult {
  return {
    approved: risk.approved && compliance.approved,
    reducesExposure: risk.reducesExposure,
    reasons: risk.reasons.length === 0 ? compliance.reasons : compliance.reasons.length === 0 ? risk.reasons : [...risk.reasons, ...compliance.reasons],
    warnings: risk.warnings.length === 0 ? compliance.warnings : compliance.warnings.length === 0 ? risk.warnings : [...risk.warnings, ...compliance.warnings],
  };
}
