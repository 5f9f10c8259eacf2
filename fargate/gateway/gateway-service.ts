import { randomUUID } from 'node:crypto';
import type { Contract, Order as IbOrder } from '@stoqey/ib';
import type { MaintenanceWindowSpec } from '../../lib/core/broker/maintenance.js';
import { activeMaintenanceWindow } from '../../lib/core/broker/maintenance.js';
import type { BrokerReconciled, ReconcileTrigger } from '../../lib/core/broker/reconciliation.js';
import type { HealthStatus } from '../../lib/core/health/health.js';
import type { Instrument } from '../../lib/core/instruments/instrument.js';
import type { Clock } from '../../lib/core/shared/clock.js';
import type { CommandConsumer } from '../../lib/ports/command-queue.js';
import type { EventPublisher } from '../../lib/ports/events.js';
import type { Logger } from '../../lib/ports/logger.js';
import type { Notifier } from '../../lib/ports/notifier.js';
import type { AccountStore, FillStore, HealthStore, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../../lib/ports/stores.js';
import type { PriceHistoryStore } from '../../lib/ports/price-history.js';
import type { ConnectionState } from './connection-supervisor.js';
import { ConnectionSupervisor } from './connection-supervisor.js';
import { GatewayError } from './errors.js';
import type { FarmKind } from './ib-codes.js';
import { classifyCode } from './ib-codes.js';
import { ACCOUNT_SUMMARY_TAG_LIST } from './mapping/account.js';
import { instrumentToContract } from './mapping/contract.js';
import type { CancelVerifyOptions, OrderBroker } from './order-router.js';
import type { KillSwitchStore } from '../../lib/ports/kill-switch.js';
import { OrderRouter } from './order-router.js';
import { BridgeOrderCache } from './order-cache.js';
import { MessagePacer } from './pacing.js';
import { brokerHealth, ConnectionPublisher } from './publishers/connection.js';
import { describe, EventSink } from './publishers/context.js';
import { InboundLanes } from './inbound-lanes.js';
import { ExecutionPublisher } from './publishers/executions.js';
import { MarketDataPublisher } from './publishers/market-data.js';
import { OrderUpdatePublisher } from './publishers/order-updates.js';
import { PortfolioPublisher } from './publishers/portfolio.js';
import { nextRefreshInstant, PriceHistoryPublisher, type PriceHistorySettings } from './publishers/price-history.js';
import type { LoginInfo } from './raw-client.js';
import { RawClient } from './raw-client.js';
import type { ReconcileRequest } from './reconciler.js';
import { BrokerReconciler } from './reconciler.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import { systemScheduler } from './scheduler.js';

/** Configuration of the bridge (parsed from the environment's config by the caller). */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  /** The account to trade; default: the first managed account the gateway reports. */
  readonly accountId?: string | undefined;
  /** Our pacing limit for every outgoing message; IB's hard limit is 50. @default 40 */
  readonly maxMessagesPerSecond: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number | undefined;
  readonly watchdogIntervalMs: number;
  readonly watchdogTimeoutMs: number;
  readonly reconnect: { readonly initialDelayMs: number; readonly maxDelayMs: number; readonly clientIdInUseDelayMs?: number | undefined };
  /** @default 120000 */
  readonly degradedTimeoutMs?: number | undefined;
  readonly heartbeatIntervalMs: number;
  /** Market and position snapshots are written at most once per interval. @default 1000 */
  readonly snapshotIntervalMs?: number | undefined;
  /** How long a command waits for the broker before it is NACKed for redelivery. @default 5000 */
  readonly commandWaitMs?: number | undefined;
  /** Time zone of exec times that name none (IB Gateway's login zone). @default 'America/New_York' */
  readonly timeZone?: string | undefined;
  /** Reconciliation (open orders + executions) must finish this soon after login, else it is re-requested. @default 10000 */
  readonly reconcileTimeoutMs?: number | undefined;
  /** Disconnected longer than this → one CRITICAL notification to on-call (deferred past a maintenance window). @default 60000 */
  readonly alertAfterMs?: number | undefined;
  /** The gateway's known maintenance windows (config `broker.maintenanceWindows`): an outage inside one pages nobody. */
  readonly maintenanceWindows?: ReadonlyArray<MaintenanceWindowSpec> | undefined;
  /** A position difference at reconciliation is re-checked once after this wait (a live fill may straddle the barrier). @default 1000 */
  readonly reconcileSettleMs?: number | undefined;
  readonly universe: ReadonlyArray<Instrument>;
  /**
   * Kill switch: how often the bridge reads the trading state by itself; a transition into HALTED
   * seen while running starts a verified global cancel at once, without waiting for the
   * CancelAllOrders command behind a backlog in the command queue. 0 turns it off. @default 200
   */
  readonly haltWatchIntervalMs?: number | undefined;
  /** Kill switch: how a global cancel is verified against the broker's open orders (see OrderRouterOptions). */
  readonly cancelVerify?: CancelVerifyOptions | undefined;
  /**
   * Daily bars for VaR (config `risk.history`): fetched for the universe on login when due and once
   * a day after the close, stored in `stores.priceHistory`. Absent (or no store): not fetched.
   */
  readonly history?: PriceHistorySettings | undefined;
}

