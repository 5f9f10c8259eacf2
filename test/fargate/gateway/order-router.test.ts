import type { Contract, Order as IbOrder } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../fargate/gateway/errors.js';
import { poll } from '../../support/poll.js';
import type { OrderBroker } from '../../../fargate/gateway/order-router.js';
import { OrderRouter } from '../../../fargate/gateway/order-router.js';
import { EventSink } from '../../../fargate/gateway/publishers/context.js';
import { InstrumentSchema } from '../../../lib/core/instruments/instrument.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { OrderSchema } from '../../../lib/core/orders/order.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { TradingState } from '../../../lib/core/trading-state/trading-state.js';
import { MemoryLogger, RecordingPublisher, RecordingNotifier } from '../../support/doubles.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { InMemoryKillSwitchStore } from '../../../lib/adapters/memory/kill-switch-stores.js';

/** A broker that records what would reach IB; `tradable` can flip during a wait. */
class FakeBroker implements OrderBroker {
  placed: Array<{ id: number; contract: Contract; order: IbOrder }> = [];
  cancelled: number[] = [];
  globalCancels = 0;
  tradable = true;
  failPlace = false;
  private nextId = 1000;
  private waiters: Array<() => void> = [];
  get canTrade(): boolean {
    return this.tradable;
  }
  waitUntilTradable(timeoutMs: number): Promise<boolean> {
    if (this.tradable) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.tradable), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
  restore(): void {
    this.tradable = true;
    for (const w of this.waiters.splice(0)) w();
  }
  allocateOrderId(): number {
    return this.nextId++;
  }
  reconciles: Array<{ correlationId: string; issuedBy: string }> = [];
  reconcile(request: { correlationId: string; issuedBy: string }): Promise<void> {
    this.reconciles.push(request);
    return Promise.resolve();
  }
  account(): string {
    return 'DU1';
  }
  async placeOrder(id: number, contract: Contract, order: IbOrder): Promise<void> {
    if (this.failPlace) throw Object.assign(new Error('session ended'), { code: 'GATEWAY.SESSION_ENDED' });
    if (this.holdPlaces) await new Promise<void>((_resolve, reject) => this.queued.push(reject));
    this.placed.push({ id, contract, order });
  }
  async cancelOrder(id: number): Promise<void> {
    this.cancelled.push(id);
  }
  /** What happened, in order: a withdrawal must come before the global cancel. */
  readonly calls: string[] = [];
  /** placeOrders "waiting for pacing": a withdrawal rejects them as the pacer would. */
  private readonly queued: Array<(e: Error) => void> = [];
  holdPlaces = false;
  withdrawQueuedOrders(reason: string): number {
    this.calls.push('withdraw');
    const n = this.queued.length;
    for (const reject of this.queued.splice(0)) reject(Object.assign(new GatewayError('GATEWAY.WITHDRAWN', `placeOrder withdrawn before it was sent: ${reason}`)));
    return n;
  }
  async reqGlobalCancel(): Promise<void> {
    this.calls.push('reqGlobalCancel');
    this.globalCancels += 1;
    if (this.ignoreCancels > 0) this.ignoreCancels -= 1;
    else this.openAtBroker = [];
  }
  /** Orders the broker still lists as open; a global cancel clears them unless it is to be ignored. */
  openAtBroker: string[] = [];
  ignoreCancels = 0;
  async openOrders(): Promise<Array<{ brokerOrderId: string; status: string }>> {
    return this.openAtBroker.map((id) => ({ brokerOrderId: id, status: 'Submitted' }));
  }
  readonly sleeps: number[] = [];
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }
}

const now = '2026-11-26T14:30:00.000Z';
const state = (mode: TradingState['mode']): TradingState => ({ mode, version: 2, changedAt: now, changedBy: 'risk', reason: 'test' });

function setup(mode: TradingState['mode'] | null = 'ACTIVE') {
  const stores = inMemoryStores(mode === null ? {} : { tradingState: state(mode) });
  const killSwitch = new InMemoryKillSwitchStore();
  const notifier = new RecordingNotifier();
  const publisher = new RecordingPublisher();
  const clock = new ManualClock(now);
  const logger = new MemoryLogger();
  let n = 0;
  const sink = new EventSink(publisher, clock, () => `e-${++n}`, logger, 'session');
  const broker = new FakeBroker();
  const router = new OrderRouter({ orders: stores.orders, tradingState: stores.tradingState, positions: stores.positions, instruments: new Map([['AAPL', InstrumentSchema.parse({ symbol: 'AAPL', conId: 265598 })]]), broker, sink, clock, logger, options: { commandWaitMs: 100 }, killSwitch, notifier });
  return { stores, publisher, broker, router, killSwitch, notifier };
}

