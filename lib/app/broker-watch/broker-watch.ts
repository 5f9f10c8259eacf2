import { z } from 'zod';
import type { BrokerHalt, BrokerHaltKind } from '../../core/broker/broker-halt.js';
import { BROKER_WATCH_ACTOR, BrokerHaltKind as Kind, brokerHaltOf, brokerHaltReason } from '../../core/broker/broker-halt.js';
import type { MaintenanceWindowSpec } from '../../core/broker/maintenance.js';
import { activeMaintenanceWindow } from '../../core/broker/maintenance.js';
import type { BrokerReconciled } from '../../core/broker/reconciliation.js';
import { createEvent, parseEvent } from '../../core/events/catalog.js';
import type { BrokerConnectionChanged } from '../../core/events/gateway-events.js';
import type { Clock } from '../../core/shared/clock.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import { nextState } from '../../core/trading-state/transitions.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { Audience, Notifier, Severity } from '../../ports/notifier.js';
import type { HealthStore, TradingStateStore } from '../../ports/stores.js';

/**
 * What broker-watch acts on, mapped from config by the composition root: the `broker_disconnect`
 * alert of alerts.yaml (severity, audience, action) and the gateway's maintenance windows.
 */
export const BrokerWatchSettingsSchema = z.strictObject({
  alert: z.strictObject({
    severity: z.enum(['WARNING', 'CRITICAL']),
    notify: z.array(z.enum(['oncall', 'risk_manager', 'compliance', 'management'])).min(1),
    /** `halt_trading` (the runbook's): halt on loss of the broker; absent: page only. */
    haltTrading: z.boolean(),
  }),
  maintenanceWindows: z.array(z.strictObject({ name: z.string(), at: z.string(), days: z.array(z.string()).optional(), timezone: z.string(), durationMinutes: z.number() })),
});
export type BrokerWatchSettings = z.infer<typeof BrokerWatchSettingsSchema>;

/** When config has no `broker_disconnect` alert: the runbook's. */
export const DEFAULT_BROKER_WATCH_ALERT: BrokerWatchSettings['alert'] = { severity: 'CRITICAL', notify: ['oncall'], haltTrading: true };

export interface BrokerWatchDeps {
  readonly tradingState: TradingStateStore;
  readonly health: HealthStore;
  readonly publisher: EventPublisher;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly settings: () => BrokerWatchSettings;
}

/**
 * The broker-watch agent: the runbook's `broker_disconnect` alert (metric broker_connected false →
 * CRITICAL, notify oncall, action halt_trading) as an event consumer.
 *
 * - On `BrokerConnectionChanged` disconnected (socket lost, IB 1100/2110, a silent peer the
 *   watchdog closed): trading → HALTED with ONE conditional write (changedBy
 *   `system:broker-watch`, reason `broker_disconnect: … [resume: <mode before>]`),
 *   TradingStateChanged (audited), oncall paged.
 * - Inside a known maintenance window (IBC's daily restart, Sunday re-auth) the halt is written as
 *   `broker_maintenance` and NOBODY is paged. DECISION: trading is halted in maintenance too — the
 *   bridge could not send anyway, and a halt makes pre-trade deny at once instead of approving
 *   orders that would wait in the queue and go out minutes later at stale prices. It is lifted by
 *   the same path as any broker halt. If the disconnect outlives the window, the bridge pages.
 * - On `BrokerReconciled`: aligned → lifts ITS OWN halt back to the mode before it, only if the
 *   record is still the one it wrote (a person's halt in between is never lifted; the conditional
 *   write loses to any concurrent change) and the reconciliation is newer than the halt. Not aligned
 *   → halts (`broker_mismatch`) or stays halted, and pages with what differs.
 * - Already HALTED by a person: nothing is written; a disconnect outside a window still pages.
 *
 * Idempotent under at-least-once delivery: a repeated disconnect finds its own halt and neither
 * writes nor pages again.
 * @example
 * bus.subscribe(['BrokerConnectionChanged', 'BrokerReconciled'], createBrokerWatch(deps));
 */
