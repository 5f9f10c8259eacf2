import { createEvent } from '../../core/events/catalog.js';
import type { TradingMode } from '../../core/trading-state/trading-state.js';
import type { Clock } from '../../core/shared/clock.js';
import type { CommandQueue } from '../../ports/command-queue.js';
import type { EventPublisher } from '../../ports/events.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';
import type { Logger } from '../../ports/logger.js';
import type { Notification, Notifier } from '../../ports/notifier.js';
import type { AuditLog, OrderStore, TradingStateStore } from '../../ports/stores.js';

/** What the kill-switch use cases take (the API wires them from ApiDeps in both runtimes). */
export interface KillSwitchDeps {
  tradingState: TradingStateStore;
  killSwitch: KillSwitchStore;
  incidents: IncidentStore;
  orders: OrderStore;
  audit: AuditLog;
  commands: CommandQueue;
  notifier: Notifier;
  publisher: EventPublisher;
  clock: Clock;
  /** ULIDs: event ids and incident ids (`INC-<ulid>`). */
  newId: () => string;
  logger: Logger;
}

/** The people told about a kill switch (runbook SEV1 step 3: on-call, risk manager, compliance). */
export const KILL_SWITCH_AUDIENCE = ['oncall', 'risk_manager', 'compliance'] as const;
/** `notify-emergency` adds management (SEV1 step 3: "Management (if required)"): an emergency is that case. */
export const EMERGENCY_AUDIENCE = ['oncall', 'risk_manager', 'compliance', 'management'] as const;

/**
 * Sends a notification without letting a notifier outage undo or fail the control action that
 * already took effect: the failure is logged and reported to the caller as `false`.
 * @internal
 */
export async function notifySafely(deps: Pick<KillSwitchDeps, 'notifier' | 'logger'>, n: Notification): Promise<boolean> {
  try {
    await deps.notifier.notify(n);
    return true;
  } catch (e) {
    deps.logger.error('notification failed; the action itself stands', { subject: n.subject, error: e instanceof Error ? e.message : String(e) });
    return false;
  }
}

/** Publishes TradingStateChanged after a successful conditional write (consumers: audit recorder, and any agent that caches the mode). @internal */
export async function publishStateChanged(deps: Pick<KillSwitchDeps, 'publisher' | 'clock' | 'newId' | 'logger'>, change: { from: TradingMode; to: TradingMode; version: number; changedBy: string; reason: string }, correlationId: string): Promise<boolean> {
  try {
    await deps.publisher.publish([createEvent('TradingStateChanged', change, { eventId: deps.newId(), now: deps.clock.now(), correlationId })]);
    return true;
  } catch (e) {
    // The stored record is the truth (the bridge re-reads it per order); the event is information.
    deps.logger.error('TradingStateChanged not published; the state change stands', { error: e instanceof Error ? e.message : String(e), correlationId });
    return false;
  }
}
