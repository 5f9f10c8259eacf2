/**
 * Pre-trade checks: risk ∥ compliance as pure functions over a prepared snapshot of current state.
 *
 * @example
 * import { prepareContext, prepareOrder, checkRisk, checkCompliance, checkOrder } from '../core/pretrade/index.js';
 * const ctx = prepareContext({ asOf, tradingMode, limits, compliance, account, positions, quotes, workingOrders, dailyPnl, var, messagesInWindow, … });
 * const order = prepareOrder({ ...proposedOrder, marginalVar: '350', locate: false });
 * const risk = checkRisk(order, ctx);             // the workflow's RiskCheck task
 * const compliance = checkCompliance(order, ctx); // the workflow's ComplianceCheck task
 * // in process: checkOrder(order, ctx) === mergeResults(risk, compliance)
 */
export { checkCompliance, checkOrder, checkRisk, mergeResults, type PretradeResult } from './check.js';
export { prepareContext, type BlackoutWindow, type ContextOrder, type ContextPosition, type ContextQuote, type OrderActivity, type PreparedContext, type PretradeContextInput } from './context.js';
export { reducesExposure } from './exposure.js';
export { ComplianceRulesSchema, IB_HARD_MESSAGES_PER_SECOND, IB_MAX_ACTIVE_ORDERS_PER_CONTRACT_SIDE, RiskLimitsSchema, RUNBOOK_THRESHOLDS, type ComplianceRules, type ComplianceRulesInput, type RiskLimits, type RiskLimitsInput } from './limits.js';
export { prepareOrder, type PreparedOrder, type PretradeOrderInput } from './order.js';
export { ComplianceReason, EXPOSURE_REASONS, PretradeWarning, RiskReason, type DenialCode, type PretradeReason } from './reason-codes.js';
export { MAX_MONEY_MICROS, MICROS_PER_UNIT } from './units.js';
