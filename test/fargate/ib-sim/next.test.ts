/**
 * IBApiNext (the library's RxJS client) against the simulator: the calls the gateway bridge is
 * likely to use resolve, and its decoder never reports a 505.
 */
import { ConnectionState, IBApiNext, IBApiTickType as TickType, OrderAction, OrderType, type IBApiNextError } from '@stoqey/ib';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { stock, waitFor } from './helpers.js';

let sim: IbSimHandle;
let next: IBApiNext;
const errors: IBApiNextError[] = [];

beforeAll(async () => {
  sim = await startIbSim({ port: 0, seed: 3, tickIntervalMs: 25 });
  next = new IBApiNext({ host: '127.0.0.1', port: sim.port, reconnectInterval: 200 });
  next.error.subscribe((e) => errors.push(e));
  next.connect(31);
  await firstValueFrom(next.connectionState.pipe(filter((s) => s === ConnectionState.Connected), take(1), timeout(5000)));
});

afterAll(async () => {
  next.disconnect();
  await sim.close();
  expect(errors.filter((e) => e.code === 505)).toEqual([]);
});

describe('ib-sim with an IBApiNext client', () => {
  it('resolves current time and managed accounts', async () => {
    const t = await next.getCurrentTime();
    const accounts = await next.getManagedAccounts();

    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    expect(accounts).toEqual(['DU1234567']);
  });

  it('returns a snapshot that includes the bid size tick', async () => {
    const snap = await next.getMarketDataSnapshot(stock('AAPL'), '', false);

    expect(snap.get(TickType.BID)?.value).toBeGreaterThan(0);
    expect(snap.get(TickType.ASK)?.value).toBeGreaterThan(snap.get(TickType.BID)?.value ?? Infinity);
    expect(snap.get(TickType.BID_SIZE)?.value).toBeGreaterThan(0);
    expect(snap.get(TickType.LAST)?.value).toBeGreaterThan(0);
  });

  it('places a market order that fills, then sees it in executions and positions', async () => {
    const orderId = await next.placeNewOrder(stock('NVDA'), { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 12, transmit: true });

    expect(orderId).toBeGreaterThanOrEqual(1000);
    await waitFor(() => sim.snapshot().executions.some((e) => e.orderId === orderId), 3000, 'execution');
    const execs = await next.getExecutionDetails({ symbol: 'NVDA' });
    expect(execs.map((e) => e.execution.orderId)).toContain(orderId);
    const positions = await firstValueFrom(
      next.getPositions().pipe(
        filter((u) => (u.all.get('DU1234567') ?? []).some((p) => p.contract.symbol === 'NVDA')),
        take(1),
        timeout(3000),
      ),
    );
    expect(positions.all.get('DU1234567')?.find((p) => p.contract.symbol === 'NVDA')?.pos).toBe(12);
  });

  it('streams an account summary and lists open orders', async () => {
    const summary = await firstValueFrom(next.getAccountSummary('All', 'NetLiquidation,TotalCashValue').pipe(take(1), timeout(3000)));
    const open = await next.getAllOpenOrders();

    const cash = summary.all.get('DU1234567')?.get('TotalCashValue')?.get('USD')?.value;
    expect(cash).toBe(Number(sim.snapshot().cash).toFixed(2));
    expect(open.map((o) => o.orderId).sort()).toEqual(sim.snapshot().openOrders.map((o) => o.orderId).sort());
  });

  it('reconnects after a 1100 and keeps working', async () => {
    sim.faults.emit(1100);

    await firstValueFrom(next.connectionState.pipe(filter((s) => s === ConnectionState.Disconnected), take(1), timeout(3000)));
    await firstValueFrom(next.connectionState.pipe(filter((s) => s === ConnectionState.Connected), take(1), timeout(5000)));
    const t = await next.getCurrentTime();
    expect(t).toBeGreaterThan(0);
  });
});
