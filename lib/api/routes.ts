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
import { keyMetrics } from './handlers/metrics.js';
import { incident, IncidentParamsSchema, openIncidents, resolveIncidentRoute, ResolveIncidentBodySchema } from './handlers/incidents.js';
import { z } from 'zod';
// broker resilience (issue 4)
import { lastReconciliation, ReconcileBodySchema, ReconciliationQuerySchema, requestReconcile } from './handlers/broker.js';
// two-person unlock (issue 4)
import { cancelUnlockRoute, UnlockCancelBodySchema, getUnlockRequest, listUnlockRequests, postUnlockApprove, postUnlockRequest, retryUnlockRequest, UNLOCK_ACTING_ROLES, UnlockApproveBodySchema, UnlockListQuerySchema, UnlockRequestBodySchema, UnlockRequestParamsSchema } from './handlers/unlock.js';
// event bus operations (issue 4)
import { AgentParamsSchema, ClearStaleBodySchema, eventbusClearStale, eventbusConsumers, eventbusStats, restartAgentRoute } from './handlers/eventbus.js';
import { archiveSessionRoute, ArchiveSessionBodySchema, pendingAlerts, shutdown, ShutdownBodySchema, startup, StartupBodySchema, systemState } from './handlers/system-lifecycle.js'; // lifecycle (issue 4)
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
  route({ id: 'incidents.open', method: 'GET', path: '/api/incidents', role: 'viewer', summary: 'Open incidents, oldest first (SEV1 kill switch, SEV2 strategy halt) with their timelines', handler: openIncidents }),
  route({ id: 'incidents.get', method: 'GET', path: '/api/incidents/{incidentId}', role: 'viewer', summary: 'One incident with its whole timeline', params: IncidentParamsSchema, handler: incident }),
  route({ id: 'incidents.resolve', method: 'POST', path: '/api/incidents/{incidentId}/resolve', role: ['operator', 'risk_manager'], summary: 'Resolve an incident (audited); 409 while the halt that opened it is in force', params: IncidentParamsSchema, body: ResolveIncidentBodySchema, handler: resolveIncidentRoute }),
  route({ id: 'metrics.key', method: 'GET', path: '/api/metrics', role: 'viewer', summary: 'Key Metrics dashboard: VaR utilisation, leverage, broker connected, bus latency, fill rate, slippage, each with its level against alerts.yaml', handler: keyMetrics }),
  route({ id: 'system.status', method: 'GET', path: '/api/system/status', role: 'viewer', summary: 'Trading state and kill switch', handler: systemStatus }),
  route({ id: 'risk.limits', method: 'GET', path: '/api/risk/limits', role: 'viewer', summary: 'Risk limits and alert thresholds in force (VaR limit, daily loss limit, leverage and VaR alert levels)', handler: riskLimits }),
  route({ id: 'risk.var', method: 'GET', path: '/api/risk/var', role: 'viewer', summary: '99% 1-day VaR: {"var", "limit", "utilization", level, alert, components}; 503 before the first risk cycle', handler: riskVar }),
  route({ id: 'risk.metrics', method: 'GET', path: '/api/risk/metrics', role: 'viewer', summary: 'Exposure, leverage, P&L (daily vs limit), drawdown, utilisations, active risk alerts', handler: riskMetrics }),
  route({ id: 'risk.reset_alert', method: 'POST', path: '/api/risk/reset_alert', role: 'risk_manager', summary: 'Reset a risk alert (audited); 409 while its condition holds unless "force": true', body: ResetAlertBodySchema, handler: resetAlert }),
  // two-person unlock (issue 4): who may approve is config (controls.unlock.approverRoles), checked by the use case → 403
  route({ id: 'system.unlock_request', method: 'POST', path: '/api/system/unlock_request', role: [...UNLOCK_ACTING_ROLES], summary: 'Ask to lift the halt (202 {"request_id":"REQ-…","expires_at"}); approvers are notified; requestor from the token', body: UnlockRequestBodySchema, handler: postUnlockRequest }),
  route({ id: 'system.unlock_approve', method: 'POST', path: '/api/system/unlock_approve', role: [...UNLOCK_ACTING_ROLES], summary: 'Approve an unlock request (not your own; approver roles from config); trading resumes once approvals and preconditions hold', body: UnlockApproveBodySchema, handler: postUnlockApprove }),
  route({ id: 'system.unlock_requests', method: 'GET', path: '/api/system/unlock_requests', role: 'viewer', summary: 'Unlock requests, newest first (?status=PENDING|APPROVED|EXECUTED|EXPIRED|REFUSED|CANCELLED)', query: UnlockListQuerySchema, handler: listUnlockRequests }),
  route({ id: 'system.unlock_request_get', method: 'GET', path: '/api/system/unlock_requests/{requestId}', role: 'viewer', summary: 'One unlock request: approvals, what is outstanding, preconditions and what blocks them', params: UnlockRequestParamsSchema, handler: getUnlockRequest }),
  route({ id: 'system.unlock_cancel', method: 'POST', path: '/api/system/unlock_requests/{requestId}/cancel', role: [...UNLOCK_ACTING_ROLES], summary: 'Withdraw an open unlock request (its requestor, or anyone who may approve it); trading stays HALTED; audited', params: UnlockRequestParamsSchema, body: UnlockCancelBodySchema, handler: cancelUnlockRoute }),
  route({ id: 'system.unlock_retry', method: 'POST', path: '/api/system/unlock_requests/{requestId}/retry', role: [...UNLOCK_ACTING_ROLES], summary: 'Re-check the preconditions of an approved request now and resume trading if they hold', params: UnlockRequestParamsSchema, handler: retryUnlockRequest }),
  // lifecycle (issue 4): the runbook's startup and graceful shutdown, and the session archive
  route({ id: 'system.state', method: 'GET', path: '/api/system/state', role: 'viewer', summary: 'Lifecycle phase (STARTING/READY/DRAINING/STOPPED) with who, when, why; the drain; the last startup run step by step; pending orders; trading state', handler: systemState }),
  route({ id: 'system.shutdown', method: 'POST', path: '/api/system/shutdown', role: 'operator', summary: 'Graceful shutdown (202 DRAINING): no new orders, wait for working orders (→ STOPPED) or timeout_s (stays DRAINING, timed_out)', body: ShutdownBodySchema, handler: shutdown }),
  route({ id: 'system.startup', method: 'POST', path: '/api/system/startup', role: 'operator', summary: 'Run the startup workflow (202 STARTING, run_id): broker, config, stale locks, orders, positions, alerts, then READY', body: StartupBodySchema, handler: startup }),
  route({ id: 'system.pending_alerts', method: 'GET', path: '/api/system/pending_alerts', role: 'viewer', summary: 'Compliance alerts not closed and active risk alerts; "critical" ones block READY', handler: pendingAlerts }),
  route({ id: 'system.archive_session', method: 'POST', path: '/api/system/archive_session', role: 'operator', summary: 'Archive a trading day (orders, fills, trades, positions, audit head) to the backup bucket with a sha256 manifest', body: ArchiveSessionBodySchema, handler: archiveSessionRoute }),
  // kill switch (runbook: Kill Switch Activation, Emergency Shutdown, SEV1 Response)
  route({ id: 'system.kill_switch', method: 'POST', path: '/api/system/kill_switch', role: ['operator', 'risk_manager'], summary: 'Kill switch: HALTED in one conditional write, global cancel verified at the broker, SEV1 incident, notifications; scope.strategyId halts one strategy', body: KillSwitchBodySchema, handler: killSwitch }),
  route({ id: 'system.strategy_resume', method: 'POST', path: '/api/system/strategy_resume', role: 'risk_manager', summary: 'Lift one strategy\'s halt (audited; the firm-wide halt needs the two-person unlock)', body: StrategyResumeBodySchema, handler: strategyResume }),
  route({ id: 'system.trading_mode', method: 'POST', path: '/api/system/trading_mode', role: ['operator', 'risk_manager'], summary: 'REDUCING (only exposure-reducing orders) or back to ACTIVE (risk manager); 409 from HALTED', body: TradingModeBodySchema, handler: tradingMode }),
  route({ id: 'orders.cancel_all', method: 'POST', path: '/api/orders/cancel_all', role: ['operator', 'risk_manager'], summary: 'Cancel every working order at the broker ("force": true) and report the verification', body: CancelAllBodySchema, handler: cancelAll }),
  route({ id: 'system.notify_emergency', method: 'POST', path: '/api/system/notify_emergency', role: ['operator', 'risk_manager'], summary: 'CRITICAL notification to on-call, risk, compliance and management (audited)', body: NotifyEmergencyBodySchema, handler: notifyEmergencyRoute }),
  route({ id: 'risk.reduce_position', method: 'POST', path: '/api/risk/reduce_position', role: 'risk_manager', summary: 'Propose the orders that bring a position to a fraction of its size, through the pre-trade checks', body: ReducePositionBodySchema, handler: reducePosition }),
  // broker resilience (issue 4)
  route({ id: 'broker.reconcile', method: 'POST', path: '/api/broker/reconcile', role: 'operator', summary: 'Ask the bridge to reconcile orders, executions and positions with the broker now (202 + correlation_id)', body: ReconcileBodySchema, handler: requestReconcile }),
  route({ id: 'broker.reconciliation', method: 'GET', path: '/api/broker/reconciliation', role: 'viewer', summary: 'The last reconciliation: aligned, differences, adopted external orders, fills recovered, broker positions (?correlation_id= → pending until done)', query: ReconciliationQuerySchema, handler: lastReconciliation }),
  // --- event bus operations (issue 4: runbook "Issue: Event Bus Backlog") ---
  route({ id: 'eventbus.stats', method: 'GET', path: '/api/eventbus/stats', role: 'viewer', summary: 'Per consumer: backlog, age of oldest, in flight, delivered/failed, latency p50/p99, DLQ depth; backlog_total (runbook: > 1000 → consider clear_stale)', handler: eventbusStats }),
  route({ id: 'eventbus.consumers', method: 'GET', path: '/api/eventbus/consumers', role: 'viewer', summary: 'Each consumer with the detail types it consumes, concurrency and status, slowest first', handler: eventbusConsumers }),
  route({ id: 'eventbus.clear_stale', method: 'POST', path: '/api/eventbus/clear_stale', role: 'operator', summary: 'Drop stale market data only (never orders, fills or audited events) after archiving it; audited', body: ClearStaleBodySchema, handler: eventbusClearStale }),
  route({ id: 'agents.restart', method: 'POST', path: '/api/agents/restart/{agent}', role: 'operator', summary: 'Restart an agent: in-flight deliveries finish, its backlog is kept; audited; 404 lists the known agents', params: AgentParamsSchema, handler: restartAgentRoute }),
  // --- end event bus operations ---
];