async function approved(stores: ReturnType<typeof inMemoryStores>, o: Partial<Order> = {}): Promise<Order> {
  return stores.orders.create(OrderSchema.parse({ clientOrderId: 'CO-1', symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'LMT', limitPrice: '187.2', status: 'APPROVED', correlationId: 'corr-1', createdAt: now, updatedAt: now, version: 0, ...o }));
}
const submit = (id = 'CO-1'): OrderCommand => ({ kind: 'SubmitOrder', clientOrderId: id as never, correlationId: 'corr-1' as never, issuedAt: now, issuedBy: 'execution-agent' });
const cancel = (id = 'CO-1'): OrderCommand => ({ kind: 'CancelOrder', clientOrderId: id as never, correlationId: 'corr-1' as never, issuedAt: now, issuedBy: 'trader' });

describe('OrderRouter', () => {
  it('persists SUBMITTED with the broker id before sending, then places the order with orderRef', async () => {
    const { stores, publisher, broker, router } = setup();
    await approved(stores);
    await router.handle(submit());
    const writes = stores.orders.writes.filter((o) => o.clientOrderId === 'CO-1');
    expect(writes.at(-1)).toMatchObject({ status: 'SUBMITTED', brokerOrderId: '1000', account: 'DU1' });
    expect(broker.placed).toHaveLength(1);
    expect(broker.placed[0]).toMatchObject({ id: 1000, order: { orderRef: 'CO-1', action: 'BUY', totalQuantity: 10, lmtPrice: 187.2, orderType: 'LMT' } });
    expect(publisher.ofType('OrderSubmitted')[0]).toMatchObject({ correlationId: 'corr-1', detail: { clientOrderId: 'CO-1', brokerOrderId: '1000' } });
  });

  it.each<[string, TradingState['mode'], Partial<Order> | undefined, string]>([
    ['HALTED', 'HALTED', {}, 'TRADING_HALTED'],
    ['REDUCING with a position-growing order', 'REDUCING', {}, 'NOT_RISK_REDUCING'],
    ['an unknown clientOrderId', 'ACTIVE', undefined, 'UNKNOWN_ORDER'],
    ['an order already submitted', 'ACTIVE', { status: 'SUBMITTED', brokerOrderId: '999' as never }, 'DUPLICATE_ORDER'],
    ['a symbol outside the universe', 'ACTIVE', { symbol: 'ZZZZ' as never }, 'UNKNOWN_INSTRUMENT'],
  ])('denies %s and sends nothing', async (_name, mode, order, reasonCode) => {
    const { stores, publisher, broker, router } = setup(mode);
    if (order !== undefined) await approved(stores, order);
    await router.handle(submit());
    expect(broker.placed).toHaveLength(0);
    expect(publisher.ofType('OrderDenied')).toHaveLength(1);
    expect(publisher.ofType('OrderDenied')[0]?.detail).toMatchObject({ clientOrderId: 'CO-1', reasonCode, deniedBy: 'final-gate' });
    const stored = await stores.orders.get('CO-1' as never);
    if (order !== undefined && order.status === undefined) expect(stored).toMatchObject({ status: 'DENIED', reasonCode });
    if (order?.status === 'SUBMITTED') expect(stored?.status).toBe('SUBMITTED');
  });

  it('fails closed when there is no trading-state record', async () => {
    const { stores, broker, router, publisher } = setup(null);
    await approved(stores);
    await router.handle(submit());
    expect(broker.placed).toHaveLength(0);
    expect(publisher.ofType('OrderDenied')[0]?.detail['reasonCode']).toBe('TRADING_STATE_UNKNOWN');
  });

  it('allows a reducing order when REDUCING', async () => {
    const { stores, broker, router } = setup('REDUCING');
    await stores.positions.replaceAccount('DU1', [{ account: 'DU1' as never, symbol: 'AAPL' as never, quantity: 50, avgCost: '180', currency: 'USD', realizedPnl: '0', updatedAt: now }]);
    await approved(stores, { side: 'SELL', quantity: 20 });
    await router.handle(submit());
    expect(broker.placed).toHaveLength(1);
  });

  it('sends a redelivered submit only once', async () => {
    const { stores, broker, router, publisher } = setup();
    await approved(stores);
    await router.handle(submit());
    await router.handle(submit());
    expect(broker.placed).toHaveLength(1);
    expect(publisher.ofType('OrderDenied')[0]?.detail['reasonCode']).toBe('DUPLICATE_ORDER');
  });

  it('NACKs (throws) when the broker stays unavailable, without touching the order', async () => {
    const { stores, broker, router } = setup();
    broker.tradable = false;
    await approved(stores);
    await expect(router.handle(submit())).rejects.toMatchObject({ code: 'GATEWAY.NOT_CONNECTED' });
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('APPROVED');
    expect(broker.placed).toHaveLength(0);
  });

  it('waits for the connection and sends once it is back', async () => {
    const { stores, broker, router } = setup();
    broker.tradable = false;
    await approved(stores);
    const handled = router.handle(submit());
    setTimeout(() => broker.restore(), 20);
    await handled;
    expect(broker.placed).toHaveLength(1);
  });

  it('applies a kill switch that lands while the command waited for the connection', async () => {
    const { stores, broker, router, publisher } = setup();
    broker.tradable = false;
    await approved(stores);
    const handled = router.handle(submit());
    await stores.tradingState.compareAndSet(2, { mode: 'HALTED', changedAt: now, changedBy: 'cro', reason: 'kill' });
    setTimeout(() => broker.restore(), 20);
    await handled;
    expect(broker.placed).toHaveLength(0);
    expect(publisher.ofType('OrderDenied')[0]?.detail['reasonCode']).toBe('TRADING_HALTED');
  });

  it('marks the order UNRESOLVED (never resends) when the session dies before sending', async () => {
    const { stores, broker, router } = setup();
    broker.failPlace = true;
    await approved(stores);
    await router.handle(submit());
    expect(await stores.orders.get('CO-1' as never)).toMatchObject({ status: 'UNRESOLVED', brokerOrderId: '1000', reasonCode: 'GATEWAY.NOT_SENT' });
  });

  it('closes an order withdrawn from the pacing queue by the kill switch as CANCELLED (never sent, never UNRESOLVED)', async () => {
    const { stores, broker, router, publisher } = setup();
    broker.holdPlaces = true;
    await approved(stores);
    const submitting = router.handle(submit());
    await poll('placeOrder waiting for pacing', async () => ((await stores.orders.get('CO-1' as never))?.status === 'SUBMITTED' ? true : undefined));
    await stores.tradingState.compareAndSet(2, { mode: 'HALTED', changedAt: now, changedBy: 'john.doe', reason: 'kill switch' });
    await router.handle({ kind: 'CancelAllOrders', reason: 'kill switch', correlationId: 'k-1' as never, issuedAt: now, issuedBy: 'john.doe' });
    await submitting;
    expect(broker.calls.slice(0, 2)).toEqual(['withdraw', 'reqGlobalCancel']);
    expect(broker.placed).toEqual([]);
    expect(await stores.orders.get('CO-1' as never)).toMatchObject({ status: 'CANCELLED', brokerOrderId: '1000', reasonCode: 'KILL_SWITCH.NOT_SENT' });
    expect(publisher.ofType('OrderStatusReport').map((e) => e.detail)).toEqual([{ clientOrderId: 'CO-1', brokerOrderId: '1000', brokerStatus: 'Cancelled', status: 'CANCELLED', filled: 0, remaining: 10 }]);
  });

  it('cancels a working order at the broker and marks it PENDING_CANCEL, even when HALTED', async () => {
    const { stores, broker, router } = setup('HALTED');
    await approved(stores, { status: 'ACCEPTED', brokerOrderId: '1234' as never });
    await router.handle(cancel());
    expect(broker.cancelled).toEqual([1234]);
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('PENDING_CANCEL');
  });

  it('withdraws an approved order locally without a broker message', async () => {
    const { stores, broker, router } = setup();
    await approved(stores);
    await router.handle(cancel());
    expect(broker.cancelled).toEqual([]);
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('CANCELLED');
    await router.handle(submit());
    expect(broker.placed).toHaveLength(0);
  });

  it('denies a cancel of an unknown order', async () => {
    const { router, publisher } = setup();
    await router.handle(cancel('CO-404'));
    expect(publisher.ofType('OrderDenied')[0]?.detail).toMatchObject({ clientOrderId: 'CO-404', reasonCode: 'UNKNOWN_ORDER' });
  });

  it('cancels all: withdraws approved orders and sends one global cancel', async () => {
    const { stores, broker, router } = setup('HALTED');
    await approved(stores);
    await approved(stores, { clientOrderId: 'CO-2' as never, status: 'ACCEPTED', brokerOrderId: '77' as never });
    await router.handle({ kind: 'CancelAllOrders', reason: 'kill switch', correlationId: 'k-1' as never, issuedAt: now, issuedBy: 'cro' });
    expect(broker.globalCancels).toBe(1);
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('CANCELLED');
    expect((await stores.orders.get('CO-2' as never))?.status).toBe('ACCEPTED');
  });

  // kill switch
  const cancelAll: OrderCommand = { kind: 'CancelAllOrders', reason: 'kill switch', correlationId: 'k-1' as never, issuedAt: now, issuedBy: 'john.doe' };

  it('repeats the global cancel with backoff until the broker lists no open order, then publishes GlobalCancelVerified', async () => {
    const { broker, router, publisher, killSwitch } = setup('HALTED');
    broker.openAtBroker = ['77', '78'];
    broker.ignoreCancels = 2;
    await router.handle(cancelAll);
    expect(broker.globalCancels).toBe(3);
    expect(broker.sleeps).toEqual([50, 100]);
    const verified = publisher.events.filter((e) => e.detailType === 'GlobalCancelVerified');
    expect(verified.map((e) => e.detail)).toEqual([{ remaining: 0, attempts: 3, durationMs: 0, requestedBy: 'john.doe', correlationId: 'k-1', reason: 'kill switch' }]);
    expect(await killSwitch.getCancelVerification()).toMatchObject({ correlationId: 'k-1', complete: true, remaining: 0, attempts: 3 });
  });

  it('gives up after the bounded attempts, publishes GlobalCancelIncomplete with the open ids and pages on-call', async () => {
    const { broker, router, publisher, killSwitch, notifier } = setup('HALTED');
    broker.openAtBroker = ['77'];
    broker.ignoreCancels = 100;
    await router.handle(cancelAll);
    expect(broker.globalCancels).toBe(6);
    expect(publisher.events.filter((e) => e.detailType === 'GlobalCancelVerified')).toEqual([]);
    expect(publisher.events.find((e) => e.detailType === 'GlobalCancelIncomplete')?.detail).toMatchObject({ remaining: 1, attempts: 6, brokerOrderIds: ['77'] });
    expect(await killSwitch.getCancelVerification()).toMatchObject({ complete: false, remaining: 1, brokerOrderIds: ['77'] });
    expect(notifier.sent.map((n) => [n.audience, n.severity])).toEqual([[['oncall'], 'CRITICAL']]);
  });

  it('denies a halted strategy\'s order with STRATEGY_HALTED while other strategies still trade', async () => {
    const { stores, broker, router, publisher, killSwitch } = setup('ACTIVE');
    const origin = (strategyId: string) => ({ strategyId, agentId: 'cio', agentVersion: '1', signalIds: [] });
    await approved(stores, { origin: origin('ma-crossover') });
    await approved(stores, { clientOrderId: 'CO-2' as never, origin: origin('mean-reversion') });
    await killSwitch.haltStrategy({ strategyId: 'ma-crossover', haltedBy: 'jane', haltedAt: now, reason: 'runaway' });
    await router.handle(submit('CO-1'));
    await router.handle(submit('CO-2'));
    expect(broker.placed).toHaveLength(1);
    expect(publisher.events.find((e) => e.detailType === 'OrderDenied')?.detail).toMatchObject({ clientOrderId: 'CO-1', reasonCode: 'STRATEGY_HALTED' });
    expect((await stores.orders.get('CO-1' as never))?.status).toBe('DENIED');
  });

  it('reads the order, the trading state and the strategy halts together, in one round trip', async () => {
    // Prepare: each read is held until all three have started (a sequential gate never gets there)
    const { stores, broker, router, killSwitch } = setup('ACTIVE');
    await approved(stores, { origin: { strategyId: 'ma-crossover', agentId: 'cio', agentVersion: '1', signalIds: [] } });
    const started = new Set<string>();
    const startedWhenAnswered: number[] = [];
    let release!: () => void;
    const allStarted = new Promise<void>((r) => (release = r));
    const held = <A extends unknown[], T>(name: string, read: (...a: A) => Promise<T>) => async (...a: A): Promise<T> => {
      started.add(name);
      if (started.size === 3) release();
      await Promise.race([allStarted, new Promise((r) => setTimeout(r, 200))]);
      startedWhenAnswered.push(started.size);
      return read(...a);
    };
    stores.orders.get = held('order', stores.orders.get.bind(stores.orders));
    stores.tradingState.get = held('tradingState', stores.tradingState.get.bind(stores.tradingState));
    killSwitch.listStrategyHalts = held('halts', killSwitch.listStrategyHalts.bind(killSwitch));

    // Act
    await router.handle(submit());

    // Assess
    expect(broker.placed).toHaveLength(1);
    expect(startedWhenAnswered).toEqual([3, 3, 3]);
  });
});
