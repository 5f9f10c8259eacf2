import { route, type RouteSpec } from './route-spec.js';
import { health, ready } from './handlers/health.js';
import { agentsStatus } from './handlers/agents-status.js';
import { positions, PositionsQuerySchema } from './handlers/positions.js';
import { pendingOrders, PendingOrdersQuerySchema } from './handlers/orders.js';
import { systemStatus } from './handlers/system-status.js';
import { trades, TradesQuerySchema } from './handlers/trades.js';

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
  route({ id: 'system.status', method: 'GET', path: '/api/system/status', role: 'viewer', summary: 'Trading state and kill switch', handler: systemStatus }),
];
