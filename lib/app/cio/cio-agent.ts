import { tradingDayOf } from '../../core/calendar/nyse.js';
import type { CioConfig } from '../../core/cio/config.js';
import { decideOrder, type CioSkipCode } from '../../core/cio/decide.js';
import { proposalClientOrderId } from '../../core/cio/proposal-id.js';
import { createEvent, parseEvent } from '../../core/events/catalog.js';
import type { EventEnvelope } from '../../core/events/envelope.js';
import type { Quote } from '../../core/market/quote.js';
import type { DecimalString } from '../../core/money/decimal-string.js';
import { ZERO, add, fromInt, mulInt, parseDecimal, toDecimalString } from '../../core/money/fixed.js';
import { WORKING_STATUSES, type Order } from '../../core/orders/order.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IdGenerator } from '../../core/shared/ids-gen.js';
import type { Signal } from '../../core/signals/signal.js';
import type { EventHandler, EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { SignalStore } from '../../ports/signals.js';
import type { AccountStore, AuditLog, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../../ports/stores.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';
import { strategyHaltDenial } from '../../core/kill-switch/halts.js';

export interface CioAgentDeps {
  orders: OrderStore;
  positions: PositionStore;
  quotes: QuoteStore;
  accounts: AccountStore;
  tradingState: TradingStateStore;
  signals: SignalStore;
  publisher: EventPublisher;
  clock: Clock;
  ids: Pick<IdGenerator, 'eventId'>;
  logger?: Logger | undefined;
  // kill switch: halted strategies' signals are dropped, and a halted signal's refusal is audited
  killSwitch?: KillSwitchStore | undefined;
  audit?: AuditLog | undefined;
}

export interface CioAgentOptions {
  config: CioConfig;
  /** Account the orders are for; default: the only account in the AccountStore, else none. */
  accountId?: string | undefined;
  /** A quote older than this is no price at all (sizing on a stale mark is worse than waiting); default: no limit. */
  maxQuoteAgeMs?: number | undefined;
}

/** Outcomes of the agent's own checks, beside the pure CIO's `CioSkip` codes. */
export const CioAgentSkip = {
  /** The order this signal triggers exists already (a redelivery) and is past PROPOSED. */
  ALREADY_PROPOSED: 'CIO.ALREADY_PROPOSED',
  /** Another order for the symbol is PROPOSED or working: no second one until it resolves. */
  ORDER_PENDING: 'CIO.ORDER_PENDING',
  /** No account summary yet: nothing to size against. */
  NO_ACCOUNT: 'CIO.NO_ACCOUNT',
  /** Kill switch scoped to the signal's strategy. */
  STRATEGY_HALTED: 'CIO.STRATEGY_HALTED',
} as const;

export type CioOutcome =
  | { kind: 'proposed'; order: Order }
  /** The order already existed in PROPOSED (a crash after create, before publish): published again. */
  | { kind: 'republished'; order: Order }
  | { kind: 'skipped'; code: CioSkipCode | (typeof CioAgentSkip)[keyof typeof CioAgentSkip]; message: string };

/**
 * The CIO agent: on `SignalReceived`, reads the book and proposes at most one order for the
 * signal's symbol (`decideOrder`), stores it (conditional create) and publishes `OrderProposed`.
 *
 * Idempotent per signal: the order's id is `proposalClientOrderId(signal)`. A redelivery finds the
 * order — published again while still PROPOSED (consumers are idempotent by clientOrderId),
 * otherwise ignored — and a concurrent duplicate loses the conditional create.
 *
 * One order per symbol at a time: while another order for the symbol is PROPOSED (awaiting
 * pre-trade, found in today's orders) or WORKING, a new signal proposes nothing — its target is
 * netted again by the next signal once that order has resolved. Without this, two quick signals
 * would both size against the same old position and double the trade.
 * Capacity already committed by every pending order (remaining quantity × limit or arrival price)
 * is taken off the buying power before sizing.
 * @example
 * bus.subscribe(eventPatternFor(['SignalReceived']), createCioAgent(deps, { config }));
 */
export function createCioAgent(deps: CioAgentDeps, options: CioAgentOptions): EventHandler {
  return async (event: EventEnvelope) => {
    if (event.detailType !== 'SignalReceived') return;
    const e = parseEvent(event);
    if (e.detailType !== 'SignalReceived') return;
    const outcome = await proposeForSignal(deps, options, e.detail.signal, { eventId: e.eventId, correlationId: e.correlationId });
    const log = deps.logger?.child({ correlationId: e.correlationId, signalId: e.detail.signal.signalId, symbol: e.detail.signal.symbol });
    if (outcome.kind === 'skipped') log?.info('cio: no order', { code: outcome.code, reason: outcome.message });
    else log?.info(`cio: order ${outcome.kind}`, { clientOrderId: outcome.order.clientOrderId, side: outcome.order.side, quantity: outcome.order.quantity });
  };
}

/**
 * One signal through the CIO; the handler's body, exposed for the tests and for re-evaluation.
 * @throws whatever the stores and publisher throw (the bus retries the event)
 */
export async function proposeForSignal(deps: CioAgentDeps, options: CioAgentOptions, signal: Signal, cause: { eventId: string; correlationId: string }): Promise<CioOutcome> {
  const clientOrderId = proposalClientOrderId(signal);
  const existing = await deps.orders.get(clientOrderId);
  if (existing !== undefined) return replay(deps, existing, cause);

  const now = deps.clock.now();
  // kill switch: a halted strategy proposes nothing, and its other signals do not count in the netting
  const halts = deps.killSwitch === undefined ? [] : await deps.killSwitch.listStrategyHalts();
  const halted = strategyHaltDenial(signal.strategyId, halts);
  if (halted !== undefined) return refuseHalted(deps, signal, { kind: 'skipped', code: CioAgentSkip.STRATEGY_HALTED, message: halted.message }, cause);
  const [state, working, today, positions, accounts, quotes, allSignals] = await Promise.all([
    deps.tradingState.get(),
    deps.orders.listWorking(),
    // PROPOSED orders (in pre-trade, not yet working) block a symbol too; ask for those, not the day.
    deps.orders.listByDay(tradingDayOf(now), { statuses: ['PROPOSED'] }),
    deps.positions.list(),
    deps.accounts.list(),
    deps.quotes.list(),
    deps.signals.latestBySymbol(signal.symbol),
  ]);
  const signals = halts.length === 0 ? allSignals : allSignals.filter((s) => strategyHaltDenial(s.strategyId, halts) === undefined);
  const pending = dedupeById([...working, ...today.filter((o) => o.status === 'PROPOSED')]);
  const blocking = pending.find((o) => o.symbol === signal.symbol);
  // A missing trading state is treated as HALTED: never trade before the record exists.
  const tradingMode = state?.mode ?? 'HALTED';
  if (tradingMode !== 'HALTED' && blocking !== undefined) {
    return { kind: 'skipped', code: CioAgentSkip.ORDER_PENDING, message: `order ${blocking.clientOrderId} for ${signal.symbol} is ${blocking.status}` };
  }
  if (accounts.length === 0 && tradingMode !== 'HALTED') return { kind: 'skipped', code: CioAgentSkip.NO_ACCOUNT, message: 'no account summary yet' };

  const decision = decideOrder({
    trigger: signal,
    signals,
    currentQuantity: positions.filter((p) => p.symbol === signal.symbol).reduce((t, p) => t + p.quantity, 0),
    quote: fresh(quotes.find((q) => q.symbol === signal.symbol), now, options.maxQuoteAgeMs),
    account: {
      netLiquidation: total(accounts.map((a) => a.netLiquidation)),
      buyingPower: total(accounts.map((a) => a.buyingPower)),
      totalCash: total(accounts.map((a) => a.totalCash)),
    },
    reservedNotional: reserved(pending),
    tradingMode,
    config: options.config,
    now,
    correlationId: cause.correlationId,
    accountId: options.accountId ?? (accounts.length === 1 ? accounts[0]?.account : undefined),
  });
  if (decision.kind === 'skip') {
    const skipped: CioOutcome = { kind: 'skipped', code: decision.code, message: decision.message };
    return decision.code === 'CIO.HALTED' ? refuseHalted(deps, signal, skipped, cause) : skipped;
  }

  try {
    const stored = await deps.orders.create(decision.order);
    await publishProposed(deps, stored, cause);
    return { kind: 'proposed', order: stored };
  } catch (e) {
    // A concurrent delivery of the same signal won the create; it publishes.
    if (e instanceof ConcurrencyError && e.code === 'ORDER.DUPLICATE') return { kind: 'skipped', code: CioAgentSkip.ALREADY_PROPOSED, message: `order ${clientOrderId} was created concurrently` };
    throw e;
  }
}

/**
 * Kill switch: a signal refused because trading or its strategy is halted is written to the audit
 * chain (MiFID II RTS 6 Art 12: which algorithm was stopped, and what it still asked for). @internal
 */
async function refuseHalted(deps: CioAgentDeps, signal: Signal, outcome: CioOutcome & { kind: 'skipped' }, cause: { eventId: string; correlationId: string }): Promise<CioOutcome> {
  await deps.audit?.append({ actor: 'cio-agent', action: 'SIGNAL_DENIED', subject: `signal:${signal.signalId}`, correlationId: cause.correlationId, data: { code: outcome.code, message: outcome.message, strategyId: signal.strategyId, symbol: signal.symbol, signalId: signal.signalId } });
  return outcome;
}

async function replay(deps: CioAgentDeps, existing: Order, cause: { eventId: string; correlationId: string }): Promise<CioOutcome> {
  if (existing.status !== 'PROPOSED') return { kind: 'skipped', code: CioAgentSkip.ALREADY_PROPOSED, message: `order ${existing.clientOrderId} exists (${existing.status})` };
  await publishProposed(deps, existing, cause);
  return { kind: 'republished', order: existing };
}

async function publishProposed(deps: CioAgentDeps, order: Order, cause: { eventId: string; correlationId: string }): Promise<void> {
  const event = createEvent('OrderProposed', { order }, { eventId: deps.ids.eventId(), now: deps.clock.now(), correlationId: order.correlationId, causationId: cause.eventId });
  await deps.publisher.publish([event]);
}

function fresh(quote: Quote | undefined, now: Date, maxAgeMs: number | undefined): Quote | undefined {
  if (quote === undefined || maxAgeMs === undefined) return quote;
  return now.getTime() - Date.parse(quote.at) <= maxAgeMs ? quote : undefined;
}

const total = (xs: readonly DecimalString[]): DecimalString => toDecimalString(xs.reduce((t, x) => add(t, parseDecimal(x)), ZERO));

/** Remaining quantity × (limit, else arrival) price of every pending order; unpriced orders count nothing. */
function reserved(pending: readonly Order[]): DecimalString {
  let t = fromInt(0);
  for (const o of pending) {
    const price = o.limitPrice ?? o.arrivalPrice;
    if (price !== undefined) t = add(t, mulInt(parseDecimal(price), Math.max(0, o.quantity - o.filledQuantity)));
  }
  return toDecimalString(t);
}

function dedupeById(orders: readonly Order[]): Order[] {
  const byId = new Map<string, Order>();
  for (const o of orders) if (o.status === 'PROPOSED' || WORKING_STATUSES.has(o.status)) byId.set(o.clientOrderId, o);
  return [...byId.values()];
}
