import type { HealthStatus } from '../../../lib/core/health/health.js';
import type { Clock } from '../../../lib/core/shared/clock.js';
import type { HealthStore } from '../../../lib/ports/stores.js';
import type { ConnectionState, SupervisorStatus } from '../connection-supervisor.js';
import type { CodeClass } from '../ib-codes.js';
import { classifyCode } from '../ib-codes.js';
import type { EventSink } from './context.js';

/** Our connection states → the catalog's BrokerConnectionChanged states. Degraded is "disconnected" from IB (1100). */
const STATE_TO_EVENT: Readonly<Record<ConnectionState, 'connected' | 'disconnected' | 'reconnecting'>> = {
  connected: 'connected',
  degraded: 'disconnected',
  disconnected: 'disconnected',
  connecting: 'reconnecting',
  stopped: 'disconnected',
};

const NOTICE_SEVERITY: Readonly<Record<CodeClass, 'info' | 'warning' | 'error' | 'critical'>> = {
  connectivityLost: 'critical',
  sessionEnded: 'error',
  restored: 'info',
  farmDown: 'warning',
  farmOk: 'info',
  orderReject: 'warning',
  orderCancelled: 'info',
  cancelReject: 'warning',
  marketDataDead: 'warning',
  pacing: 'error',
  informational: 'info',
  other: 'warning',
};

/**
 * "Broker ok" means logged in and the API answers: a fresh reqCurrentTime round trip and the market
 * data farm not reported down — never merely "port open".
 * @example
 * brokerHealth(status, now, 5000) // 'ok' | 'degraded' | 'down'
 */
export function brokerHealth(status: SupervisorStatus, nowMs: number, maxRoundTripAgeMs: number): HealthStatus {
  if (!status.loggedIn) return 'down';
  if (status.state === 'degraded') return 'degraded';
  if (status.lastRoundTripAt === undefined || nowMs - status.lastRoundTripAt > maxRoundTripAgeMs) return 'degraded';
  if (status.farms.marketData === 'down') return 'degraded';
  return 'ok';
}

/**
 * Connection changes → BrokerConnectionChanged; IB system messages → BrokerNotice; the heartbeat →
 * HealthStore (`component: 'broker'`) + GatewayHeartbeat.
 */
export class ConnectionPublisher {
  constructor(
    private readonly health: HealthStore,
    private readonly sink: EventSink,
    private readonly clock: Clock,
  ) {}

  async onStateChanged(e: { from: ConnectionState; to: ConnectionState; reason: string; code?: number | undefined; attempt?: number | undefined; serverVersion?: number | undefined }): Promise<void> {
    const state = STATE_TO_EVENT[e.to];
    if (STATE_TO_EVENT[e.from] === state && e.code === undefined) return;
    await this.sink.emit('BrokerConnectionChanged', { state, reason: e.reason, code: e.code, attempt: e.attempt, serverVersion: e.serverVersion });
  }

  async onNotice(code: number, message: string, id?: number): Promise<void> {
    await this.sink.emit('BrokerNotice', { code, message, severity: NOTICE_SEVERITY[classifyCode(code)], id: id ?? -1 });
  }

  async heartbeat(status: HealthStatus, detail: Record<string, unknown> & { connected: boolean; lastRoundTripMs?: number | undefined }): Promise<void> {
    await this.health.report({ component: 'broker', status, detail, observedAt: this.clock.now().toISOString() });
    await this.sink.emit('GatewayHeartbeat', { connected: detail.connected, ...(detail.lastRoundTripMs === undefined ? {} : { lastRoundTripMs: detail.lastRoundTripMs }) });
  }
}
