export { createDynamoDbClients, LOCAL_CREDENTIALS, type DynamoDbClientConfig, type DynamoDbClients, type DynamoTableRef } from './client.js';
export { ensureTables } from './ensure-tables.js';
export { translateDynamoError, parseRecord } from './errors.js';
export { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
export { Keys, tradingDayOf } from './keys.js';
export { DynamoDbTradingStateStore } from './trading-state-store.js';
export { DynamoDbOrderStore } from './order-store.js';
export { DynamoDbFillStore } from './fill-store.js';
export { DynamoDbPositionStore, DynamoDbAccountStore, DynamoDbQuoteStore, DynamoDbHealthStore } from './snapshot-stores.js';
export { DynamoDbAuditLog, type DynamoDbAuditLogOptions, type NextAuditEntry } from './audit-log.js';
export { createDynamoDbStores, type StateStores } from './stores.js';
export { DynamoDbSignalStore } from './signal-store.js';
export { DynamoDbRiskStore, RiskKeys } from './risk-store.js';
export { DynamoDbPriceHistoryStore } from './price-history-store.js';
export { DynamoDbUnlockRequestStore, UnlockKeys } from './unlock-request-store.js';
export { DynamoDbSystemPhaseStore } from './system-phase-store.js'; // lifecycle (issue 4)
// kill switch
export { DynamoDbIncidentStore, IncidentKeys } from './incident-store.js';
export { DynamoDbKillSwitchStore, KillSwitchKeys } from './kill-switch-store.js';
