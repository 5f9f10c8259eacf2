import type { ComplianceAlertStore, SurveillanceActivityStore } from './compliance-alerts.js';
import type { ExecutionRecordStore } from './execution.js';
import type { RiskStore } from './risk.js';
import type { SignalStore } from './signals.js';
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
  executions: ExecutionRecordStore;
  complianceAlerts: ComplianceAlertStore;
  surveillanceActivity: SurveillanceActivityStore;
  // kill switch: incidents (SEV1 on activation), halted strategies, last activation and cancel verification
  incidents: IncidentStore;
  killSwitch: KillSwitchStore;
}
