import { nextEntry } from '../../core/audit/chain.js';
import type { Clock } from '../../core/shared/clock.js';
import { DynamoDbSignalStore } from './signal-store.js';
import { DynamoDbRiskStore } from './risk-store.js';
import { DynamoDbPriceHistoryStore } from './price-history-store.js';
import { DynamoDbExecutionRecordStore } from './execution-record-store.js';
import { DynamoDbComplianceAlertStore, DynamoDbSurveillanceActivityStore } from './compliance-alert-store.js';
import type { DynamoTableRef } from './client.js';
import type { StateStores } from '../../ports/state-stores.js';
import { DynamoDbAuditLog } from './audit-log.js';
import { DynamoDbFillStore } from './fill-store.js';
import { DynamoDbOrderStore } from './order-store.js';
import { DynamoDbAccountStore, DynamoDbHealthStore, DynamoDbPositionStore, DynamoDbQuoteStore } from './snapshot-stores.js';
import { DynamoDbTradingStateStore } from './trading-state-store.js';
import { DynamoDbKeyMetricsStore } from './key-metrics-store.js';
import { DynamoDbUnlockRequestStore } from './unlock-request-store.js';
import { DynamoDbSystemPhaseStore } from './system-phase-store.js'; // lifecycle (issue 4)
// kill switch
import { DynamoDbIncidentStore } from './incident-store.js';
import { DynamoDbKillSwitchStore } from './kill-switch-store.js';

export type { StateStores };

/**
 * @example
 * const stores = createDynamoDbStores({ doc, tableName }, { clock });
 */
export function createDynamoDbStores(ref: DynamoTableRef, options: { clock: Clock }): StateStores {
  return {
    tradingState: new DynamoDbTradingStateStore(ref),
    orders: new DynamoDbOrderStore(ref),
    fills: new DynamoDbFillStore(ref),
    positions: new DynamoDbPositionStore(ref),
    accounts: new DynamoDbAccountStore(ref),
    quotes: new DynamoDbQuoteStore(ref),
    health: new DynamoDbHealthStore(ref),
    audit: new DynamoDbAuditLog(ref, { clock: options.clock, nextEntry }),
    signals: new DynamoDbSignalStore(ref),
    risk: new DynamoDbRiskStore(ref),
    priceHistory: new DynamoDbPriceHistoryStore(ref),
    executions: new DynamoDbExecutionRecordStore(ref),
    complianceAlerts: new DynamoDbComplianceAlertStore(ref),
    surveillanceActivity: new DynamoDbSurveillanceActivityStore(ref),
    keyMetrics: new DynamoDbKeyMetricsStore(ref),
    unlockRequests: new DynamoDbUnlockRequestStore(ref),
    systemPhase: new DynamoDbSystemPhaseStore(ref), // lifecycle (issue 4)
    // kill switch
    incidents: new DynamoDbIncidentStore(ref),
    killSwitch: new DynamoDbKillSwitchStore(ref),
  };
}
