import type { Clock } from '../../core/shared/clock.js';
import type { StateStores } from '../../ports/state-stores.js';
import { InMemoryAuditLog, InMemoryComplianceAlertStore, InMemoryExecutionRecordStore, InMemorySurveillanceActivityStore } from './execution-stores.js';
import { InMemoryAccountStore, InMemoryFillStore, InMemoryHealthStore, InMemoryOrderStore, InMemoryPositionStore, InMemoryQuoteStore, InMemoryTradingStateStore } from './gateway-stores.js';
import { InMemoryIncidentStore, InMemoryKillSwitchStore } from './kill-switch-stores.js';
import { InMemorySystemPhaseStore } from './system-phase-store.js';
import { InMemoryKeyMetricsStore } from './key-metrics-store.js';
import { InMemoryPriceHistoryStore } from './price-history-store.js';
import { InMemoryRiskStore } from './risk-store.js';
import { InMemorySignalStore } from './signal-store.js';
import { InMemoryUnlockRequestStore } from './unlock-request-store.js';

/**
 * Every state store in process memory, as one StateStores bundle (beside createDynamoDbStores):
 * the local runtime's fast, non-persistent backend and the tests' stores. State is lost with the process.
 * @example
 * const stores = createMemoryStores({ clock });
 */
export function createMemoryStores(options: { clock: Pick<Clock, 'now'> }) {
  // Inferred, not widened to StateStores: callers (tests) keep the concrete classes' extras.
  return {
    tradingState: new InMemoryTradingStateStore(),
    orders: new InMemoryOrderStore(),
    fills: new InMemoryFillStore(),
    positions: new InMemoryPositionStore(),
    accounts: new InMemoryAccountStore(),
    quotes: new InMemoryQuoteStore(),
    health: new InMemoryHealthStore(),
    audit: new InMemoryAuditLog(() => options.clock.now()),
    signals: new InMemorySignalStore(),
    risk: new InMemoryRiskStore(),
    priceHistory: new InMemoryPriceHistoryStore(),
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
