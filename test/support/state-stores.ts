import type { Clock } from '../../lib/core/shared/clock.js';
import type { TradingState } from '../../lib/core/trading-state/trading-state.js';
import type { StateStores } from '../../lib/ports/state-stores.js';
import { InMemoryAuditLog, InMemoryComplianceAlertStore, InMemoryExecutionRecordStore, InMemorySurveillanceActivityStore } from './execution-fakes.js';
import { inMemoryStores } from './in-memory-ports.js';
import { InMemoryIncidentStore, InMemoryKillSwitchStore } from './kill-switch-fakes.js';
import { InMemorySystemPhaseStore } from './lifecycle-fakes.js';
import { InMemoryKeyMetricsStore } from './metrics-fakes.js';
import { InMemoryPriceHistoryStore } from './price-history-fakes.js';
import { InMemoryRiskStore } from './risk-fakes.js';
import { InMemorySignalStore } from './signal-fakes.js';
import { InMemoryUnlockRequestStore } from './unlock-fakes.js';

/**
 * Every state store in memory, as one StateStores bundle: the one place a test gets the whole
 * set, so a store added to the port is added here once (not in every test that needs them all).
 */
export function allInMemoryStores(clock: Pick<Clock, 'now'>, initial?: { tradingState?: TradingState }) {
  return {
    ...inMemoryStores(initial),
    audit: new InMemoryAuditLog(() => clock.now()),
    risk: new InMemoryRiskStore(),
    priceHistory: new InMemoryPriceHistoryStore(),
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