export function createBrokerWatch(deps: BrokerWatchDeps): EventHandler {
  const log = deps.logger;

  async function write(current: TradingState, next: { mode: TradingState['mode']; reason: string }, correlationId: string): Promise<TradingState | undefined> {
    const now = deps.clock.now();
    let state: TradingState;
    let from = current.mode;
    if (current.mode === next.mode) {
      // HALTED → HALTED with a new reason (maintenance became a real outage, disconnect became a
      // mismatch): still one conditional write, so a person's change in between wins.
      state = { ...current, version: current.version + 1, changedAt: now.toISOString(), changedBy: BROKER_WATCH_ACTOR, reason: next.reason };
    } else {
      const r = nextState(current, next.mode, BROKER_WATCH_ACTOR, next.reason, now);
      if (!r.changed) return undefined;
      state = r.state;
      from = r.from;
    }
    try {
      const written = await deps.tradingState.compareAndSet(current.version, { mode: state.mode, changedAt: state.changedAt, changedBy: state.changedBy, reason: state.reason });
      await deps.publisher.publish([createEvent('TradingStateChanged', { from, to: written.mode, version: written.version, changedBy: written.changedBy, reason: written.reason }, { eventId: deps.newId(), now, correlationId })]);
      log.warn('trading state changed by broker-watch', { from, to: written.mode, version: written.version, reason: written.reason, correlationId });
      return written;
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        log.warn('trading state changed concurrently; broker-watch leaves it as it is', { expectedVersion: current.version, correlationId });
        return undefined;
      }
      throw error;
    }
  }

  async function page(subject: string, message: string, correlationId: string, data: Record<string, unknown>, severity?: Severity): Promise<void> {
    const alert = deps.settings().alert;
    await deps.notifier.notify({ audience: alert.notify as Audience[], severity: severity ?? alert.severity, subject, message, correlationId, data: { alert: 'broker_disconnect', ...data } });
  }

  /** A late disconnect event after the bridge is already back (and reconciled) must not halt. */
  async function brokerBackSince(tsEvent: string): Promise<boolean> {
    const broker = (await deps.health.list()).find((h) => h.component === 'broker');
    if (broker === undefined) return false;
    return broker.detail['connected'] === true && broker.detail['reconciled'] === true && Date.parse(broker.observedAt) > Date.parse(tsEvent);
  }

  async function onDisconnected(detail: BrokerConnectionChanged, tsEvent: string, correlationId: string): Promise<void> {
    const settings = deps.settings();
    const window = activeMaintenanceWindow(settings.maintenanceWindows as MaintenanceWindowSpec[], new Date(tsEvent));
    const kind: BrokerHaltKind = window === undefined ? Kind.DISCONNECT : Kind.MAINTENANCE;
    const cause = `${detail.reason}${detail.code === undefined ? '' : ` (IB ${detail.code})`}${window === undefined ? '' : ` in maintenance window ${window.name} until ${window.endsAt}`}`;
    if (await brokerBackSince(tsEvent)) {
      log.info('disconnect event arrived after the broker was back; ignored', { tsEvent, correlationId });
      return;
    }
    const current = await deps.tradingState.get();
    if (current === undefined) return;
    const own = brokerHaltOf(current);
    if (own !== undefined) {
      // Our halt is on. Only a maintenance halt that meets a real outage changes (and pages once).
      if (own.kind === Kind.MAINTENANCE && kind === Kind.DISCONNECT) {
        const written = await write(current, { mode: 'HALTED', reason: brokerHaltReason({ kind, cause, resumeTo: own.resumeTo }) }, correlationId);
        if (written !== undefined) await page('Broker disconnected: trading HALTED', `IB connection lost outside any maintenance window: ${cause}. Trading is HALTED (was ${own.resumeTo}); it resumes automatically once the bridge has reconciled and is aligned.`, correlationId, { cause, resumeTo: own.resumeTo, tradingStateVersion: written.version });
      }
      return;
    }
    if (current.mode === 'HALTED') {
      // A person's halt: never touched. The outage is still news to on-call, unless it is expected.
      if (kind === Kind.DISCONNECT) await page('Broker disconnected (trading already HALTED)', `IB connection lost: ${cause}. Trading was already HALTED by ${current.changedBy} (${current.reason}) and stays so.`, correlationId, { cause, haltedBy: current.changedBy });
      return;
    }
    if (!settings.alert.haltTrading) {
      if (kind === Kind.DISCONNECT) await page('Broker disconnected', `IB connection lost: ${cause}. No halt configured (alert broker_disconnect has no halt_trading action).`, correlationId, { cause });
      return;
    }
    const halt: BrokerHalt = { kind, cause, resumeTo: current.mode };
    const written = await write(current, { mode: 'HALTED', reason: brokerHaltReason(halt) }, correlationId);
    if (written === undefined) return;
    if (kind === Kind.DISCONNECT) {
      await page('Broker disconnected: trading HALTED', `IB connection lost: ${cause}. Trading is HALTED (was ${current.mode}); it resumes automatically once the bridge has reconciled and is aligned. Runbook: "IB Gateway Disconnection".`, correlationId, { cause, resumeTo: current.mode, tradingStateVersion: written.version });
    } else {
      log.info('broker away in a maintenance window: halted without paging', { window: window?.name, endsAt: window?.endsAt });
    }
  }

  async function onReconciled(detail: BrokerReconciled, tsEvent: string, correlationId: string): Promise<void> {
    const current = await deps.tradingState.get();
    if (current === undefined) return;
    const own = brokerHaltOf(current);
    const differences = detail.differences.map((d) => d.message);
    if (detail.aligned) {
      if (own === undefined) return;
      // Only a reconciliation that happened after our halt may lift it.
      if (Date.parse(tsEvent) < Date.parse(current.changedAt)) {
        log.info('reconciliation older than the halt; not resuming', { tsEvent, haltedAt: current.changedAt });
        return;
      }
      await write(current, { mode: own.resumeTo, reason: `broker reconciled and aligned (session ${detail.sessionId}, ${detail.trigger}; ${detail.fillsRecovered} fills recovered, ${detail.adoptedExternal.length} external orders adopted): lifting ${own.kind} halt` }, correlationId);
      return;
    }
    const summary = `${detail.differences.length} difference(s): ${differences.join('; ')}`;
    if (own !== undefined) {
      if (own.kind !== Kind.MISMATCH) await write(current, { mode: 'HALTED', reason: brokerHaltReason({ kind: Kind.MISMATCH, cause: summary, resumeTo: own.resumeTo }) }, correlationId);
    } else if (current.mode !== 'HALTED') {
      await write(current, { mode: 'HALTED', reason: brokerHaltReason({ kind: Kind.MISMATCH, cause: summary, resumeTo: current.mode }) }, correlationId);
    }
    await page('Broker NOT aligned after reconciliation: trading stays HALTED', `The bridge reconciled with IB (session ${detail.sessionId}, ${detail.trigger}) and our books differ from the broker's. ${summary}. Resolve the differences, then run \`tradeops reconcile-orders\` (add --accept-broker-positions once you have confirmed the broker is right).`, correlationId, { differences: detail.differences, sessionId: detail.sessionId }, 'CRITICAL');
  }

  return async (envelope) => {
    const event = parseEvent(envelope);
    switch (event.detailType) {
      case 'BrokerConnectionChanged':
        // A bridge stopped on purpose (reason 'stopped') is the lifecycle's business, not an outage.
        if (event.detail.state === 'disconnected' && event.detail.reason !== 'stopped') await onDisconnected(event.detail, event.tsEvent, event.correlationId);
        return;
      case 'BrokerReconciled':
        await onReconciled(event.detail, event.tsEvent, event.correlationId);
        return;
      default:
        return;
    }
  };
}
