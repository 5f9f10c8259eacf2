import type { ComplianceAlertStore, SurveillanceActivityStore } from './compliance-alerts.js';
import type { ExecutionRecordStore } from './execution.js';
import type { KeyMetricsStore } from './metrics.js';
import type { PriceHistoryStore } from './price-history.js';
import type { RiskStore } from './risk.js';
import type { SignalStore } from './signals.js';
import type { UnlockRequestStore } from './unlock-requests.js';
import type { SystemPhaseStore } from './system-phase.js'; // lifecycle (issue 4)
// kill switch
import type { IncidentStore } from './incidents.js';
import type { KillSwitchStore } from './kill-switch.js';
import type { AccountStore, AuditLog, FillStore, HealthStore, OrderStore, PositionStore, QuoteStore, TradingStateStore } from './stores.js';

/**
 * Every state-store port, as one bundle: what the composition roots build (DynamoDB in both
 * runtimes) and what the API handlers and the agents receive.
 */
export interface StateStores {
  tradingState: TradingStateStore;
  orders: OrderStore;
  fills: FillStore;
  positions: PositionStore;
  accounts: AccountStore;
  quotes: QuoteStore;
  health: HealthStore;
  audit: AuditLog;
  signals: SignalStore;
  /** The risk agent's latest snapshot and alerts. */
  risk: RiskStore;
  /** Daily closes per symbol (the bridge writes them from IB's daily bars; VaR reads them). */
  priceHistory: PriceHistoryStore;
  executions: ExecutionRecordStore;
  complianceAlerts: ComplianceAlertStore;
  surveillanceActivity: SurveillanceActivityStore;
  /** The Key Metrics dashboard's latest readings (written by the metrics agent). */
  keyMetrics: KeyMetricsStore;
  /** Two-person unlock requests (issue 4). */
  unlockRequests: UnlockRequestStore;
  /** Lifecycle (issue 4): the system phase, its drain and the last startup run. */
  systemPhase: SystemPhaseStore;
  // kill switch: incidents (SEV1 on activation), halted strategies, last activation and cancel verification
  incidents: IncidentStore;
  killSwitch: KillSwitchStore;
}
