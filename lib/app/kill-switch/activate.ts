import type { CancelAllOrders, CancelOrder } from '../../core/orders/commands.js';
import { activationMatches, KillSwitchCode } from '../../core/kill-switch/rules.js';
import type { KillSwitchActivation } from '../../core/kill-switch/activation.js';
import { incidentIdFromUlid, type Incident } from '../../core/kill-switch/incident.js';
import type { StrategyHalt } from '../../core/kill-switch/halts.js';
import { brokerHaltOf } from '../../core/broker/broker-halt.js';
import { ConcurrencyError, err, ok, type Result } from '../../core/shared/errors.js';
import type { TradingState } from '../../core/trading-state/trading-state.js';
import { nextState } from '../../core/trading-state/transitions.js';
import type { ClientOrderId, CorrelationId } from '../../core/shared/ids.js';
import { KILL_SWITCH_AUDIENCE, notifySafely, publishStateChanged, type KillSwitchDeps } from './deps.js';

export interface ActivateRequest {
  by: string;
  reason: string;
  correlationId: string;
}

export interface CancelRequested {
  requested: boolean;
  command: 'CancelAllOrders' | 'CancelOrder';
  /** Orders a strategy halt asked the bridge to cancel (CancelOrder each). */
  clientOrderIds?: string[];
  error?: string;
}

export interface FirmActivation {
  alreadyActive: boolean;
  state: TradingState;
  activation: KillSwitchActivation;
  incident: Incident | undefined;
  cancel: CancelRequested;
  notified: boolean;
}

export type KillSwitchError = { code: string; message: string };

/** Conditional-write attempts before giving up (each loses only to another writer's success). */
const MAX_CAS_ATTEMPTS = 8;

/**
 * THE kill switch, whole firm (runbook: Kill Switch Activation; SEV1 step 1). One conditional write
 * sets HALTED — from then on the bridge's final gate, which re-reads the state per order, refuses
 * every order — and only then come the follow-ups, most urgent first: CancelAllOrders to the bridge
 * (global cancel, verified against the broker's open orders), the SEV1 incident, the activation
 * record, the audit entry with the caller's identity, TradingStateChanged, and the notifications.
 *
 * Idempotent: a second activation of the same halt writes nothing and opens no second incident
 * (`alreadyActive`); it re-sends the cancel-all, which is harmless and makes sure. A halt set by
 * another path (a live first start, broker auto-halt) has no activation record yet: pressing the
 * switch then records one and opens the incident, since a person has now declared the emergency.
 * A failure after the write (audit, incident) surfaces as an error while the halt stands; calling
 * again completes what is missing.
 * @example
 * const r = await activateKillSwitch(deps, { by: 'john.doe', reason: 'Manual activation', correlationId });
 */
