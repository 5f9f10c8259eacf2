import type { Clock } from '../core/shared/clock.js';
import type { StateStores } from '../ports/state-stores.js';
import type { ComponentHealth } from '../core/health/health.js';
import type { RiskPolicy } from '../ports/risk.js';
import type { ProposeOrders } from '../app/risk/propose.js';
import type { EventPublisher } from '../ports/events.js';
// kill switch
import type { CommandQueue } from '../ports/command-queue.js';
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
  /** Proposes planned orders through the CIO / pre-trade path (`POST /api/risk/reduce_position`); absent: 503. */
  proposeOrders?: ProposeOrders | undefined;
  // kill switch: cancels go to the bridge's command queue (SQS FIFO / in-process), people are told through the notifier
  /** The bridge's command queue (CancelAllOrders, CancelOrder); absent: the kill-switch routes answer 503. */
  commands?: CommandQueue | undefined;
  /** SNS topics per audience / the local outbox; absent: the kill-switch routes answer 503. */
  notifier?: Notifier | undefined;
  /** How the API waits between polls (cancel verification); default a real timer. Tests advance a ManualClock. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}
