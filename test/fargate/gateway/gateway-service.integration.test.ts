/**
 * The bridge against a real ib-sim over TCP on 127.0.0.1 (real @stoqey/ib client, real socket),
 * with hand-written in-memory stores. Short intervals keep the file fast.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { createGatewayService, type GatewayService } from '../../../fargate/gateway/gateway-service.js';
import type { Instrument } from '../../../lib/core/instruments/instrument.js';
import { InstrumentSchema } from '../../../lib/core/instruments/instrument.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { OrderSchema } from '../../../lib/core/orders/order.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';
import { InMemoryCommandQueue, MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { until } from '../../support/poll.js';

const universe: Instrument[] = [
  InstrumentSchema.parse({ symbol: 'AAPL', conId: 265598, primaryExchange: 'NASDAQ' }),
  InstrumentSchema.parse({ symbol: 'MSFT', conId: 272093, primaryExchange: 'NASDAQ' }),
  InstrumentSchema.parse({ symbol: 'SPY', secType: 'ETF', conId: 756733, primaryExchange: 'ARCA' }),
];
const clock = { now: () => new Date() };
const active: TradingState = { mode: 'ACTIVE', version: 1, changedAt: new Date().toISOString(), changedBy: 'test', reason: 'test' };

interface Rig {
  sim: IbSimHandle;
  gw: GatewayService;
  stores: ReturnType<typeof inMemoryStores>;
  publisher: RecordingPublisher;
  commands: InMemoryCommandQueue;
  logger: MemoryLogger;
}
const rigs: Rig[] = [];

async function rig(options: { tradingState?: TradingState; watchdogTimeoutMs?: number; reconnect?: { initialDelayMs: number; maxDelayMs: number } } = {}): Promise<Rig> {
  const sim = await startIbSim({ port: 0, seed: 7, tickIntervalMs: 50 });
  const stores = inMemoryStores({ tradingState: options.tradingState ?? active });
  const publisher = new RecordingPublisher();
  const commands = new InMemoryCommandQueue(50);
  const logger = new MemoryLogger();
  const gw = createGatewayService({
    config: {
      host: '127.0.0.1',
      port: sim.port,
      clientId: 7,
      maxMessagesPerSecond: 40,
      connectTimeoutMs: 1_000,
      watchdogIntervalMs: 250,
      watchdogTimeoutMs: options.watchdogTimeoutMs ?? 400,
      reconnect: options.reconnect ?? { initialDelayMs: 100, maxDelayMs: 400 },
      heartbeatIntervalMs: 250,
      snapshotIntervalMs: 250,
      commandWaitMs: 3_000,
      universe,
    },
    stores,
    publisher,
    commands,
    logger,
    clock,
  });
  const r = { sim, gw, stores, publisher, commands, logger };
  rigs.push(r);
  await gw.start();
  await until('health ok', () => gw.status().health === 'ok');
  return r;
}

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    // No 505 (the client's own decoder check) in any scenario.
    expect(r.gw.status().codesSeen['505']).toBeUndefined();
    await r.gw.stop();
    await r.sim.close();
  }
});

let seq = 0;
async function approvedOrder(r: Rig, o: Partial<Order> = {}): Promise<Order> {
  const now = new Date().toISOString();
  seq += 1;
  return r.stores.orders.create(OrderSchema.parse({ clientOrderId: `CO-IT-${Date.now()}-${seq}`, symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'MKT', status: 'APPROVED', correlationId: `corr-${seq}`, createdAt: now, updatedAt: now, version: 0, ...o }));
}
const submit = (o: Order): OrderCommand => ({ kind: 'SubmitOrder', clientOrderId: o.clientOrderId, correlationId: o.correlationId, issuedAt: new Date().toISOString(), issuedBy: 'test' });

describe('gateway service against ib-sim', () => {
  it('connects, logs in and reports broker health ok with snapshots', async () => {
    const { gw, stores, publisher, sim } = await rig();
    const [health] = await stores.health.list();
    expect(health).toMatchObject({ component: 'broker', status: 'ok', detail: { connected: true, loggedIn: true, reconciled: true, serverVersion: 193, account: sim.accountId } });
    expect(gw.status()).toMatchObject({ reconciled: true, state: 'connected', farms: { marketData: 'ok' } });
    expect(typeof (health?.detail['lastRoundTripMs'] as number)).toBe('number');
    await until('quotes', async () => (await stores.quotes.list()).length === universe.length);
    await until('account summary', async () => (await stores.accounts.list()).length === 1);
    expect(publisher.ofType('AccountSummaryReport').length).toBeGreaterThan(0);
    expect(publisher.ofType('PositionReport').length).toBeGreaterThanOrEqual(0);
    expect(publisher.ofType('BrokerConnectionChanged').at(-1)?.detail).toMatchObject({ state: 'connected' });
    expect(await gw.roundTrip()).toBeGreaterThanOrEqual(0);
  });

  it('publishes market snapshots at a bounded rate', async () => {
    const { publisher } = await rig();
    const before = publisher.ofType('MarketSnapshotReport').length;
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 1_000));
    const perSecond = ((publisher.ofType('MarketSnapshotReport').length - before) * 1000) / (Date.now() - start);
    // ticks arrive every 50 ms per symbol (~60/s); snapshots at most one per 250 ms interval
    expect(perSecond).toBeGreaterThan(0);
    expect(perSecond).toBeLessThanOrEqual(5);
  });

  it('submits a market order, records its fill once even when executions are re-delivered after a reconnect', async () => {
    const r = await rig();
    const order = await approvedOrder(r);
    await r.commands.send(submit(order));
    const filled = await until('order filled', async () => {
      const o = await r.stores.orders.get(order.clientOrderId);
      return o?.status === 'FILLED' && o.filledQuantity === 10 ? o : undefined;
    });
    expect(filled.brokerOrderId).toBeDefined();
    expect(r.publisher.ofType('OrderSubmitted').map((e) => e.detail['clientOrderId'])).toEqual([order.clientOrderId]);
    await until('fill report', () => r.publisher.ofType('FillReport').length === 1);
    await until('commission', async () => (await r.stores.fills.listByOrder(order.clientOrderId))[0]?.commission !== undefined);
    const correlation = r.publisher.ofType('FillReport')[0]?.correlationId;
    expect(correlation).toBe(order.correlationId);

    // Act: drop the connection; after the reconnect the bridge re-requests executions.
    const sessions = r.gw.status().sessions;
    r.sim.faults.dropConnections();
    await until('reconnected', () => r.gw.status().sessions > sessions && r.gw.status().health === 'ok');
    await until('executions re-requested', () => (r.gw.status().messagesSent['reqExecutions'] ?? 0) >= 2);
    await new Promise((res) => setTimeout(res, 300));

    // Assess: still one fill, one report, one order at the sim.
    expect(r.publisher.ofType('FillReport')).toHaveLength(1);
    expect(await r.stores.fills.listByOrder(order.clientOrderId)).toHaveLength(1);
    expect(r.sim.orderLog().filter((e) => e.kind === 'place')).toHaveLength(1);
    expect((await r.stores.orders.get(order.clientOrderId))?.filledQuantity).toBe(10);
  });

  it('recovers a fill that happened while disconnected, once', async () => {
    const r = await rig();
    r.sim.faults.delayFills(500);
    const order = await approvedOrder(r);
    await r.commands.send(submit(order));
    await until('order at the simulator', () => r.sim.orderLog().length === 1);
    r.sim.faults.dropConnections();
    await until('filled after reconnect', async () => (await r.stores.orders.get(order.clientOrderId))?.status === 'FILLED', 6_000);
    await until('fill report', () => r.publisher.ofType('FillReport').length === 1);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.publisher.ofType('FillReport')).toHaveLength(1);
    expect((await r.stores.orders.get(order.clientOrderId))?.filledQuantity).toBe(10);
    expect(r.gw.status().sessions).toBeGreaterThanOrEqual(2);
  });

  it('denies a submission when HALTED and nothing reaches the simulator', async () => {
    const r = await rig({ tradingState: { ...active, mode: 'HALTED', reason: 'kill switch' } });
    const order = await approvedOrder(r);
    await r.commands.send(submit(order));
    await until('denied', () => r.publisher.ofType('OrderDenied').length === 1);
    expect(r.publisher.ofType('OrderDenied')[0]?.detail).toMatchObject({ clientOrderId: order.clientOrderId, reasonCode: 'TRADING_HALTED', deniedBy: 'final-gate' });
    expect((await r.stores.orders.get(order.clientOrderId))?.status).toBe('DENIED');
    expect(r.sim.orderLog()).toHaveLength(0);
    expect(r.gw.status().messagesSent['placeOrder']).toBeUndefined();
  });

  it('denies a redelivered submit as a duplicate and sends the order once', async () => {
    const r = await rig();
    const order = await approvedOrder(r);
    const cmd = submit(order);
    await r.commands.send(cmd);
    await until('submitted', () => r.publisher.ofType('OrderSubmitted').length === 1);
    r.commands.redeliver(cmd);
    await until('duplicate denied', () => r.publisher.ofType('OrderDenied').some((e) => e.detail['reasonCode'] === 'DUPLICATE_ORDER'));
    await until('order at the simulator', () => r.sim.orderLog().length > 0);
    await new Promise((res) => setTimeout(res, 200));
    expect(r.sim.orderLog().filter((e) => e.kind === 'place')).toHaveLength(1);
    expect(r.publisher.ofType('OrderSubmitted')).toHaveLength(1);
  });

  it('reconnects with backoff after a dropped connection and resubscribes', async () => {
    const r = await rig();
    const mdBefore = r.gw.status().messagesSent['reqMktData'] ?? 0;
    expect(mdBefore).toBe(universe.length);
    r.sim.faults.dropConnections();
    await until('down', () => r.gw.status().state !== 'connected');
    await until('reconnected', () => r.gw.status().sessions === 2 && r.gw.status().health === 'ok');
    await until('resubscribed', () => r.gw.status().messagesSent['reqMktData'] === 2 * universe.length);
    expect(r.gw.status().messagesSent['reqPositions']).toBe(2);
    const writesBefore = r.stores.quotes.writes;
    await until('quotes flow again', () => r.stores.quotes.writes > writesBefore);
    const states = r.publisher.ofType('BrokerConnectionChanged').map((e) => e.detail['state']);
    expect(states).toEqual(expect.arrayContaining(['disconnected', 'reconnecting', 'connected']));
  });

  it('goes degraded on 1100 and back to ok on 1102 without losing subscriptions', async () => {
    const r = await rig();
    r.sim.faults.emit(1100);
    await until('degraded', () => r.gw.status().state === 'degraded');
    expect(r.gw.status().health).toBe('degraded');
    const [h] = await until('degraded heartbeat', async () => {
      const list = await r.stores.health.list();
      return list[0]?.status === 'degraded' ? list : undefined;
    });
    expect(h?.detail['state']).toBe('degraded');
    r.sim.faults.emit(1102);
    await until('ok again', () => r.gw.status().state === 'connected' && r.gw.status().health === 'ok');
    expect(r.gw.status().sessions).toBe(1);
    expect(r.gw.status().messagesSent['reqMktData']).toBe(universe.length);
    const writes = r.stores.quotes.writes;
    await until('quotes still flowing', () => r.stores.quotes.writes > writes);
  });

  it('holds an order during 1100 and sends it after 1102', async () => {
    const r = await rig();
    r.sim.faults.emit(1100);
    await until('degraded', () => r.gw.status().state === 'degraded');
    const order = await approvedOrder(r);
    await r.commands.send(submit(order));
    await new Promise((res) => setTimeout(res, 300));
    expect(r.sim.orderLog()).toHaveLength(0);
    r.sim.faults.emit(1102);
    await until('sent after restore', () => r.sim.orderLog().length === 1);
  });

  it('re-requests subscriptions after 1101 (data lost)', async () => {
    const r = await rig();
    r.sim.faults.emit(1100);
    await until('degraded', () => r.gw.status().state === 'degraded');
    r.sim.faults.emit(1101);
    await until('resubscribed', () => r.gw.status().messagesSent['reqMktData'] === 2 * universe.length);
    expect(r.gw.status().messagesSent['reqAccountSummary']).toBe(2);
    expect(r.gw.status().sessions).toBe(1);
    const writes = r.stores.quotes.writes;
    await until('quotes flow after 1101', () => r.stores.quotes.writes > writes);
  });

  it('detects a silent peer with its watchdog and reconnects', async () => {
    const r = await rig();
    r.sim.faults.silent(1.5);
    await until('watchdog fired', () => r.gw.status().lastDisconnectReason === 'watchdog timeout', 3_000);
    await until('reconnected', () => r.gw.status().sessions >= 2 && r.gw.status().health === 'ok', 6_000);
  });

  it('keeps retrying while the port is refused, without a storm', async () => {
    const r = await rig({ reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
    const attemptsBefore = r.gw.status().connectAttempts;
    const refused = r.sim.faults.refuse(2);
    await until('down', () => r.gw.status().state !== 'connected');
    await refused;
    await until('reconnected', () => r.gw.status().health === 'ok', 5_000);
    const attempts = r.gw.status().connectAttempts - attemptsBefore;
    // 2 s of refusal with windows 100, 200, 400, 400 … ms: a handful of attempts, not hundreds
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(20);
  });

  it('backs off on 326 (client id in use) instead of looping, and connects once the id is free', async () => {
    const first = await rig();
    const logger = new MemoryLogger();
    const second = createGatewayService({
      config: { host: '127.0.0.1', port: first.sim.port, clientId: 7, maxMessagesPerSecond: 40, connectTimeoutMs: 1_000, watchdogIntervalMs: 250, watchdogTimeoutMs: 400, reconnect: { initialDelayMs: 100, maxDelayMs: 400, clientIdInUseDelayMs: 1_500 }, heartbeatIntervalMs: 250, universe },
      stores: inMemoryStores({ tradingState: active }),
      publisher: new RecordingPublisher(),
      commands: new InMemoryCommandQueue(),
      logger,
      clock,
    });
    try {
      await second.start();
      await new Promise((res) => setTimeout(res, 2_000));
      // 2 s of 326 at a 1.5 s minimum wait: at most two attempts, not a loop
      expect(second.status().connectAttempts).toBeLessThanOrEqual(2);
      expect(second.status().state).not.toBe('connected');
      await first.gw.stop();
      await until('second connects', () => second.status().health === 'ok', 5_000);
    } finally {
      await second.stop();
    }
  });

  it('finishes the in-flight command on stop, then reports down', async () => {
    const r = await rig();
    const order = await approvedOrder(r);
    await r.commands.send(submit(order));
    await r.gw.stop();
    expect(r.commands.acked.map((c) => c.kind)).toEqual(['SubmitOrder']);
    expect(r.sim.orderLog().filter((e) => e.kind === 'place')).toHaveLength(1);
    expect((await r.stores.orders.get(order.clientOrderId))?.brokerOrderId).toBeDefined();
    expect(r.gw.status().state).toBe('stopped');
    const [h] = await r.stores.health.list();
    expect(h).toMatchObject({ status: 'down', detail: { stopped: true } });
  });
});