export async function activateKillSwitch(deps: KillSwitchDeps, req: ActivateRequest): Promise<Result<FirmActivation, KillSwitchError>> {
  let written: { from: TradingState['mode']; state: TradingState } | undefined;
  let current: TradingState | undefined;
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS && written === undefined; attempt++) {
    current = await deps.tradingState.get();
    if (current === undefined) return err({ code: KillSwitchCode.NOT_INITIALISED, message: 'no trading-state record yet (first start in progress): nothing trades, try again in a moment' });
    const change = nextState(current, 'HALTED', req.by, req.reason, deps.clock.now());
    // A halt broker-watch wrote is lifted by broker-watch once the broker is back and aligned; a
    // person pressing the switch makes it theirs (HALTED → HALTED, new version), so only the
    // two-person unlock can lift it.
    const takeOver = !change.changed && brokerHaltOf(current) !== undefined;
    if (!change.changed && !takeOver) break;
    const next = change.changed ? change.state : { mode: 'HALTED' as const, changedAt: deps.clock.now().toISOString(), changedBy: req.by, reason: req.reason };
    try {
      written = { from: current.mode, state: await deps.tradingState.compareAndSet(current.version, next) };
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }
  if (written === undefined && current?.mode !== 'HALTED') return err({ code: KillSwitchCode.CONTENDED, message: `the trading state changed under ${MAX_CAS_ATTEMPTS} attempts; try again` });

  // 1. Withdraw what is working at the broker: the most time-critical follow-up.
  const cancel = await sendCancelAll(deps, req);
  const state = written?.state ?? current!;
  const previous = written === undefined ? await deps.killSwitch.getActivation() : undefined;

  if (written === undefined && previous !== undefined && activationMatches(state, previous)) {
    await deps.audit.append({ actor: req.by, action: 'KILL_SWITCH_REPEATED', subject: 'trading-state', correlationId: req.correlationId, data: { version: state.version, reason: req.reason, incidentId: previous.incidentId, cancelRequested: cancel.requested } });
    await deps.incidents.appendTimeline(previous.incidentId, { at: deps.clock.now().toISOString(), by: req.by, event: 'KILL_SWITCH_REPEATED', detail: { reason: req.reason, cancelRequested: cancel.requested } });
    return ok({ alreadyActive: true, state, activation: previous, incident: await deps.incidents.get(previous.incidentId), cancel, notified: false });
  }

  // 2. The incident (SEV1), the activation record, the audit entry, the event, the people.
  const now = deps.clock.now().toISOString();
  const incidentId = incidentIdFromUlid(deps.newId());
  const incident = await deps.incidents.open({
    id: incidentId,
    severity: 'SEV1',
    title: 'Kill switch activated: all trading halted',
    openedBy: req.by,
    openedAt: now,
    status: 'open',
    trigger: { kind: 'kill_switch', reason: req.reason, stateVersion: state.version },
    correlationId: req.correlationId,
    timeline: [
      { at: written === undefined ? now : state.changedAt, by: req.by, event: 'KILL_SWITCH_ACTIVATED', detail: { reason: req.reason, version: state.version, ...(written === undefined ? { haltedBefore: { by: state.changedBy, at: state.changedAt, reason: state.reason } } : {}) } },
      { at: now, by: req.by, event: 'CANCEL_ALL_REQUESTED', detail: { requested: cancel.requested, ...(cancel.error === undefined ? {} : { error: cancel.error }) } },
    ],
  });
  const activation: KillSwitchActivation = { activatedBy: req.by, activatedAt: written === undefined ? now : state.changedAt, reason: req.reason, incidentId, stateVersion: state.version, correlationId: req.correlationId };
  await deps.killSwitch.putActivation(activation);
  await deps.audit.append({
    actor: req.by,
    action: 'KILL_SWITCH_ACTIVATED',
    subject: 'trading-state',
    correlationId: req.correlationId,
    data: { scope: 'firm', from: written?.from ?? 'HALTED', to: 'HALTED', version: state.version, reason: req.reason, incidentId, cancelRequested: cancel.requested, alreadyHalted: written === undefined },
  });
  if (written !== undefined) await publishStateChanged(deps, { from: written.from, to: 'HALTED', version: state.version, changedBy: req.by, reason: req.reason }, req.correlationId);
  const notified = await notifySafely(deps, {
    audience: KILL_SWITCH_AUDIENCE,
    severity: 'CRITICAL',
    subject: `SEV1 ${incidentId}: kill switch activated by ${req.by}`,
    message: `All trading is HALTED (${req.reason}). Working orders are being cancelled at the broker. Incident ${incidentId} is open; resuming needs the two-person unlock.`,
    correlationId: req.correlationId,
    data: { incidentId, activatedBy: req.by, activatedAt: activation.activatedAt, reason: req.reason, stateVersion: state.version },
  });
  return ok({ alreadyActive: written === undefined, state, activation, incident, cancel, notified });
}

async function sendCancelAll(deps: KillSwitchDeps, req: ActivateRequest): Promise<CancelRequested> {
  const cmd: CancelAllOrders = { kind: 'CancelAllOrders', reason: req.reason, correlationId: req.correlationId as CorrelationId, issuedAt: deps.clock.now().toISOString(), issuedBy: req.by };
  try {
    await deps.commands.send(cmd);
    return { requested: true, command: 'CancelAllOrders' };
  } catch (e) {
    // HALTED is already in force at the final gate; the cancel can be re-sent (cancel-all-orders --force).
    const message = e instanceof Error ? e.message : String(e);
    deps.logger.error('kill switch: CancelAllOrders could not be queued', { error: message, correlationId: req.correlationId });
    return { requested: false, command: 'CancelAllOrders', error: message };
  }
}

export interface StrategyActivation {
  alreadyActive: boolean;
  halt: StrategyHalt;
  incident: Incident | undefined;
  cancel: CancelRequested;
  notified: boolean;
}

