/** The risk agent's public API (use cases over ports; the composition roots wire them). */
export { createRiskAgent, RISK_AGENT_EVENTS, type RiskAgent, type RiskAgentOptions } from './risk-agent.js';
export { runRiskCycle, varLevels, conditionOf, RISK_AGENT_ACTOR, type ReturnsSource, type VarReturns, type RiskCycleDeps, type RiskCycleOptions, type RiskCycleResult } from './risk-cycle.js';
export { resetRiskAlert, ResetAlertCode, type ResetAlertRequest, type ResetAlertError } from './reset-alert.js';
export { reducePosition, ReducePositionCode, type ReducePositionRequest, type ReducePositionResult } from './reduce-position.js';
export { riskPolicyFromConfig, RUNBOOK_RISK_ALERTS, DAILY_LOSS_ALERT, VAR_HISTORY_ALERT } from './policy.js';
export { anyRefused, type ProposeOrders, type ProposeOrdersReason, type ProposedOrderOutcome } from './propose.js';
export { createPretradeProposer, type PretradeProposerOptions } from './propose-via-pretrade.js';
export { storedHistoryReturns, type StoredHistoryOptions } from './stored-history.js';
