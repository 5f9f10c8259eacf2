import type { Contract, Order as IbOrder } from '@stoqey/ib';
import type { Instrument } from '../../lib/core/instruments/instrument.js';
import type { CancelAllOrders, CancelOrder, OrderCommand, Reconcile, SubmitOrder } from '../../lib/core/orders/commands.js';
import { canTransition, isTerminal, transition } from '../../lib/core/orders/lifecycle.js';
import type { Order } from '../../lib/core/orders/order.js';
import type { Clock } from '../../lib/core/shared/clock.js';
import { ConcurrencyError } from '../../lib/core/shared/errors.js';
import type { BrokerOrderId } from '../../lib/core/shared/ids.js';
import type { Logger } from '../../lib/ports/logger.js';
import type { OrderStore, PositionStore, TradingStateStore } from '../../lib/ports/stores.js';
import type { KillSwitchStore } from '../../lib/ports/kill-switch.js';
import type { Notifier } from '../../lib/ports/notifier.js';
import { cancelRetryDelayMs } from '../../lib/core/kill-switch/rules.js';
import { GatewayError } from './errors.js';
import type { DenyReason } from './final-gate.js';
import { finalGate } from './final-gate.js';
import { toIbOrder } from './mapping/order.js';
import type { EventSink } from './publishers/context.js';
import { describe } from './publishers/context.js';
import { persistOrder } from './publishers/order-updates.js';

/** What the router needs from the broker side (the service wires the raw client and supervisor). */
export interface OrderBroker {
  readonly canTrade: boolean;
  /** Resolves true once orders may be sent, false after `timeoutMs`. */
  waitUntilTradable(timeoutMs: number): Promise<boolean>;
  /** The next IB order id of the current session (monotonic; never reused). */
  allocateOrderId(): number;
  /** The account orders go to (configured, else the first managed account). */
  account(): string | undefined;
  placeOrder(orderId: number, contract: Contract, order: IbOrder): Promise<void>;
  cancelOrder(orderId: number): Promise<void>;
  reqGlobalCancel(): Promise<void>;
  /** Kill switch: placeOrders not yet handed to the broker (waiting for pacing) are withdrawn; returns how many. */
  withdrawQueuedOrders(reason: string): number;
  /** Reconcile with the broker now (answered by a BrokerReconciled event under the request's correlation id). */
  reconcile(request: { correlationId: string; issuedBy: string; acceptBrokerPositions?: boolean | undefined }): Promise<void>;
  /** Kill switch: the broker's own open orders (reqAllOpenOrders … openOrderEnd); rejects after `timeoutMs`. */
  openOrders(timeoutMs: number): Promise<Array<{ brokerOrderId: string; status: string }>>;
  /** Waits on the bridge's scheduler (so tests with a manual scheduler stay in control). */
  sleep(ms: number): Promise<void>;
}

/** How a global cancel is verified: rounds of reqGlobalCancel + open-order read-back, with bounded backoff. */
export interface CancelVerifyOptions {
  /** Global cancels sent at most. @default 6 */
  readonly maxAttempts: number;
  /** First pause between rounds, doubled each round. @default 50 */
  readonly initialDelayMs: number;
  /** @default 1000 */
  readonly maxDelayMs: number;
  /** How long one open-order read-back may take. @default 2000 */
  readonly openOrdersTimeoutMs: number;
}
export const DEFAULT_CANCEL_VERIFY: CancelVerifyOptions = { maxAttempts: 6, initialDelayMs: 50, maxDelayMs: 1_000, openOrdersTimeoutMs: 2_000 };

/** Statuses IB reports for an order that is no longer working. */
const CLOSED_BROKER_STATUSES: ReadonlySet<string> = new Set(['Cancelled', 'ApiCancelled', 'Filled', 'Inactive']);

export interface OrderRouterOptions {
  /** How long a command waits for a tradable connection before it is NACKed for redelivery. */
  readonly commandWaitMs: number;
  readonly cancelVerify?: CancelVerifyOptions | undefined;
}

