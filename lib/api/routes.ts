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
import { archiveSessionRoute, ArchiveSessionBodySchema, pendingAlerts, shutdown, ShutdownBodySchema, startup, StartupBodySchema, systemState } from './handlers/system-lifecycle.js'; // lifecycle (issue 4)

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
  // lifecycle (issue 4): the runbook's startup and graceful shutdown, and the session archive
  route({ id: 'system.state', method: 'GET', path: '/api/system/state', role: 'viewer', summary: 'Lifecycle phase (STARTING/READY/DRAINING/STOPPED) with who, when, why; the drain; the last startup run step by step; pending orders; trading state', handler: systemState }),
  route({ id: 'system.shutdown', method: 'POST', path: '/api/system/shutdown', role: 'operator', summary: 'Graceful shutdown (202 DRAINING): no new orders, wait for working orders (→ STOPPED) or timeout_s (stays DRAINING, timed_out)', body: ShutdownBodySchema, handler: shutdown }),
  route({ id: 'system.startup', method: 'POST', path: '/api/system/startup', role: 'operator', summary: 'Run the startup workflow (202 STARTING, run_id): broker, config, stale locks, orders, positions, alerts, then READY', body: StartupBodySchema, handler: startup }),
  route({ id: 'system.pending_alerts', method: 'GET', path: '/api/system/pending_alerts', role: 'viewer', summary: 'Compliance alerts not closed and active risk alerts; "critical" ones block READY', handler: pendingAlerts }),
  route({ id: 'system.archive_session', method: 'POST', path: '/api/system/archive_session', role: 'operator', summary: 'Archive a trading day (orders, fills, trades, positions, audit head) to the backup bucket with a sha256 manifest', body: ArchiveSessionBodySchema, handler: archiveSessionRoute }),
  route({ id: 'risk.reduce_position', method: 'POST', path: '/api/risk/reduce_position', role: 'risk_manager', summary: 'Propose the orders that bring a position to a fraction of its size, through the pre-trade checks', body: ReducePositionBodySchema, handler: reducePosition }),
];
