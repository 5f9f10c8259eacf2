import { route, type RouteSpec } from './route-spec.js';
import { health, ready } from './handlers/health.js';
import { agentsStatus } from './handlers/agents-status.js';
import { positions, PositionsQuerySchema } from './handlers/positions.js';
import { pendingOrders, PendingOrdersQuerySchema } from './handlers/orders.js';
import { systemStatus } from './handlers/system-status.js';
import { trades, TradesQuerySchema } from './handlers/trades.js';
import { reducePosition, ReducePositionBodySchema, resetAlert, ResetAlertBodySchema, riskLimits, riskMetrics, riskVar } from './handlers/risk.js';
import { postSignal } from './handlers/signals.js';
import { executionStats, ExecutionStatsQuerySchema } from './handlers/execution.js';
import { AlertParamsSchema, complianceAction, ComplianceActionBodySchema, complianceAlert, complianceAlerts, complianceStatus, ListAlertsQuerySchema } from './handlers/compliance.js';
import { z } from 'zod';
// kill switch
import { cancelAll, CancelAllBodySchema, killSwitch, KillSwitchBodySchema, notifyEmergencyRoute, NotifyEmergencyBodySchema, strategyResume, StrategyResumeBodySchema, tradingMode, TradingModeBodySchema } from './handlers/kill-switch.js';

/**
 * THE route table: the local server on :8080 and the API Gateway HTTP API (one route per row,
 * one Lambda) are both built from it. A route not here does not exist anywhere.
 * Roles are enforced by the JWT authorizer (AWS) and the local verifier once access control lands;
 * until then only `public` and read-only `viewer` routes exist.
 */
export const ROUTES: ReadonlyArray<RouteSpec> = [
  route({ id: 'health', method: 'GET', path: '/health', role: 'public', summary: 'Health of every component (broker, bus, stores, agents)', handler: health }),
  route({ id: 'ready', method: 'GET', path: '/ready', role: 'public', summary: 'Body contains "ready" once the system can trade; 503 otherwise', handler: ready }),
  route({ id: 'agents.status', method: 'GET', path: '/api/agents/status', role: 'viewer', summary: 'Each agent with its last heartbeat', handler: agentsStatus }),
  route({ id: 'positions.list', method: 'GET', path: '/api/positions', role: 'viewer', summary: 'Broker-reported positions with market value and P&L', query: PositionsQuerySchema, handler: positions }),
  route({ id: 'orders.pending', method: 'GET', path: '/api/orders/pending', role: 'viewer', summary: 'Working orders: {"count": N, "orders": [...]}', query: PendingOrdersQuerySchema, handler: pendingOrders }),
  route({ id: 'trades.list', method: 'GET', path: '/api/trades', role: 'viewer', summary: 'Executions of a trading day (?date=today|YYYY-MM-DD) with strategy and notional', query: TradesQuerySchema, handler: trades }),
  route({ id: 'signals.create', method: 'POST', path: '/api/signals', role: 'operator', summary: 'Submit a trading signal (202); 400 names each bad field; 409 on a reused signalId', body: z.unknown(), handler: postSignal }),
  route({ id: 'execution.stats', method: 'GET', path: '/api/execution/stats', role: 'viewer', summary: 'Execution quality: fill rate, avg/p95 slippage bps, time to fill, by strategy or instrument', query: ExecutionStatsQuerySchema, handler: executionStats }),
  route({ id: 'compliance.alerts', method: 'GET', path: '/api/compliance/alerts', role: 'viewer', summary: 'Surveillance alerts (MAR Art 16), filterable by status, severity, type', query: ListAlertsQuerySchema, handler: complianceAlerts }),
  route({ id: 'compliance.alert', method: 'GET', path: '/api/compliance/alerts/{alertId}', role: 'compliance', summary: 'One alert with its evidence and history', params: AlertParamsSchema, handler: complianceAlert }),
  route({ id: 'compliance.action', method: 'POST', path: '/api/compliance/alerts/{alertId}/actions', role: 'compliance', summary: 'Record an action on an alert (audited); moves its status when the action implies it', params: AlertParamsSchema, body: ComplianceActionBodySchema, handler: complianceAction }),
  route({ id: 'compliance.status', method: 'GET', path: '/api/compliance/status', role: 'viewer', summary: 'Alert counts by status and severity, oldest open alert', handler: complianceStatus }),
  route({ id: 'system.status', method: 'GET', path: '/api/system/status', role: 'viewer', summary: 'Trading state and kill switch', handler: systemStatus }),
  route({ id: 'risk.limits', method: 'GET', path: '/api/risk/limits', role: 'viewer', summary: 'Risk limits and alert thresholds in force (VaR limit, daily loss limit, leverage and VaR alert levels)', handler: riskLimits }),
  route({ id: 'risk.var', method: 'GET', path: '/api/risk/var', role: 'viewer', summary: '99% 1-day VaR: {"var", "limit", "utilization", level, alert, components}; 503 before the first risk cycle', handler: riskVar }),
  route({ id: 'risk.metrics', method: 'GET', path: '/api/risk/metrics', role: 'viewer', summary: 'Exposure, leverage, P&L (daily vs limit), drawdown, utilisations, active risk alerts', handler: riskMetrics }),
  route({ id: 'risk.reset_alert', method: 'POST', path: '/api/risk/reset_alert', role: 'risk_manager', summary: 'Reset a risk alert (audited); 409 while its condition holds unless "force": true', body: ResetAlertBodySchema, handler: resetAlert }),
  // kill switch (runbook: Kill Switch Activation, Emergency Shutdown, SEV1 Response)
  route({ id: 'system.kill_switch', method: 'POST', path: '/api/system/kill_switch', role: ['operator', 'risk_manager'], summary: 'Kill switch: HALTED in one conditional write, global cancel verified at the broker, SEV1 incident, notifications; scope.strategyId halts one strategy', body: KillSwitchBodySchema, handler: killSwitch }),
  route({ id: 'system.strategy_resume', method: 'POST', path: '/api/system/strategy_resume', role: 'risk_manager', summary: 'Lift one strategy\'s halt (audited; the firm-wide halt needs the two-person unlock)', body: StrategyResumeBodySchema, handler: strategyResume }),
  route({ id: 'system.trading_mode', method: 'POST', path: '/api/system/trading_mode', role: ['operator', 'risk_manager'], summary: 'REDUCING (only exposure-reducing orders) or back to ACTIVE (risk manager); 409 from HALTED', body: TradingModeBodySchema, handler: tradingMode }),
  route({ id: 'orders.cancel_all', method: 'POST', path: '/api/orders/cancel_all', role: ['operator', 'risk_manager'], summary: 'Cancel every working order at the broker ("force": true) and report the verification', body: CancelAllBodySchema, handler: cancelAll }),
  route({ id: 'system.notify_emergency', method: 'POST', path: '/api/system/notify_emergency', role: ['operator', 'risk_manager'], summary: 'CRITICAL notification to on-call, risk, compliance and management (audited)', body: NotifyEmergencyBodySchema, handler: notifyEmergencyRoute }),
  route({ id: 'risk.reduce_position', method: 'POST', path: '/api/risk/reduce_position', role: 'risk_manager', summary: 'Propose the orders that bring a position to a fraction of its size, through the pre-trade checks', body: ReducePositionBodySchema, handler: reducePosition }),
];