/**
 * Consumes order commands and applies the FINAL GATE before anything reaches IB: unknown or
 * duplicate clientOrderId, trading state HALTED / REDUCING (read fresh per command). An order is
 * persisted SUBMITTED with its broker order id BEFORE it is sent, so a crash or a redelivered
 * command can never send it twice (the redelivery finds it SUBMITTED: DUPLICATE_ORDER).
 *
 * Outcomes: denied → ack (OrderDenied published, order DENIED if it was APPROVED); no connection
 * within `commandWaitMs` → throws `GATEWAY.NOT_CONNECTED` so the queue redelivers it; sent → ack.
 * @example
 * commands.start((cmd) => router.handle(cmd));
 */
export class OrderRouter {
  constructor(
    private readonly deps: {
      readonly orders: OrderStore;
      readonly tradingState: TradingStateStore;
      readonly positions: PositionStore;
      readonly instruments: ReadonlyMap<string, Instrument>;
      readonly broker: OrderBroker;
      readonly sink: EventSink;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly options: OrderRouterOptions;
      /** Kill switch: strategy halts for the final gate, and where the cancel verdict is recorded. */
      readonly killSwitch?: KillSwitchStore | undefined;
      /** Pages on-call when a global cancel cannot be verified. */
      readonly notifier?: Notifier | undefined;
    },
  ) {}

  /** Kill switch: submits past the gate, so a cancel-all can wait for them before its global cancel. */
  private readonly inFlightSubmits = new Set<Promise<void>>();

  async handle(command: OrderCommand): Promise<void> {
    switch (command.kind) {
      case 'SubmitOrder': {
        const p = this.submit(command);
        this.inFlightSubmits.add(p);
        try {
          return await p;
        } finally {
          this.inFlightSubmits.delete(p);
        }
      }
      case 'CancelOrder':
        return this.cancel(command);
      case 'CancelAllOrders':
        return this.cancelAll(command);
      case 'Reconcile':
        return this.reconcile(command);
    }
  }

