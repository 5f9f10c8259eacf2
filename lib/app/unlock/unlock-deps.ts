import type { UnlockPolicy, UnlockRequestId } from '../../core/controls/unlock-request.js';
import type { Clock } from '../../core/shared/clock.js';
import type { EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { Notifier } from '../../ports/notifier.js';
import type { RiskStore } from '../../ports/risk.js';
import type { AuditLog, HealthStore, OrderStore, TradingStateStore } from '../../ports/stores.js';
import type { TaskTokens } from '../../ports/task-tokens.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';
import type { UnlockRequestStore } from '../../ports/unlock-requests.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';

/** The workflow catalog's name for the unlock state machine. */
export const UNLOCK_WORKFLOW = 'unlock';

/**
 * What the unlock use cases need; each composition root (local runtime, API Lambda, task Lambdas)
 * builds it once. `tokens` and `workflows` are absent where no workflow runs (unit tests): every
 * rule still holds, an approval that completes the request then executes it inline.
 */
export interface UnlockDeps {
  requests: UnlockRequestStore;
  tradingState: TradingStateStore;
  health: HealthStore;
  orders: OrderStore;
  risk: RiskStore;
  audit: AuditLog;
  publisher: EventPublisher;
  notifier: Notifier;
  clock: Clock;
  newEventId: () => string;
  newRequestId: () => UnlockRequestId;
  policy: UnlockPolicy;
  /** A broker heartbeat older than this does not count as "connected". */
  brokerStaleAfterMs: number;
  /** How often the workflow re-checks the preconditions of an approved but blocked request. */
  recheckSeconds: number;
  /** The kill switch's records: the incident of the halt an unlock lifts gets a TRADING_RESUMED line. Absent: no timeline entry. */
  incidents?: { killSwitch: Pick<KillSwitchStore, 'getActivation'>; store: Pick<IncidentStore, 'appendTimeline'> } | undefined;
  tokens?: TaskTokens | undefined;
  workflows?: WorkflowStarter | undefined;
  logger?: Logger | undefined;
}

/** The unlock settings of config (`controls.unlock`), as the use cases take them. */
export interface UnlockSettings {
  policy: UnlockPolicy;
  recheckSeconds: number;
}
