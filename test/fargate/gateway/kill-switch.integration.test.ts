/**
 * The kill switch at the bridge, against a real ib-sim over TCP: once HALTED is written a submit is
 * refused at the final gate (nothing reaches the simulator), and a global cancel is repeated until
 * the broker's own open orders (reqAllOpenOrders) are empty — here the simulator ignores the first
 * two global cancels.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { createGatewayService, type GatewayService } from '../../../fargate/gateway/gateway-service.js';
import { InstrumentSchema } from '../../../lib/core/instruments/instrument.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import { OrderSchema, type Order } from '../../../lib/core/orders/order.js';
import { InMemoryCommandQueue, MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { InMemoryKillSwitchStore } from '../../../lib/adapters/memory/kill-switch-stores.js';
import { poll } from '../../support/poll.js';

const clock = { now: () => new Date() };
let sim: IbSimHandle | undefined;
let gw: GatewayService | undefined;

afterEach(async () => {
  await gw?.stop();
  await sim?.close();
});

async function rig(options: { haltWatchIntervalMs?: number } = {}) {
  sim = await startIbSim({ port: 0, seed: 11, tickIntervalMs: 50 });
  const stores = { ...inMemoryStores({ tradingState: { mode: 'ACTIVE', version: 1, changedAt: new Date().toISOString(), changedBy: 'test', reason: 'test' } }), killSwitch: new InMemoryKillSwitchStore() };
  const publisher = new RecordingPublisher();
  const commands = new InMemoryCommandQueue(50);
  gw = createGatewayService({
    config: {
      host: '127.0.0.1', port: sim.port, clientId: 7, maxMessagesPerSecond: 40, connectTimeoutMs: 1_000, watchdogIntervalMs: 250, watchdogTimeoutMs: 400,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 }, heartbeatIntervalMs: 250, snapshotIntervalMs: 250, commandWaitMs: 3_000,
      universe: [InstrumentSchema.parse({ symbol: 'AAPL', conId: 265598, primaryExchange: 'NASDAQ' })],
      cancelVerify: { maxAttempts: 6, initialDelayMs: 20, maxDelayMs: 200, openOrdersTimeoutMs: 1_000 },
      // The command path is what this test drives; the halt watcher has its own test below.
      haltWatchIntervalMs: options.haltWatchIntervalMs ?? 0,
    },
    stores, publisher, commands, logger: new MemoryLogger(), clock,
  });
  await gw.start();
  await poll('bridge tradable', async () => (gw?.status().health === 'ok' ? true : undefined), 5_000, 20);
  return { sim, stores, publisher, commands };
}

let seq = 0;
async function resting(stores: ReturnType<typeof inMemoryStores>): Promise<Order> {
  const now = new Date().toISOString();
  seq += 1;
  return stores.orders.create(OrderSchema.parse({ clientOrderId: `CO-KS-IT-${seq}`, symbol: 'AAPL', side: 'BUY', quantity: 5, type: 'LMT', limitPrice: '1.00', status: 'APPROVED', correlationId: `corr-ks-${seq}`, createdAt: now, updatedAt: now, version: 0 }));
}
const submit = (o: Order): OrderCommand => ({ kind: 'SubmitOrder', clientOrderId: o.clientOrderId, correlationId: o.correlationId, issuedAt: new Date().toISOString(), issuedBy: 'test' });

describe('kill switch at the bridge against ib-sim', () => {
  it('refuses every submit once HALTED is written, and verifies a global cancel through ignored attempts', async () => {
    const { sim, stores, publisher, commands } = await rig();
    for (let i = 0; i < 3; i++) await commands.send(submit(await resting(stores)));
    await poll('3 orders resting at ib-sim', async () => (sim.snapshot().openOrders.length === 3 ? true : undefined), 5_000, 20);

    // The kill switch's one conditional write; from here the final gate refuses, re-reading per order.
    await stores.tradingState.compareAndSet(1, { mode: 'HALTED', changedAt: new Date().toISOString(), changedBy: 'john.doe', reason: 'Manual activation' });
    const placesBefore = sim.orderLog().filter((e) => e.kind === 'place').length;
    const late = await resting(stores);
    await commands.send(submit(late));
    await poll('late order denied', async () => ((await stores.orders.get(late.clientOrderId))?.status === 'DENIED' ? true : undefined), 5_000, 20);
    expect(publisher.ofType('OrderDenied').at(-1)?.detail).toMatchObject({ clientOrderId: late.clientOrderId, reasonCode: 'TRADING_HALTED', deniedBy: 'final-gate' });
    expect(sim.orderLog().filter((e) => e.kind === 'place').length).toBe(placesBefore);

    sim.faults.ignoreGlobalCancels(2);
    await commands.send({ kind: 'CancelAllOrders', reason: 'Manual activation', correlationId: 'ks-1' as never, issuedAt: new Date().toISOString(), issuedBy: 'john.doe' });
    const verified = await poll('GlobalCancelVerified', async () => publisher.ofType('GlobalCancelVerified').at(-1), 5_000, 20);
    expect(verified.detail).toMatchObject({ remaining: 0, attempts: 3, requestedBy: 'john.doe', correlationId: 'ks-1' });
    expect(sim.snapshot().openOrders).toEqual([]);
    expect(sim.orderLog().filter((e) => e.kind === 'globalCancel')).toHaveLength(3);
    expect(await stores.killSwitch.getCancelVerification()).toMatchObject({ correlationId: 'ks-1', complete: true, attempts: 3 });
    await poll('our orders CANCELLED', async () => ((await stores.orders.listWorking()).length === 0 ? true : undefined), 5_000, 20);
  });

  it('cancels at the broker by itself when it sees HALTED written, with no command sent', async () => {
    const { sim, stores, publisher, commands } = await rig({ haltWatchIntervalMs: 50 });
    for (let i = 0; i < 2; i++) await commands.send(submit(await resting(stores)));
    await poll('2 orders resting at ib-sim', async () => (sim.snapshot().openOrders.length === 2 ? true : undefined), 5_000, 20);
    const written = await stores.tradingState.compareAndSet(1, { mode: 'HALTED', changedAt: new Date().toISOString(), changedBy: 'john.doe', reason: 'Manual activation' });
    const verified = await poll('GlobalCancelVerified from the watcher', async () => publisher.ofType('GlobalCancelVerified').at(-1), 5_000, 20);
    expect(verified.detail).toMatchObject({ remaining: 0, requestedBy: 'john.doe', correlationId: `halt-v${written.version}` });
    expect(sim.snapshot().openOrders).toEqual([]);
  });
});