export interface GatewayDeps {
  readonly config: GatewayConfig;
  readonly stores: {
    readonly tradingState: TradingStateStore;
    readonly orders: OrderStore;
    readonly fills: FillStore;
    readonly positions: PositionStore;
    readonly accounts: AccountStore;
    readonly quotes: QuoteStore;
    readonly health: HealthStore;
    /** Kill switch: halted strategies (final gate) and the last cancel verification. Optional so a bridge without it still runs. */
    readonly killSwitch?: KillSwitchStore | undefined;
    /** Daily closes for VaR (with `config.history`). */
    readonly priceHistory?: PriceHistoryStore | undefined;
  };
  readonly publisher: EventPublisher;
  readonly commands: CommandConsumer;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Uniform in [0, 1) for reconnect jitter. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Timers. @default systemScheduler */
  readonly scheduler?: Scheduler | undefined;
  /** Event ids. @default crypto.randomUUID */
  readonly newId?: (() => string) | undefined;
  readonly notifier?: Notifier | undefined;
}

/** The bridge's view of the broker, for `/health` and the ops CLI. */
export interface BrokerStatus {
  readonly health: HealthStatus;
  readonly state: ConnectionState;
  readonly connected: boolean;
  readonly loggedIn: boolean;
  /** Open orders and executions of this session have been read back; orders are held until then. */
  readonly reconciled: boolean;
  readonly lastRoundTripMs: number | undefined;
  readonly lastRoundTripAgeMs: number | undefined;
  readonly farms: Readonly<Record<FarmKind, 'ok' | 'down' | 'unknown'>>;
  readonly serverVersion: number | undefined;
  readonly account: string | undefined;
  readonly accounts: readonly string[];
  readonly connectAttempts: number;
  readonly sessions: number;
  readonly lastDisconnectReason: string | undefined;
  /** The broker is away inside a known maintenance window (daily restart, Sunday re-auth): expected, nobody paged. */
  readonly maintenance: { readonly window: string; readonly endsAt: string } | undefined;
  /** The last reconciliation's result (BrokerReconciled) and the correlation id of the request behind it. */
  readonly reconciliation: (BrokerReconciled & { readonly correlationId?: string | undefined }) | undefined;
  /** IB and client message codes seen (info and error), by code. 505 = the client failed to decode. */
  readonly codesSeen: Readonly<Record<string, number>>;
  /** Messages sent to IB, by operation. */
  readonly messagesSent: Readonly<Record<string, number>>;
}

export interface GatewayService {
  /** Connects (in the background, forever) and starts consuming commands; resolves after the first login or connectTimeoutMs. */
  start(): Promise<void>;
  /** SIGTERM: stop taking commands, finish the in-flight one, cancel subscriptions, write a last heartbeat, disconnect. */
  stop(): Promise<void>;
  status(): BrokerStatus;
  /** One reqCurrentTime round trip in ms; rejects `GATEWAY.NOT_CONNECTED` / `GATEWAY.WATCHDOG_TIMEOUT`. */
  roundTrip(): Promise<number>;
  /** Reconcile now (the `Reconcile` command); while disconnected, the next login's run carries the request. */
  reconcile(request: ReconcileRequest): Promise<void>;
}

/** Request ids for market data, account summary and executions live far above IB order ids, so an order error can never be read as a request error. */
const FIRST_REQUEST_ID = 900_000_000;

/** Inbound lanes (see InboundLanes): connection notices and heartbeats; positions, account and market snapshots; one per order; one per execution. */
const CONNECTION_LANE = 'connection';
const PORTFOLIO_LANE = 'portfolio';
const HISTORY_LANE = 'history';
const orderLane = (brokerOrderId: number | string): string => `order:${brokerOrderId}`;
const execLane = (execId: string): string => `exec:${execId}`;
function executionLanes(orderId: number | undefined, execId: string | undefined): string[] {
  // An execution without ids cannot be ordered with anything; it still gets a lane of its own kind.
  const lanes = [orderId === undefined ? 'order:?' : orderLane(orderId)];
  if (execId !== undefined) lanes.push(execLane(execId));
  return lanes;
}

/**
 * Composes the bridge: raw client → supervisor → publishers, and the command queue → order router.
 * @example
 * const gw = createGatewayService({ config, stores, publisher: bus, commands, logger, clock });
 * await gw.start(); process.on('SIGTERM', () => void gw.stop());
 */
