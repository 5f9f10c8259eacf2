import type { Clock } from '../core/shared/clock.js';
import type { StateStores } from '../ports/state-stores.js';
import type { ComponentHealth } from '../core/health/health.js';
import type { RiskPolicy } from '../ports/risk.js';
import type { ProposeOrders } from '../app/risk/propose.js';
import type { EventPublisher } from '../ports/events.js';
import type { KeyMetricAlert } from '../core/metrics/key-metrics.js';
import type { CommandQueue } from '../ports/command-queue.js';
import type { UnlockDeps } from '../app/unlock/unlock-deps.js';
import type { BusOperations } from '../ports/bus-operations.js';
import type { WorkflowStarter } from '../ports/workflow-starter.js'; // lifecycle (issue 4)
import type { BlobStore } from '../ports/blob-store.js'; // lifecycle (issue 4)
// kill switch
import type { Notifier } from '../ports/notifier.js';

/** A live check of one infrastructure component (a cheap round trip, not "port open"). */
export type HealthProbe = () => Promise<Omit<ComponentHealth, 'component' | 'observedAt'>>;

/**
 * What the API's handlers need, wired by one composition root per runtime
 * (bin/local.ts locally, lambdas/api/handler.ts in AWS). Handlers never know which.
 */
export interface ApiDeps {
  clock: Clock;
  env: string;
  accountMode: 'paper' | 'live';
  stores: Omit<StateStores, 'surveillanceActivity'>;
  /** Where accepted signals and compliance actions are published (EventBridge / the in-process bus). */
  publisher: EventPublisher;
  /** Event and correlation ids. */
  newId: () => string;
  /** Infrastructure probes by component name: event_bus, state_store, blob_store. */
  probes: Readonly<Record<string, HealthProbe>>;
  /** Agents expected to heartbeat into the health store (from the agent catalog). */
  agents: ReadonlyArray<{ name: string; description: string }>;
  /** A heartbeat older than this is reported `down`. */
  heartbeatStaleAfterMs: number;
  /** Risk limits and alert thresholds in force (`GET /api/risk/limits`); absent: those of the last risk cycle. */
  riskPolicy?: RiskPolicy | undefined;
  /** The alerts.yaml entries the Key Metrics dashboard classifies readings with; absent: every level `normal`. */
  keyMetricAlerts?: ReadonlyArray<KeyMetricAlert> | undefined;
  /** Proposes planned orders through the CIO / pre-trade path (`POST /api/risk/reduce_position`); absent: 503. */
  proposeOrders?: ProposeOrders | undefined;
  /** The bridge's command queue: Reconcile (`POST /api/broker/reconcile`), CancelAllOrders / CancelOrder (kill switch); absent: those routes answer 503. */
  commands?: CommandQueue | undefined;
  /** The two-person unlock's use-case dependencies (issue 4); absent: its routes answer 503. */
  unlock?: UnlockDeps | undefined;
  /** Event bus operations (issue 4): stats, consumers, clear_stale, agent restart; absent: 503. */
  busOperations?: BusOperations | undefined;
  /**
   * Lifecycle (issue 4): starts the startup and shutdown workflows (STANDARD) and archives sessions
   * into the backup bucket; absent: those routes answer 503.
   */
  lifecycle?: { starter: WorkflowStarter; archive: BlobStore; pollSeconds: number; defaultDrainTimeoutS: number } | undefined;
  // kill switch: cancels go to the bridge's command queue (SQS FIFO / in-process), people are told through the notifier
  /** SNS topics per audience / the local outbox; absent: the kill-switch routes answer 503. */
  notifier?: Notifier | undefined;
  /** How the API waits between polls (cancel verification); default a real timer. Tests advance a ManualClock. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}
