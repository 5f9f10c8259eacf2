export { createMemoryStores } from './stores.js';
export { InMemoryTradingStateStore, InMemoryOrderStore, InMemoryFillStore, InMemoryPositionStore, InMemoryAccountStore, InMemoryQuoteStore, InMemoryHealthStore } from './gateway-stores.js';
export { InMemoryAuditLog, InMemoryComplianceAlertStore, InMemoryExecutionRecordStore, InMemorySurveillanceActivityStore } from './execution-stores.js';
export { InMemoryIncidentStore, InMemoryKillSwitchStore } from './kill-switch-stores.js';
export { InMemorySystemPhaseStore } from './system-phase-store.js';
export { InMemoryKeyMetricsStore } from './key-metrics-store.js';
export { InMemoryRiskStore } from './risk-store.js';
export { InMemorySignalStore } from './signal-store.js';
export { InMemoryUnlockRequestStore } from './unlock-request-store.js';
