import type { Clock } from '../../core/shared/clock.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import type { StateStores } from '../../ports/state-stores.js';
import { InMemoryAuditLog, InMemoryComplianceAlertStore, InMemoryExecutionRecordStore, InMemorySurveillanceActivityStore } from './execution-stores.js';
import { inMemoryStores } from './gateway-stores.js';
import { InMemoryIncidentStore, InMemoryKillSwitchStore } from './kill-switch-stores.js';
import { InMemorySystemPhaseStore } from './system-phase-store.js';
import { InMemoryKeyMetricsStore } from './key-metrics-store.js';
import { InMemoryRiskStore } from './risk-store.js';
import { InMemorySignalStore } from './signal-store.js';
import { InMemoryUnlockRequestStore } from './unlock-request-store.js';

/**
 * Every state store in memory, as one StateStores bundle: the one place a test gets the whole
 * set, so a store added to the port is added here once (not in every test that needs them all).
 */
export function allInMemoryStores(clock: Pick<Clock, 'now'>, initial?: { tradingState?: TradingState }) {
  return {
    ...inMemoryStores(initial),
    audit: new InMemoryAuditLog(() => clock.now()),
    risk: new InMemoryRiskStore(),
    signals: new InMemorySignalStore(),
    executions: new InMemoryExecutionRecordStore(),
    complianceAlerts: new InMemoryComplianceAlertStore(),
    surveillanceActivity: new InMemorySurveillanceActivityStore(),
    keyMetrics: new InMemoryKeyMetricsStore(),
    unlockRequests: new InMemoryUnlockRequestStore(),
    systemPhase: new InMemorySystemPhaseStore(),
    incidents: new InMemoryIncidentStore(),
    killSwitch: new InMemoryKillSwitchStore(),
  } satisfies StateStores;
}
