import { auditLogContract } from '../contracts/audit-log.contract.js';
import { memoryBackend } from '../contracts/backends.js';
import { complianceStoresContract } from '../contracts/compliance-stores.contract.js';
import { fillStoreContract } from '../contracts/fill-store.contract.js';
import { keyMetricsStoreContract } from '../contracts/key-metrics-store.contract.js';
import { killSwitchStoresContract } from '../contracts/kill-switch-stores.contract.js';
import { orderStoreContract } from '../contracts/order-store.contract.js';
import { riskStoreContract } from '../contracts/risk-store.contract.js';
import { signalStoreContract } from '../contracts/signal-store.contract.js';
import { snapshotStoresContract } from '../contracts/snapshot-stores.contract.js';
import { systemPhaseStoreContract } from '../contracts/system-phase-store.contract.js';
import { tradingStateStoreContract } from '../contracts/trading-state-store.contract.js';
import { unlockRequestStoreContract } from '../contracts/unlock-request-store.contract.js';

// Every state port's contract against the in-memory stores: the same cases test/adapters/dynamodb runs against dynalite.
orderStoreContract(memoryBackend);
fillStoreContract(memoryBackend);
tradingStateStoreContract(memoryBackend);
snapshotStoresContract(memoryBackend);
auditLogContract(memoryBackend);
signalStoreContract(memoryBackend);
riskStoreContract(memoryBackend);
complianceStoresContract(memoryBackend);
keyMetricsStoreContract(memoryBackend);
unlockRequestStoreContract(memoryBackend);
systemPhaseStoreContract(memoryBackend);
killSwitchStoresContract(memoryBackend);