/**
 * The kill switch for one strategy (FIA: granular, per trading system). A conditional write adds
 * the halt record — the CIO then drops the strategy's signals and the bridge's final gate refuses
 * its orders — and each of its working orders gets a CancelOrder (a global cancel would hit every
 * strategy). Opens a SEV2 incident: one algorithm stopped, the firm still trades (the runbook's
 * SEV1 is the firm-wide switch). Idempotent: a second halt of the same strategy writes nothing and
 * re-sends the cancels.
 * @example
 * await haltStrategy(deps, { strategyId: 'ma-crossover', by: 'jane.doe', reason: 'runaway signals', correlationId });
 */
export async function haltStrategy(deps: KillSwitchDeps, req: ActivateRequest & { strategyId: string }): Promise<Result<StrategyActivation, KillSwitchError>> {
  const now = deps.clock.now().toISOString();
  const incidentId = incidentIdFromUlid(deps.newId());
  const halt: StrategyHalt = { strategyId: req.strategyId, haltedBy: req.by, haltedAt: now, reason: req.reason, incidentId, correlationId: req.correlationId };
  const written = await deps.killSwitch.haltStrategy(halt);
  const cancel = await cancelStrategyOrders(deps, req);
  if (!written) {
    const existing = (await deps.killSwitch.getStrategyHalt(req.strategyId)) ?? halt;
    await deps.audit.append({ actor: req.by, action: 'STRATEGY_HALT_REPEATED', subject: `strategy:${req.strategyId}`, correlationId: req.correlationId, data: { reason: req.reason, incidentId: existing.incidentId ?? null, cancelled: cancel.clientOrderIds ?? [] } });
    return ok({ alreadyActive: true, halt: existing, incident: existing.incidentId === undefined ? undefined : await deps.incidents.get(existing.incidentId), cancel, notified: false });
  }
  const incident = await deps.incidents.open({
    id: incidentId,
    severity: 'SEV2',
    title: `Strategy ${req.strategyId} halted by kill switch`,
    openedBy: req.by,
    openedAt: now,
    status: 'open',
    trigger: { kind: 'strategy_halt', reason: req.reason, strategyId: req.strategyId },
    correlationId: req.correlationId,
    timeline: [
      { at: now, by: req.by, event: 'STRATEGY_HALTED', detail: { strategyId: req.strategyId, reason: req.reason } },
      { at: now, by: req.by, event: 'STRATEGY_ORDERS_CANCEL_REQUESTED', detail: { clientOrderIds: cancel.clientOrderIds ?? [] } },
    ],
  });
  await deps.audit.append({ actor: req.by, action: 'STRATEGY_HALTED', subject: `strategy:${req.strategyId}`, correlationId: req.correlationId, data: { scope: 'strategy', strategyId: req.strategyId, reason: req.reason, incidentId, cancelled: cancel.clientOrderIds ?? [] } });
  const notified = await notifySafely(deps, {
    audience: KILL_SWITCH_AUDIENCE,
    severity: 'CRITICAL',
    subject: `SEV2 ${incidentId}: strategy ${req.strategyId} halted by ${req.by}`,
    message: `Strategy ${req.strategyId} is halted (${req.reason}); ${cancel.clientOrderIds?.length ?? 0} working order(s) are being cancelled. Other strategies trade on. A risk manager lifts it with strategy_resume.`,
    correlationId: req.correlationId,
    data: { incidentId, strategyId: req.strategyId, haltedBy: req.by, reason: req.reason },
  });
  return ok({ alreadyActive: false, halt, incident, cancel, notified });
}

async function cancelStrategyOrders(deps: KillSwitchDeps, req: ActivateRequest & { strategyId: string }): Promise<CancelRequested> {
  const ids: ClientOrderId[] = [];
  try {
    const working = (await deps.orders.listWorking()).filter((o) => o.origin?.strategyId === req.strategyId);
    for (const o of working) {
      const cmd: CancelOrder = { kind: 'CancelOrder', clientOrderId: o.clientOrderId, correlationId: req.correlationId as CorrelationId, issuedAt: deps.clock.now().toISOString(), issuedBy: req.by };
      await deps.commands.send(cmd);
      ids.push(o.clientOrderId);
    }
    return { requested: true, command: 'CancelOrder', clientOrderIds: ids };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    deps.logger.error('strategy halt: cancels could not all be queued', { error: message, sent: ids.length, correlationId: req.correlationId });
    return { requested: false, command: 'CancelOrder', clientOrderIds: ids, error: message };
  }
}