export function createGatewayService(deps: GatewayDeps): GatewayService {
  const { config, stores, clock } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  const logger = deps.logger;
  const connectTimeoutMs = config.connectTimeoutMs ?? 5_000;
  const snapshotIntervalMs = Math.max(250, config.snapshotIntervalMs ?? 1_000);
  const instruments = new Map(config.universe.map((i) => [i.symbol as string, i]));
  const sink = new EventSink(deps.publisher, clock, deps.newId ?? randomUUID, logger, `gw-${config.clientId}-${clock.now().toISOString()}`);
  const pacer = new MessagePacer({ ratePerSecond: Math.min(50, config.maxMessagesPerSecond) }, scheduler);
  const raw = new RawClient({ host: config.host, port: config.port, clientId: config.clientId, connectTimeoutMs }, pacer, scheduler);
  const inbound = new InboundLanes(logger);
  // Broker callbacks find their order in memory (what this bridge last wrote); writes stay conditional.
  const orders = new BridgeOrderCache(stores.orders);
  const orderUpdates = new OrderUpdatePublisher(orders, sink, clock, logger);
  const executions = new ExecutionPublisher(orders, stores.fills, sink, logger, config.timeZone ?? 'America/New_York', config.clientId);
  const portfolio = new PortfolioPublisher(stores.positions, stores.accounts, sink, clock, logger, snapshotIntervalMs);
  const marketData = new MarketDataPublisher(stores.quotes, sink, clock);
  const connection = new ConnectionPublisher(stores.health, sink, clock);
  const history = config.history !== undefined && stores.priceHistory !== undefined ? new PriceHistoryPublisher(stores.priceHistory, sink, clock, logger.child({ part: 'price-history' }), config.history) : undefined;
  let historyTimer: TimerHandle | undefined;
  const codesSeen = new Map<number, number>();
  let nextRequestId = FIRST_REQUEST_ID;
  let nextOrderId = 0;
  let account: string | undefined = config.accountId;
  let accountSummaryReqId: number | undefined;
  let heartbeatTimer: TimerHandle | undefined;
  let flushTimer: TimerHandle | undefined;
  let alertTimer: TimerHandle | undefined;
  let running = false;
  /** Reconciliation of the current session: orders may be sent only once it finished (END markers + positions). */
  let reconcile: { sessionId: number; execReqId: number; trigger: ReconcileTrigger; request: ReconcileRequest | undefined; openOrdersDone: boolean; executionsDone: boolean; finishing: boolean; timer: TimerHandle | undefined } | undefined;
  /** A Reconcile request that arrived while no session was up: the next login's run answers it. */
  let pendingRequest: ReconcileRequest | undefined;
  /** Broker order ids allocated but not yet handed to the socket (a run started meanwhile does not judge them). */
  const handingOver = new Set<number>();
  const reconciler = new BrokerReconciler({ orders, sink, clock, logger: logger.child({ part: 'reconciler' }), clientId: config.clientId });
  executions.onRecorded = (fill) => reconciler.onFillRecorded(fill);
  let reconciledSession: number | undefined;
  let tradableWaiters: Array<() => void> = [];
  /** Open-order snapshots in progress (kill switch verification), completed by the next openOrderEnd. */
  const openOrderSnapshots: Array<{ orders: Map<string, { brokerOrderId: string; status: string }>; done: () => void }> = [];

  const supervisor: ConnectionSupervisor = new ConnectionSupervisor(
    raw,
    { watchdogIntervalMs: config.watchdogIntervalMs, watchdogTimeoutMs: config.watchdogTimeoutMs, reconnect: config.reconnect, degradedTimeoutMs: config.degradedTimeoutMs },
    scheduler,
    deps.random ?? Math.random,
    logger.child({ part: 'supervisor' }),
    {
      stateChanged: (e) => {
        // A session closed because we are stopping is reported as 'stopped' (broker-watch does not
        // treat a planned stop as an outage); `running` is already false then.
        const reason = running || e.to === 'connected' ? e.reason : 'stopped';
        void inbound.run(CONNECTION_LANE, 'stateChanged', async () => {
          await connection.onStateChanged({ ...e, reason, serverVersion: e.to === 'connected' ? supervisor.loginInfo?.serverVersion : undefined });
          await heartbeat();
        });
        armOutageAlert(e.to);
        // 1102 "restored, data maintained": subscriptions live on, but orders and fills may have
        // moved while IB was away — read them back before trading again (1101 does it via resubscribe).
        if (e.to === 'connected' && e.code === 1102) void startReconcile('restored').catch((error: unknown) => logger.warn('reconcile after 1102 failed to start', { error: describe(error) }));
        if (e.to !== 'connected' && e.to !== 'degraded') {
          reconciler.abandon();
          if (history?.running === true) void inbound.run(HISTORY_LANE, 'historyAbandon', () => history.abandon(`session ended: ${e.reason}`));
        }
        notifyTradable();
      },
      loggedIn: (info) => onLoggedIn(info),
      resubscribe: (reason) => {
        logger.warn('broker data lost, re-requesting subscriptions', { reason });
        void subscribeAll(reason);
      },
      farmChanged: () => void inbound.run(CONNECTION_LANE, 'farmChanged', heartbeat),
    },
  );

  const tradable = (): boolean => supervisor.canTrade && reconciledSession !== undefined && reconciledSession === supervisor.loginInfo?.sessionId;
  const notifyTradable = (): void => {
    if (!tradable()) return;
    for (const w of tradableWaiters.splice(0)) w();
  };
  /** Resolves true once connected AND reconciled, false after `timeoutMs`. */
  function waitUntilTradable(timeoutMs: number): Promise<boolean> {
    if (tradable()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        scheduler.clearTimeout(timer);
        resolve(true);
      };
      const timer = scheduler.setTimeout(() => {
        tradableWaiters = tradableWaiters.filter((w) => w !== done);
        resolve(tradable());
      }, timeoutMs);
      tradableWaiters.push(done);
    });
  }

  const see = (code: number): void => {
    codesSeen.set(code, (codesSeen.get(code) ?? 0) + 1);
  };

  // ---- inbound broker events: in arrival order per order / execution / connection / portfolio lane ----
  raw.on('info', (e) => {
    see(e.code);
    void inbound.run(CONNECTION_LANE, 'info', () => connection.onNotice(e.code, e.message));
  });
  raw.on('error', (e) => {
    see(e.code);
    // An error about one of our orders is ordered with that order's reports (and with the
    // connection lane, where it becomes a notice if the id is not an order of ours).
    const isOrderId = e.reqId >= 0 && e.reqId < FIRST_REQUEST_ID;
    if (history?.isHistoryRequest(e.reqId) === true) {
      logger.warn('daily bars refused', { code: e.code, reqId: e.reqId, message: e.message });
      void inbound.run(HISTORY_LANE, 'historyError', () => history.onError(e));
      return;
    }
    void inbound.run(isOrderId ? [orderLane(e.reqId), CONNECTION_LANE] : CONNECTION_LANE, 'error', async () => {
      if (isOrderId && (await orderUpdates.onOrderError(e))) return;
      if (marketData.isMarketDataRequest(e.reqId) && classifyCode(e.code) === 'marketDataDead') {
        const instrument = marketData.onSubscriptionDead(e.reqId, 30_000);
        logger.warn('market data subscription ended by the broker', { reqId: e.reqId, code: e.code, reRequest: instrument?.symbol });
        if (instrument !== undefined) reviveMarketData(instrument);
      }
      logger.warn('broker error', { code: e.code, reqId: e.reqId, message: e.message });
      await connection.onNotice(e.code, e.message, e.reqId);
    });
  });
  raw.on('decodeFailure', (e) => {
    see(505);
    logger.error('broker message could not be decoded and was skipped', { message: e.message });
    void inbound.run(CONNECTION_LANE, 'decodeFailure', () => connection.onNotice(505, `undecodable broker message skipped: ${e.message}`));
  });
  raw.on('nextValidId', (e) => {
    nextOrderId = Math.max(nextOrderId, e.orderId);
  });
  // Another client's order (reqAllOpenOrders) carries ITS client's order id: never read it as ours.
  raw.on('openOrder', (e) => reconciler.noteOpenOrder(e));
  raw.on('orderStatus', (e) => {
    if (reconciler.isForeign(e.permId)) return reconciler.noteForeignStatus(e);
    void inbound.run(orderLane(e.orderId), 'orderStatus', () => orderUpdates.onOrderStatus(e));
  });
  // An execution follows its order's earlier reports and precedes its own commission report.
  raw.on('execDetails', (e) => void inbound.run(executionLanes(e.execution.orderId, e.execution.execId), 'execDetails', () => executions.onExecution(e)));
  raw.on('commissionReport', (e) => void inbound.run(execLane(e.report.execId ?? '?'), 'commissionReport', () => executions.onCommission(e)));
  raw.on('position', (e) => void inbound.run(PORTFOLIO_LANE, 'position', async () => portfolio.onPosition(e)));
  raw.on('positionEnd', () => {
    void inbound.run(PORTFOLIO_LANE, 'positionEnd', () => portfolio.onPositionEnd());
    void inbound.runBarrier('positionEnd', () => finishReconcile());
  });
  raw.on('accountSummary', (e) => void inbound.run(PORTFOLIO_LANE, 'accountSummary', async () => portfolio.onAccountSummary(e)));
  raw.on('accountSummaryEnd', (e) => void inbound.run(PORTFOLIO_LANE, 'accountSummaryEnd', () => portfolio.onAccountSummaryEnd(e)));
  // END markers are barriers: every order and execution before them is applied first.
  // kill switch: the broker's open orders, collected for a cancel verification
  raw.on('openOrder', (e) => {
    for (const c of openOrderSnapshots) c.orders.set(String(e.order.permId ?? `id:${e.orderId}`), { brokerOrderId: String(e.orderId), status: e.orderState.status ?? '' });
  });
  raw.on('openOrderEnd', () =>
    void inbound.runBarrier('openOrderEnd', async () => {
      for (const c of openOrderSnapshots.splice(0)) c.done();
      if (reconcile !== undefined) reconcile.openOrdersDone = true;
      await finishReconcile();
    }),
  );
  raw.on('execDetailsEnd', (e) =>
    void inbound.runBarrier('execDetailsEnd', async () => {
      if (reconcile !== undefined && e.reqId === reconcile.execReqId) reconcile.executionsDone = true;
      await finishReconcile();
    }),
  );
  // Bars only touch memory until their request ends; the store write runs in its own lane.
  raw.on('historicalData', (e) => history?.onBar(e));
  raw.on('historicalDataEnd', (e) => {
    if (history !== undefined) void inbound.run(HISTORY_LANE, 'historicalDataEnd', () => history.onEnd(e));
  });
  // Ticks only touch memory; they skip the queue so a burst cannot delay order events.
  raw.on('tickPrice', (e) => marketData.onTickPrice(e));
  raw.on('tickSize', (e) => marketData.onTickSize(e));

  function onLoggedIn(info: LoginInfo): void {
    orders.clear();
    nextOrderId = Math.max(nextOrderId, info.nextValidId);
    if (config.accountId !== undefined && !info.accounts.includes(config.accountId)) {
      logger.error('configured account is not managed by this gateway session', { accountId: config.accountId, accounts: info.accounts });
      void inbound.run(CONNECTION_LANE, 'accountMismatch', () => connection.onNotice(0, `configured account ${config.accountId} not in managed accounts ${info.accounts.join(',')}`));
    }
    account = config.accountId ?? info.accounts[0];
    logger.info('broker logged in', { sessionId: info.sessionId, serverVersion: info.serverVersion, accounts: info.accounts, nextValidId: info.nextValidId });
    void subscribeAll('login', 'login');
  }

  /** Re-requests one instrument's market data after a pause (the farm usually needs a moment). */
  function reviveMarketData(instrument: Instrument): void {
    scheduler.setTimeout(() => {
      if (!running || !supervisor.status().loggedIn) return;
      const reqId = nextRequestId++;
      marketData.assign(reqId, instrument);
      raw.reqMktData(reqId, instrumentToContract(instrument)).catch((error: unknown) => logger.warn('market data re-request failed', { symbol: instrument.symbol, error: describe(error) }));
    }, snapshotIntervalMs);
  }

  /**
   * Runs inside an inbound barrier once open orders, executions and the position snapshot are all
   * in: the reconciler resolves orders, compares positions (re-checking once after a settle wait)
   * and publishes BrokerReconciled; then the session is tradable. Trading state is broker-watch's
   * call: a NOT aligned result halts trading there, the bridge itself only needs its orders read back.
   */
  async function finishReconcile(recheck = false): Promise<void> {
    const r = reconcile;
    if (r === undefined || !r.openOrdersDone || !r.executionsDone || (r.finishing && !recheck)) return;
    const positions = portfolio.positionsSnapshot();
    if (positions === undefined) return; // positionEnd's barrier calls again
    r.finishing = true;
    if (r.timer !== undefined) scheduler.clearTimeout(r.timer);
    r.timer = undefined;
    let result: BrokerReconciled | undefined;
    try {
      result = await reconciler.finish(positions, !recheck);
    } catch (error) {
      logger.error('reconciliation failed; still refusing to trade, asking again', { error: describe(error) });
      r.finishing = false;
      scheduler.setTimeout(() => void startReconcile(r.trigger, r.request).catch(() => undefined), config.reconcileSettleMs ?? 1_000);
      return;
    }
    if (reconcile !== r) return;
    if (result === undefined) {
      // A position difference: wait for in-flight reports, then compare once more.
      scheduler.setTimeout(() => void inbound.runBarrier('reconcileRecheck', () => finishReconcile(true)), config.reconcileSettleMs ?? 1_000);
      return;
    }
    reconcile = undefined;
    reconciledSession = r.sessionId;
    logger.info('broker reconciled: open orders, executions and positions read back', { sessionId: r.sessionId, aligned: result.aligned });
    notifyTradable();
    void inbound.run(CONNECTION_LANE, 'heartbeat', heartbeat);
  }

  /**
   * Reads back open orders and executions (fills missed while away are applied, deduplicated by
   * execId). Until both END markers arrive the bridge refuses to trade (Nautilus: reconcile on
   * start, fail closed); if they do not arrive in time it asks again.
   */
  async function startReconcile(trigger: ReconcileTrigger, request?: ReconcileRequest): Promise<void> {
    const sessionId = supervisor.loginInfo?.sessionId;
    if (sessionId === undefined) return;
    if (reconcile?.timer !== undefined) scheduler.clearTimeout(reconcile.timer);
    // A request waiting for a session, or one still unanswered by a run this replaces, rides along.
    const carried = request ?? pendingRequest ?? reconcile?.request;
    pendingRequest = undefined;
    reconciledSession = undefined;
    const execReqId = nextRequestId++;
    const timeoutMs = config.reconcileTimeoutMs ?? 10_000;
    reconciler.begin(sessionId, carried === undefined ? trigger : 'request', carried, nextOrderId, handingOver);
    reconcile = {
      sessionId,
      execReqId,
      trigger,
      request: carried,
      openOrdersDone: false,
      executionsDone: false,
      finishing: false,
      timer: scheduler.setTimeout(() => {
        if (reconcile?.execReqId !== execReqId || supervisor.loginInfo?.sessionId !== sessionId) return;
        logger.error('broker reconciliation timed out; still refusing to trade, asking again', { timeoutMs, sessionId });
        void inbound.run(CONNECTION_LANE, 'reconcileTimeout', () => connection.onNotice(0, `reconciliation not finished within ${timeoutMs} ms; orders held`));
        void startReconcile(trigger, carried).catch(() => undefined);
      }, timeoutMs),
    };
    // Every client's working orders (unknown ones are adopted as EXTERNAL) and ALL of the day's
    // executions rather than "since the last one seen": IB keeps only the day's anyway, its time
    // filter is in the gateway's zone, and execIds make the replay idempotent.
    await raw.reqAllOpenOrders();
    await raw.reqExecutions(execReqId, {});
  }

  /** (Re)requests every subscription and reconciles orders and fills (after login and after 1101). */
  async function subscribeAll(reason: string, trigger: ReconcileTrigger = 'restored'): Promise<void> {
    try {
      supervisor.roundTrip().then(
        () => void inbound.run(CONNECTION_LANE, 'heartbeat', heartbeat),
        () => undefined,
      );
      portfolio.beginPositions();
      await raw.reqPositions();
      accountSummaryReqId = nextRequestId++;
      portfolio.beginAccountSummary(accountSummaryReqId);
      await raw.reqAccountSummary(accountSummaryReqId, 'All', ACCOUNT_SUMMARY_TAG_LIST);
      for (const instrument of config.universe) {
        const reqId = nextRequestId++;
        marketData.assign(reqId, instrument);
        await raw.reqMktData(reqId, instrumentToContract(instrument));
      }
      // Orders and fills that moved while we were away; fills are deduplicated by execId.
      await startReconcile(trigger);
      logger.info('broker subscriptions requested', { reason, instruments: config.universe.length });
      if (trigger === 'login' && history?.isDue() === true) void fetchHistory('login');
    } catch (error) {
      // The session ended mid-way; the next login requests everything again.
      logger.warn('subscribing interrupted', { reason, error: describe(error) });
    }
  }

  /**
   * One round of daily bars for the universe. Requests take the pacer's background lane, so orders
   * and cancels pass them; a round not answered in time is closed with the rest marked failed.
   */
  async function fetchHistory(reason: string): Promise<void> {
    if (history === undefined) return;
    const round = history.begin(config.universe, () => nextRequestId++);
    if (round === undefined) return;
    const s = history.settings;
    logger.info('fetching daily bars', { reason, instruments: round.requests.length, duration: s.duration, whatToShow: s.whatToShow });
    const timeoutMs = s.timeoutMs ?? 120_000;
    const timer = scheduler.setTimeout(() => void inbound.run(HISTORY_LANE, 'historyTimeout', () => history.abandon(`no answer within ${timeoutMs} ms`)), timeoutMs);
    void round.finished.then(() => scheduler.clearTimeout(timer));
    for (const r of round.requests) {
      try {
        await raw.reqHistoricalData(r.reqId, instrumentToContract(r.instrument), s.duration, s.whatToShow);
      } catch (error) {
        // The session ended while requests waited for the pacer: the next login asks again.
        await inbound.run(HISTORY_LANE, 'historyAbandon', () => history.abandon(`not sent: ${describe(error).message as string}`));
        return;
      }
    }
  }

  /** The daily fetch after the close (config `risk.history.refreshAt`, trading days); while away, the next login fetches. */
  function scheduleHistoryRefresh(): void {
    if (history === undefined) return;
    const now = clock.now();
    const at = nextRefreshInstant(now, history.settings.refreshAt);
    historyTimer = scheduler.setTimeout(() => {
      if (!running) return;
      if (supervisor.status().loggedIn && history.isDue()) void fetchHistory('daily refresh');
      scheduleHistoryRefresh();
    }, Math.max(1_000, at.getTime() - now.getTime()));
  }

  const broker: OrderBroker = {
    get canTrade() {
      return tradable();
    },
    waitUntilTradable,
    allocateOrderId: () => {
      if (!tradable()) throw new GatewayError('GATEWAY.NOT_CONNECTED', 'no session to allocate an order id from');
      const id = nextOrderId++;
      handingOver.add(id);
      return id;
    },
    account: () => account,
    placeOrder: (id: number, contract: Contract, order: IbOrder) => raw.placeOrder(id, contract, order).finally(() => handingOver.delete(id)),
    reconcile: (request) => requestReconcile(request),
    cancelOrder: (id: number) => raw.cancelOrder(id),
    reqGlobalCancel: () => raw.reqGlobalCancel(),
    withdrawQueuedOrders: (reason: string) => raw.withdrawQueuedOrders(reason),
    // kill switch: what the broker itself says is still open, every client of the account
    openOrders: (timeoutMs: number) =>
      new Promise((resolve, reject) => {
        const snapshot = {
          orders: new Map<string, { brokerOrderId: string; status: string }>(),
          done: () => {
            scheduler.clearTimeout(timer);
            resolve([...snapshot.orders.values()]);
          },
        };
        const timer = scheduler.setTimeout(() => {
          const i = openOrderSnapshots.indexOf(snapshot);
          if (i >= 0) openOrderSnapshots.splice(i, 1);
          reject(new GatewayError('GATEWAY.OPEN_ORDERS_TIMEOUT', `no openOrderEnd within ${timeoutMs} ms`));
        }, timeoutMs);
        openOrderSnapshots.push(snapshot);
        raw.reqAllOpenOrders().catch((error: unknown) => {
          scheduler.clearTimeout(timer);
          const i = openOrderSnapshots.indexOf(snapshot);
          if (i >= 0) openOrderSnapshots.splice(i, 1);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      }),
    sleep: (ms: number) => new Promise<void>((resolve) => scheduler.setTimeout(resolve, ms)),
  };
  const router = new OrderRouter({
    orders,
    tradingState: stores.tradingState,
    positions: stores.positions,
    instruments,
    broker,
    sink,
    clock,
    logger,
    options: { commandWaitMs: config.commandWaitMs ?? 5_000, ...(config.cancelVerify === undefined ? {} : { cancelVerify: config.cancelVerify }) },
    // kill switch: strategy halts at the final gate, the cancel verdict for /api/system/status, on-call paged on an incomplete cancel
    ...(stores.killSwitch === undefined ? {} : { killSwitch: stores.killSwitch }),
    ...(deps.notifier === undefined ? {} : { notifier: deps.notifier }),
  });

  function status(): BrokerStatus {
    const s = supervisor.status();
    const now = scheduler.now();
    const reconciled = reconciledSession !== undefined && reconciledSession === supervisor.loginInfo?.sessionId && s.loggedIn;
    const health = brokerHealth(s, now, config.watchdogIntervalMs + config.watchdogTimeoutMs + 1_000);
    return {
      health: health === 'ok' && !reconciled ? 'degraded' : health,
      reconciled,
      state: s.state,
      connected: s.loggedIn,
      loggedIn: s.loggedIn,
      lastRoundTripMs: s.lastRoundTripMs,
      lastRoundTripAgeMs: s.lastRoundTripAt === undefined ? undefined : now - s.lastRoundTripAt,
      farms: s.farms,
      serverVersion: s.serverVersion,
      account,
      accounts: s.accounts,
      connectAttempts: s.connectAttempts,
      sessions: s.sessions,
      lastDisconnectReason: s.lastDisconnectReason,
      maintenance: s.state === 'connected' ? undefined : maintenanceNow(),
      reconciliation: reconciler.last === undefined ? undefined : { ...reconciler.last.result, ...(reconciler.last.correlationId === undefined ? {} : { correlationId: reconciler.last.correlationId }) },
      codesSeen: Object.fromEntries([...codesSeen].map(([k, v]) => [String(k), v])),
      messagesSent: Object.fromEntries(raw.sentCounts),
    };
  }

  async function heartbeat(): Promise<void> {
    const s = status();
    try {
      await connection.heartbeat(running ? s.health : 'down', {
        connected: s.connected,
        loggedIn: s.loggedIn,
        reconciled: s.reconciled,
        state: s.state,
        lastRoundTripMs: s.lastRoundTripMs,
        lastRoundTripAgeMs: s.lastRoundTripAgeMs,
        farms: s.farms,
        serverVersion: s.serverVersion,
        account: s.account,
        sessions: s.sessions,
        // Broker resilience: "broker maintenance" while away inside a known window, and the last reconciliation.
        broker_maintenance: s.maintenance !== undefined,
        ...(s.maintenance === undefined ? {} : { maintenance_window: s.maintenance.window, maintenance_ends_at: s.maintenance.endsAt }),
        ...(s.reconciliation === undefined ? {} : { reconciliation: s.reconciliation }),
        ...(running ? {} : { stopped: true }),
      });
    } catch (error) {
      logger.error('heartbeat write failed', { error: describe(error) });
    }
  }

  function maintenanceNow(): { window: string; endsAt: string } | undefined {
    const w = activeMaintenanceWindow(config.maintenanceWindows ?? [], clock.now());
    return w === undefined ? undefined : { window: w.name, endsAt: w.endsAt };
  }

  /** The Reconcile command: run now if a session is up, else answer with the next login's run. */
  async function requestReconcile(request: ReconcileRequest): Promise<void> {
    logger.info('reconciliation requested', { correlationId: request.correlationId, issuedBy: request.issuedBy, acceptBrokerPositions: request.acceptBrokerPositions === true });
    if (!supervisor.status().loggedIn) {
      pendingRequest = request;
      return;
    }
    await startReconcile('request', request);
  }

  function armOutageAlert(to: ConnectionState): void {
    if (to === 'connected') {
      if (alertTimer !== undefined) scheduler.clearTimeout(alertTimer);
      alertTimer = undefined;
      return;
    }
    if (alertTimer !== undefined || !running || deps.notifier === undefined || to === 'stopped') return;
    const after = config.alertAfterMs ?? 60_000;
    const fire = (): void => {
      alertTimer = undefined;
      const s = status();
      if (!running || s.state === 'connected') return;
      if (s.maintenance !== undefined) {
        // Expected: the gateway restarts in this window. Page only if it is still away after it.
        const wait = Math.max(0, Date.parse(s.maintenance.endsAt) - clock.now().getTime()) + after;
        logger.info('broker away inside a maintenance window; not paging', { window: s.maintenance.window, endsAt: s.maintenance.endsAt });
        alertTimer = scheduler.setTimeout(fire, wait);
        return;
      }
      void deps.notifier
        ?.notify({ audience: ['oncall'], severity: 'CRITICAL', subject: 'Broker bridge cannot trade', message: `IB ${s.state} for more than ${after} ms; orders are held. Last reason: ${s.lastDisconnectReason ?? 'n/a'}`, data: { ...s } })
        .catch((error: unknown) => logger.error('outage notification failed', { error: describe(error) }));
    };
    alertTimer = scheduler.setTimeout(fire, after);
  }

  function scheduleHeartbeat(): void {
    heartbeatTimer = scheduler.setTimeout(() => {
      void inbound.run(CONNECTION_LANE, 'heartbeat', heartbeat).finally(() => {
        if (running) scheduleHeartbeat();
      });
    }, config.heartbeatIntervalMs);
  }

  // kill switch: watch the trading state, so a halt withdraws working orders even with commands queued
  let haltTimer: TimerHandle | undefined;
  let lastMode: string | undefined;
  let haltHandledVersion: number | undefined;
  async function checkHalt(): Promise<void> {
    const state = await stores.tradingState.get().catch(() => undefined);
    if (state === undefined) return;
    const wasRunning = lastMode !== undefined;
    // Versions, not modes: a reset and a new halt between two checks is still a new halt.
    const entered = state.mode === 'HALTED' && haltHandledVersion !== state.version;
    if (state.mode !== 'HALTED') haltHandledVersion = undefined;
    // A bridge that starts into HALTED does not act on it: only a halt seen happening is acted on here (the command covers the rest).
    if (!wasRunning && state.mode === 'HALTED') haltHandledVersion = state.version;
    lastMode = state.mode;
    if (!wasRunning || !entered) return;
    if (!tradable()) {
      // A halt while the broker is away (e.g. an automatic halt on disconnect) is not acted on here:
      // nothing can be cancelled now, and a CancelAllOrders command waits for the connection itself.
      haltHandledVersion = state.version;
      return;
    }
    try {
      await router.cancelAtBroker({ kind: 'CancelAllOrders', reason: state.reason, correlationId: `halt-v${state.version}` as never, issuedAt: state.changedAt, issuedBy: state.changedBy });
      haltHandledVersion = state.version;
    } catch (error) {
      logger.warn('halt seen but the global cancel failed; retrying on the next check', { error: describe(error) });
    }
  }
  function scheduleHaltWatch(): void {
    const every = config.haltWatchIntervalMs ?? 200;
    if (every <= 0) return;
    haltTimer = scheduler.setTimeout(() => {
      void checkHalt().finally(() => {
        if (running) scheduleHaltWatch();
      });
    }, every);
  }

  function scheduleFlush(): void {
    flushTimer = scheduler.setTimeout(() => {
      void inbound
        .run(PORTFOLIO_LANE, 'flush', async () => {
          await marketData.flush();
          await portfolio.flush();
        })
        .finally(() => {
          if (running) scheduleFlush();
        });
    }, snapshotIntervalMs);
  }

  return {
    async start() {
      if (running) return;
      running = true;
      logger.info('gateway starting', { host: config.host, port: config.port, clientId: config.clientId, instruments: config.universe.length });
      supervisor.start();
      deps.commands.start((command) => router.handle(command));
      scheduleHeartbeat();
      scheduleFlush();
      scheduleHaltWatch();
      scheduleHistoryRefresh();
      await waitUntilTradable(connectTimeoutMs);
      await inbound.run(CONNECTION_LANE, 'heartbeat', heartbeat);
    },

    async stop() {
      if (!running) return;
      logger.info('gateway stopping: draining commands');
      // 1. No new commands; the in-flight one finishes (CommandConsumer.stop waits for it).
      await deps.commands.stop();
      running = false;
      for (const t of [heartbeatTimer, flushTimer, alertTimer, reconcile?.timer, haltTimer, historyTimer]) if (t !== undefined) scheduler.clearTimeout(t);
      // 2. Release subscriptions while the session is still up (best effort).
      if (supervisor.status().loggedIn) {
        try {
          for (const reqId of marketData.activeRequestIds()) {
            await raw.cancelMktData(reqId);
            marketData.forget(reqId);
          }
          await raw.cancelPositions();
          if (accountSummaryReqId !== undefined) await raw.cancelAccountSummary(accountSummaryReqId);
        } catch (error) {
          logger.warn('releasing subscriptions failed', { error: describe(error) });
        }
      }
      // 3. Write what we hold, then a last heartbeat saying we are down, then disconnect.
      await inbound.run(PORTFOLIO_LANE, 'flush', async () => {
        await marketData.flush();
        await portfolio.flush();
      });
      await supervisor.stop();
      await inbound.idle();
      await inbound.run(CONNECTION_LANE, 'heartbeat', heartbeat);
      pacer.close();
      logger.info('gateway stopped');
    },

    status,

    roundTrip: () => supervisor.roundTrip(),

    reconcile: (request) => requestReconcile(request),
  };
}
