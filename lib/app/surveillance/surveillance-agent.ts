import { createEvent, parseEvent, type AnyEvent } from '../../core/events/catalog.js';
import type { Order } from '../../core/orders/order.js';
import type { Clock } from '../../core/shared/clock.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import { alertIdOf, newAlert, SURVEILLANCE_ACTOR, type AlertCandidate } from '../../core/surveillance/alert.js';
import { NO_STRATEGY, obsIdOf, ObservationKind, SurveillanceObservationSchema, type SurveillanceObservation } from '../../core/surveillance/observation.js';
import type { SurveillanceRules } from '../../core/surveillance/rules.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { AuditLog, OrderStore, QuoteStore } from '../../ports/stores.js';
import { detectEvent } from './detect-event.js';

/**
 * The events the surveillance agent consumes (its bus rule): orders placed (OrderSubmitted),
 * cancelled (OrderStatusReport with status CANCELLED), rejected (OrderRejected), and fills.
 * Order modifications have no gateway event yet; `ORDER_MODIFIED` observations are ready for one.
 * OrderDenied is left out: a denied order never reached the market.
 */
export const SURVEILLANCE_AGENT_EVENTS = ['OrderSubmitted', 'OrderStatusReport', 'OrderRejected', 'FillReport'] as const;

export interface SurveillanceAgentDeps {
  activity: SurveillanceActivityStore;
  alerts: ComplianceAlertStore;
  /** Read only: the order's strategy, side, price and quantity for events that do not carry them. */
  orders: Pick<OrderStore, 'get' | 'findByBrokerOrderId'>;
  /** Optional: the touch when an order is placed ("away from the touch"); without it the fill price is the reference. */
  quotes?: Pick<QuoteStore, 'get'> | undefined;
  audit: AuditLog;
  publisher: EventPublisher;
  /** Current rules (a function, so a config reload or restricted-list change applies to the next event). */
  rules: () => SurveillanceRules;
  ids: () => string;
  clock: Clock;
  logger: Logger;
}

/**
 * The surveillance agent (MAR Art 16 post-trade surveillance): turns each order event and fill into
 * an observation, stores it in the surveillance window, runs the detectors over what each needs
 * around it (detectEvent: a few bounded reads and a counter, whatever the day's volume) and raises
 * each alert found — once: alert ids are deterministic from the evidence and the
 * alert store creates only new ids, so redelivered or reordered events never raise twice. A new
 * alert is audited (`COMPLIANCE_ALERT_RAISED`) and published as `ComplianceAlertRaised`.
 * @example
 * bus.subscribe(eventPatternFor([...SURVEILLANCE_AGENT_EVENTS]), createSurveillanceAgent(deps));
 */
export function createSurveillanceAgent(deps: SurveillanceAgentDeps): EventHandler {
  return async (envelope) => {
    const event = parseEvent(envelope);
    const obs = await observationOf(deps, event);
    if (obs === undefined) return;
    const rules = deps.rules();
    const log = deps.logger.child({ obsId: obs.obsId, eventId: event.eventId, symbol: obs.symbol });
    await deps.activity.recordIfNew(obs);
    for (const candidate of await detectEvent(deps, obs, rules)) await raise(deps, candidate, event, log);
  };
}

async function raise(deps: SurveillanceAgentDeps, c: AlertCandidate, cause: AnyEvent, log: Logger): Promise<void> {
  const alert = newAlert(c, deps.clock.now().toISOString());
  if (!(await deps.alerts.createIfNew(alert))) {
    log.debug('alert already raised', { alertId: alertIdOf(c.type, c.evidenceKey) });
    return;
  }
  log.warn('compliance alert raised', { alertId: alert.alertId, type: alert.type, severity: alert.severity });
  await deps.audit.append({
    actor: SURVEILLANCE_ACTOR,
    action: 'COMPLIANCE_ALERT_RAISED',
    subject: `compliance-alert:${alert.alertId}`,
    data: { alertId: alert.alertId, type: alert.type, severity: alert.severity, account: alert.account, symbol: alert.symbol, summary: alert.summary, evidence: alert.evidence },
    correlationId: cause.correlationId,
  });
  await deps.publisher.publish([createEvent('ComplianceAlertRaised', { alert }, { eventId: deps.ids(), now: deps.clock.now(), correlationId: cause.correlationId, causationId: cause.eventId })]);
}

/** The observation an event is, or undefined for events surveillance does not look at (or cannot place). */
async function observationOf(deps: SurveillanceAgentDeps, event: AnyEvent): Promise<SurveillanceObservation | undefined> {
  const at = event.tsEvent;
  switch (event.detailType) {
    case 'OrderSubmitted': {
      const d = event.detail;
      const order = await deps.orders.get(d.clientOrderId);
      const quote = await deps.quotes?.get(d.symbol);
      return build({
        kind: ObservationKind.ORDER_PLACED, at, account: d.account ?? order?.account ?? 'UNKNOWN', symbol: d.symbol, side: d.side, strategyId: order?.origin?.strategyId ?? NO_STRATEGY,
        clientOrderId: d.clientOrderId, brokerOrderId: d.brokerOrderId, quantity: d.quantity, price: d.limitPrice, orderType: d.type,
        touch: quote === undefined ? undefined : strip({ bid: quote.bid, ask: quote.ask }),
      });
    }
    case 'OrderStatusReport': {
      if (event.detail.status !== 'CANCELLED') return undefined;
      const order = await orderOf(deps, event.detail.clientOrderId, event.detail.brokerOrderId);
      return order === undefined ? undefined : fromOrder(ObservationKind.ORDER_CANCELLED, order, at);
    }
    case 'OrderRejected': {
      const order = await orderOf(deps, event.detail.clientOrderId, event.detail.brokerOrderId);
      return order === undefined ? undefined : fromOrder(ObservationKind.ORDER_REJECTED, order, at);
    }
    case 'FillReport': {
      const f = event.detail.fill;
      const order = f.clientOrderId === undefined ? undefined : await deps.orders.get(f.clientOrderId);
      // EXTERNAL fills (placed outside our agents, e.g. by hand in TWS) are surveilled too
      return build({
        kind: ObservationKind.FILL, at: f.executedAt, account: f.account, symbol: f.symbol, side: f.side, strategyId: order?.origin?.strategyId ?? NO_STRATEGY,
        clientOrderId: f.clientOrderId, brokerOrderId: f.brokerOrderId, execId: f.execId, quantity: f.quantity, price: f.price,
      });
    }
    default:
      return undefined;
  }
}

async function orderOf(deps: SurveillanceAgentDeps, clientOrderId: ClientOrderId | undefined, brokerOrderId: string): Promise<Order | undefined> {
  if (clientOrderId !== undefined) return deps.orders.get(clientOrderId);
  return deps.orders.findByBrokerOrderId(brokerOrderId);
}

function fromOrder(kind: ObservationKind, o: Order, at: string): SurveillanceObservation {
  return build({
    kind, at, account: o.account ?? 'UNKNOWN', symbol: o.symbol, side: o.side, strategyId: o.origin?.strategyId ?? NO_STRATEGY,
    clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId, quantity: o.quantity, price: o.limitPrice, orderType: o.type,
  });
}

function build(fields: Omit<SurveillanceObservation, 'obsId'> & Record<string, unknown>): SurveillanceObservation {
  const clean = strip(fields) as Omit<SurveillanceObservation, 'obsId'>;
  return SurveillanceObservationSchema.parse({ ...clean, obsId: obsIdOf(clean) });
}

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