  private async submit(cmd: SubmitOrder): Promise<void> {
    const { orders, broker } = this.deps;
    const log = this.deps.logger.child({ correlationId: cmd.correlationId, clientOrderId: cmd.clientOrderId, command: cmd.kind });
    // One round trip for the gate's reads when the broker is up: the order, the trading state and
    // the strategy halts are read together (the halts are only used for an order with a strategy).
    // Each is read after this command arrived and before anything is sent; a kill switch written
    // after the reads is covered by the cancel-all barrier (inFlightSubmits), as before.
    const readGate = (order: Promise<Order | undefined>) => Promise.all([order, this.deps.tradingState.get(), this.deps.killSwitch === undefined ? Promise.resolve([]) : this.deps.killSwitch.listStrategyHalts()]);
    const early = broker.canTrade ? readGate(orders.get(cmd.clientOrderId)) : undefined;
    // Identity checks need no broker: deny unknown and duplicate orders at once.
    const first = early === undefined ? await orders.get(cmd.clientOrderId) : (await early)[0];
    const identity = finalGate({ order: first, tradingState: { mode: 'ACTIVE', version: 0, changedAt: cmd.issuedAt, changedBy: 'n/a', reason: 'identity check only' }, positions: [], knownSymbol: true });
    if (!identity.allow) return this.deny(cmd, first, identity.reasonCode, identity.reason, log);

    const waited = early === undefined;
    if (waited && !(await broker.waitUntilTradable(this.deps.options.commandWaitMs))) {
      log.warn('broker not tradable, command returned for redelivery', { waitedMs: this.deps.options.commandWaitMs });
      throw new GatewayError('GATEWAY.NOT_CONNECTED', `broker not tradable within ${this.deps.options.commandWaitMs} ms`);
    }

    // The gate proper, on reads taken after any wait: a kill switch during the wait wins.
    const [order, tradingState, allHalts] = early === undefined ? await readGate(orders.get(cmd.clientOrderId)) : await early;
    // kill switch: a halted strategy's orders are refused here too (defence in depth)
    const halts = first?.origin?.strategyId === undefined ? [] : allHalts;
    // positions only when REDUCING needs them
    const positions = order?.status === 'APPROVED' && tradingState?.mode === 'REDUCING' ? await this.deps.positions.list() : [];
    const instrument = order === undefined ? undefined : this.deps.instruments.get(order.symbol);
    const decision = finalGate({ order, tradingState, positions, knownSymbol: instrument !== undefined, haltedStrategies: halts });
    if (!decision.allow) return this.deny(cmd, order, decision.reasonCode, decision.reason, log);
    if (order === undefined || instrument === undefined) throw new GatewayError('GATEWAY.INVARIANT', 'gate allowed an order without order or instrument');

    const account = order.account ?? broker.account();
    let ib: { contract: Contract; order: IbOrder };
    try {
      ib = toIbOrder(order, instrument, account);
    } catch (error) {
      return this.deny(cmd, order, 'UNKNOWN_INSTRUMENT', error instanceof Error ? error.message : String(error), log);
    }
    const brokerOrderId = broker.allocateOrderId();
    let submitted: Order;
    try {
      const next = { ...transition(order, 'SUBMITTED', this.deps.clock.now()), brokerOrderId: String(brokerOrderId) as BrokerOrderId, ...(account === undefined ? {} : { account: account as never }) };
      submitted = await orders.update({ ...next, version: order.version });
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        // Someone else moved the order between our read and write (a concurrent delivery): not ours to send.
        const now = await orders.get(cmd.clientOrderId);
        if (now?.status !== 'APPROVED') return this.deny(cmd, undefined, 'DUPLICATE_ORDER', `order changed concurrently to ${String(now?.status)}`, log);
      }
      throw error;
    }
    log.info('order submitted to broker', { brokerOrderId, symbol: order.symbol, side: order.side, quantity: order.quantity, type: order.type });
    await this.deps.sink.emit(
      'OrderSubmitted',
      { clientOrderId: order.clientOrderId, brokerOrderId: String(brokerOrderId), account, symbol: order.symbol, side: order.side, quantity: order.quantity, type: order.type, limitPrice: order.limitPrice },
      { correlationId: order.correlationId },
    );
    try {
      await broker.placeOrder(brokerOrderId, ib.contract, ib.order);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'GATEWAY.WITHDRAWN') {
        // Certain: the message never left the pacer. The order is closed, not left UNRESOLVED.
        log.warn('order withdrawn before it was sent (kill switch)', { brokerOrderId });
        await persistOrder(orders, submitted, (cur) => (canTransition(cur.status, 'CANCELLED') ? transition(cur, 'CANCELLED', this.deps.clock.now(), { reasonCode: 'KILL_SWITCH.NOT_SENT', reason: error.message }) : undefined));
        await this.deps.sink.emit('OrderStatusReport', { clientOrderId: order.clientOrderId, brokerOrderId: String(brokerOrderId), brokerStatus: 'Cancelled', status: 'CANCELLED', filled: 0, remaining: order.quantity }, { correlationId: order.correlationId });
        return;
      }
      // The session died before the message was handed over. We do not resend (the order is
      // SUBMITTED with an id): UNRESOLVED until reconciliation finds it at the broker or not.
      log.error('order not handed to the broker; marked UNRESOLVED', { brokerOrderId, error: describe(error) });
      await persistOrder(orders, submitted, (cur) => (canTransition(cur.status, 'UNRESOLVED') ? transition(cur, 'UNRESOLVED', this.deps.clock.now(), { reasonCode: 'GATEWAY.NOT_SENT', reason: error instanceof Error ? error.message : String(error) }) : undefined));
    }
  }

  private async cancel(cmd: CancelOrder): Promise<void> {
    const { orders, broker } = this.deps;
    const log = this.deps.logger.child({ correlationId: cmd.correlationId, clientOrderId: cmd.clientOrderId, command: cmd.kind });
    const order = await orders.get(cmd.clientOrderId);
    if (order === undefined) return this.deny(cmd, undefined, 'UNKNOWN_ORDER', 'no such clientOrderId in the order store', log);
    if (order.status === 'APPROVED' && order.brokerOrderId === undefined) {
      // Never sent: withdraw it here; a SubmitOrder arriving later finds it CANCELLED (duplicate).
      await persistOrder(orders, order, (cur) => (cur.status === 'APPROVED' ? transition(cur, 'CANCELLED', this.deps.clock.now(), { reasonCode: 'CANCELLED_BEFORE_SUBMIT', reason: `cancelled by ${cmd.issuedBy}` }) : undefined));
      log.info('approved order cancelled before submission');
      return;
    }
    if (isTerminal(order.status) || order.status === 'CANCELLED' || order.brokerOrderId === undefined) {
      log.info('cancel ignored: order not working at the broker', { status: order.status });
      return;
    }
    if (!broker.canTrade && !(await broker.waitUntilTradable(this.deps.options.commandWaitMs))) throw new GatewayError('GATEWAY.NOT_CONNECTED', `broker not tradable within ${this.deps.options.commandWaitMs} ms`);
    if (canTransition(order.status, 'PENDING_CANCEL')) await persistOrder(orders, order, (cur) => (canTransition(cur.status, 'PENDING_CANCEL') ? transition(cur, 'PENDING_CANCEL', this.deps.clock.now(), { reason: `cancel requested by ${cmd.issuedBy}` }) : undefined));
    await broker.cancelOrder(Number(order.brokerOrderId));
    log.info('cancel sent to broker', { brokerOrderId: order.brokerOrderId });
  }

  private async cancelAll(cmd: CancelAllOrders): Promise<void> {
    const { broker } = this.deps;
    const log = this.deps.logger.child({ correlationId: cmd.correlationId, command: cmd.kind });
    if (!broker.canTrade) {
      // Approved orders not yet sent are withdrawn locally, whatever the connection.
      await this.withdrawApproved(cmd);
      if (!(await broker.waitUntilTradable(this.deps.options.commandWaitMs))) throw new GatewayError('GATEWAY.NOT_CONNECTED', `broker not tradable within ${this.deps.options.commandWaitMs} ms`);
    }
    // The broker first: what is working there is what can hurt. The local bookkeeping after.
    await this.cancelAtBroker(cmd, log);
    await this.withdrawApproved(cmd);
  }

  /**
   * The broker side of a cancel-all alone (the bridge's halt watcher calls it when it sees HALTED
   * written, without waiting for the command behind a queue backlog). Resolves with the verdict
   * published and recorded. Requires a tradable connection.
   */
  async cancelAtBroker(cmd: CancelAllOrders, log: Logger = this.deps.logger.child({ correlationId: cmd.correlationId, command: 'HaltWatch' })): Promise<void> {
    // Barrier: a submit that passed the gate before HALTED was written, and had not yet queued its
    // placeOrder when we withdrew, sends it before our global cancel is even queued, so the cancel
    // covers it; every submit that starts later reads HALTED and is denied.
    // Orders still waiting for a pacing token are withdrawn first: they never reach the broker, and
    // the submits holding them finish at once instead of after the backlog is sent.
    const withdrawn = this.deps.broker.withdrawQueuedOrders(cmd.reason);
    if (withdrawn > 0) log.warn('orders withdrawn before sending', { withdrawn });
    await Promise.allSettled([...this.inFlightSubmits]);
    await this.verifiedGlobalCancel(cmd, log);
  }

  /** Approved orders never sent become CANCELLED, so a SubmitOrder still queued for one finds it closed. */
  private async withdrawApproved(cmd: CancelAllOrders): Promise<void> {
    const { orders } = this.deps;
    for (const o of await orders.listWorking()) {
      if (o.status === 'APPROVED' && o.brokerOrderId === undefined) {
        await persistOrder(orders, o, (cur) => (cur.status === 'APPROVED' ? transition(cur, 'CANCELLED', this.deps.clock.now(), { reasonCode: 'CANCEL_ALL', reason: cmd.reason }) : undefined));
      }
    }
  }

  /**
   * Kill switch: global cancel, then the broker's own open orders read back; while any remain, again
   * after a bounded backoff. The verdict is published (GlobalCancelVerified / GlobalCancelIncomplete),
   * recorded for `GET /api/system/status`, and an incomplete one pages on-call. Nothing here can let
   * an order through: HALTED is enforced per order by the final gate, whatever this finds.
   */
  private async verifiedGlobalCancel(cmd: CancelAllOrders, log: Logger): Promise<void> {
    const { broker, clock } = this.deps;
    const policy = this.deps.options.cancelVerify ?? DEFAULT_CANCEL_VERIFY;
    const started = clock.now().getTime();
    let attempts = 0;
    let open: Array<{ brokerOrderId: string; status: string }> = [];
    let lastError: string | undefined;
    for (;;) {
      try {
        await broker.reqGlobalCancel();
        attempts += 1;
        open = (await broker.openOrders(policy.openOrdersTimeoutMs)).filter((o) => !CLOSED_BROKER_STATUSES.has(o.status));
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        log.warn('global cancel round failed', { attempts, error: describe(error) });
      }
      if ((lastError === undefined && open.length === 0) || attempts >= policy.maxAttempts || (lastError !== undefined && !broker.canTrade)) break;
      await broker.sleep(cancelRetryDelayMs(Math.max(1, attempts), { initialMs: policy.initialDelayMs, maxMs: policy.maxDelayMs }));
    }
    const durationMs = Math.max(0, clock.now().getTime() - started);
    const complete = lastError === undefined && open.length === 0;
    const base = { attempts, durationMs, requestedBy: cmd.issuedBy, correlationId: cmd.correlationId, reason: cmd.reason };
    const brokerOrderIds = open.map((o) => o.brokerOrderId);
    if (complete) {
      log.warn('global cancel verified: no open order at the broker', { attempts, durationMs, issuedBy: cmd.issuedBy });
      await this.deps.sink.emit('GlobalCancelVerified', { ...base, remaining: 0 }, { correlationId: cmd.correlationId });
    } else {
      log.error('global cancel NOT verified: orders remain open at the broker', { attempts, durationMs, remaining: open.length, brokerOrderIds, error: lastError });
      await this.deps.sink.emit('GlobalCancelIncomplete', { ...base, remaining: open.length, brokerOrderIds, ...(lastError === undefined ? {} : { error: lastError }) }, { correlationId: cmd.correlationId });
      await this.deps.notifier
        ?.notify({ audience: ['oncall'], severity: 'CRITICAL', subject: 'Global cancel not verified', message: `After ${attempts} global cancel(s) the broker still lists ${open.length} open order(s)${lastError === undefined ? '' : ` (${lastError})`}. Cancel them in the broker's own tools.`, correlationId: cmd.correlationId, data: { brokerOrderIds, attempts, durationMs } })
        .catch((error: unknown) => log.error('incomplete-cancel notification failed', { error: describe(error) }));
    }
    try {
      await this.deps.killSwitch?.putCancelVerification({ correlationId: cmd.correlationId, requestedBy: cmd.issuedBy, complete, remaining: open.length, attempts: Math.max(1, attempts), durationMs, verifiedAt: clock.now().toISOString(), brokerOrderIds });
    } catch (error) {
      log.error('cancel verification not recorded', { error: describe(error) });
    }
  }

  private async reconcile(cmd: Reconcile): Promise<void> {
    await this.deps.broker.reconcile({ correlationId: cmd.correlationId, issuedBy: cmd.issuedBy, acceptBrokerPositions: cmd.acceptBrokerPositions });
  }

  private async deny(cmd: SubmitOrder | CancelOrder, order: Order | undefined, reasonCode: DenyReason, reason: string, log: Logger): Promise<void> {
    if (order !== undefined && order.status === 'APPROVED') {
      await persistOrder(this.deps.orders, order, (cur) => (cur.status === 'APPROVED' ? transition(cur, 'DENIED', this.deps.clock.now(), { reasonCode, reason }) : undefined));
    }
    log.warn('order denied by the final gate', { reasonCode, reason });
    await this.deps.sink.emit('OrderDenied', { clientOrderId: cmd.clientOrderId, reasonCode, message: reason, deniedBy: 'final-gate' }, { correlationId: cmd.correlationId });
  }
}
