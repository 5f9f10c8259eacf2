/**
 * Protocol tests: an unmodified `@stoqey/ib` IBApi client over TCP against a started simulator.
 * Oracle: no client may see a 505 (its own decoder's format check) in any test.
 */
import { EventName, type Contract, type Execution } from '@stoqey/ib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { adminPost, connectClient, decodeErrors, limitOrder, marketOrder, statuses, stock, waitFor, type TestClient } from './helpers.js';

let sim: IbSimHandle;
let adminUrl: string;
const clients: TestClient[] = [];
let nextClientId = 10;

async function client(): Promise<TestClient> {
  const c = await connectClient(sim.port, nextClientId++);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startIbSim({ port: 0, adminPort: 0, seed: 7, tickIntervalMs: 20 });
  adminUrl = sim.adminUrl ?? '';
});

afterEach(() => {
  expect(decodeErrors).toEqual([]);
});

afterAll(async () => {
  for (const c of clients) await c.disconnect().catch(() => undefined);
  await sim.close();
});

describe('ib-sim over TCP with an IBApi client', () => {
  it('completes the handshake with accounts, a high next valid id and farm infos', async () => {
    const c = await client();

    expect(c.of(EventName.server)[0]?.[0]).toBe(193);
    expect(c.of(EventName.managedAccounts)[0]?.[0]).toBe('DU1234567');
    expect(c.nextValidId()).toBeGreaterThanOrEqual(1000);
    await waitFor(() => c.infos.length >= 3, 2000, 'farm infos');
    expect(c.infos.map((i) => i.code)).toEqual(expect.arrayContaining([2104, 2106, 2158]));
  });

  it('answers reqCurrentTime and reqIds', async () => {
    const c = await client();

    c.ib.reqCurrentTime();
    c.ib.reqIds();

    const t = await waitFor(() => c.of(EventName.currentTime)[0]?.[0] as number | undefined, 2000, 'currentTime');
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    await waitFor(() => c.of(EventName.nextValidId).length >= 2, 2000, 'second nextValidId');
  });

  it('fills a market order with execution, status and commission report', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;

    c.ib.placeOrder(id, stock('AAPL'), marketOrder('BUY', 10));

    await waitFor(() => statuses(c, id).some((s) => s.status === 'Filled'), 3000, 'Filled');
    await waitFor(() => c.of(EventName.commissionReport).length > 0, 2000, 'commission');
    const exec = c.of(EventName.execDetails).find((a) => (a[2] as Execution).orderId === id);
    expect(exec?.[0]).toBe(-1);
    const e = exec?.[2] as Execution;
    expect(e.side).toBe('BOT');
    expect(e.shares).toBe(10);
    expect(e.price).toBeGreaterThan(150);
    const commission = c.of(EventName.commissionReport).map((a) => a[0] as { execId: string; commission: number; currency: string });
    expect(commission.find((r) => r.execId === e.execId)).toMatchObject({ commission: 1, currency: 'USD' });
    const filledOpen = c.of(EventName.openOrder).filter((a) => a[0] === id).map((a) => (a[3] as { status: string }).status);
    expect(filledOpen).toEqual(['Submitted', 'Filled']);
    expect(sim.snapshot().positions).toContainEqual(expect.objectContaining({ symbol: 'AAPL', quantity: 10 }));
  });

  it('fills a large market order in parts, with slippage beyond the touch', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;

    c.ib.placeOrder(id, stock('SPY'), marketOrder('SELL', 6000));

    await waitFor(() => statuses(c, id).some((s) => s.status === 'Filled'), 5000, 'Filled');
    const execs = c.of(EventName.execDetails).filter((a) => (a[2] as Execution).orderId === id).map((a) => a[2] as Execution);
    expect(execs.length).toBeGreaterThan(1);
    expect(execs.reduce((n, e) => n + Number(e.shares), 0)).toBe(6000);
    expect(statuses(c, id).some((s) => s.status === 'Submitted' && s.filled > 0 && s.remaining > 0)).toBe(true);
    const firstStep = execs.filter((e) => e.time === execs[0]?.time);
    expect(Math.min(...firstStep.map((e) => e.price ?? Infinity))).toBeLessThan(execs[0]?.price ?? 0);
  });

  it('reports positions, then streams position updates until cancelled', async () => {
    const c = await client();

    c.ib.reqPositions();
    await waitFor(() => c.of(EventName.positionEnd).length > 0, 2000, 'positionEnd');
    const before = c.of(EventName.position).length;
    c.ib.placeOrder(c.nextValidId() ?? 0, stock('MSFT'), marketOrder('BUY', 5));

    const update = await waitFor(() => c.of(EventName.position).slice(before).find((a) => (a[1] as Contract).symbol === 'MSFT'), 3000, 'MSFT position');
    expect(update[0]).toBe('DU1234567');
    expect((update[1] as Contract).conId).toBe(272093);
    expect(update[2]).toBe(5);
    expect(update[3]).toBeGreaterThan(400);
    c.ib.cancelPositions();
  });

  it('answers an account summary for the requested tags', async () => {
    const c = await client();

    c.ib.reqAccountSummary(5, 'All', 'NetLiquidation,TotalCashValue,BuyingPower,GrossPositionValue,AvailableFunds');

    await waitFor(() => c.of(EventName.accountSummaryEnd).length > 0, 2000, 'accountSummaryEnd');
    const rows = c.of(EventName.accountSummary).map((a) => ({ reqId: a[0], account: a[1], tag: a[2], value: a[3], currency: a[4] }));
    expect(rows.map((r) => r.tag).sort()).toEqual(['AvailableFunds', 'BuyingPower', 'GrossPositionValue', 'NetLiquidation', 'TotalCashValue']);
    const cash = rows.find((r) => r.tag === 'TotalCashValue');
    expect(cash?.value).toBe(Number(sim.snapshot().cash).toFixed(2));
    c.ib.cancelAccountSummary(5);
  });

  it('sends account updates with portfolio values and a download end', async () => {
    const c = await client();

    c.ib.reqAccountUpdates(true, 'DU1234567');

    await waitFor(() => c.of(EventName.accountDownloadEnd).length > 0, 2000, 'accountDownloadEnd');
    const keys = c.of(EventName.updateAccountValue).map((a) => a[0]);
    expect(keys).toEqual(expect.arrayContaining(['NetLiquidation', 'TotalCashValue', 'BuyingPower']));
    const symbols = c.of(EventName.updatePortfolio).map((a) => (a[0] as Contract).symbol);
    expect(symbols).toEqual(expect.arrayContaining(sim.snapshot().positions.map((p) => p.symbol)));
    expect(c.of(EventName.updateAccountTime).length).toBeGreaterThan(0);
    c.ib.reqAccountUpdates(false, 'DU1234567');
  });

  it('returns a market data snapshot with bid, ask, last and an explicit bid size', async () => {
    const c = await client();

    c.ib.reqMktData(1, stock('SPY'), '', true, false);

    await waitFor(() => c.of(EventName.tickSnapshotEnd).length > 0, 2000, 'tickSnapshotEnd');
    const prices = new Map(c.of(EventName.tickPrice).map((a) => [a[1] as number, a[2] as number]));
    const sizes = new Map(c.of(EventName.tickSize).map((a) => [a[1] as number, a[2] as number]));
    expect(prices.get(1)).toBeGreaterThan(0);
    expect(prices.get(2)).toBeGreaterThan(prices.get(1) ?? Infinity);
    expect(prices.get(4)).toBeGreaterThan(0);
    expect(sizes.get(0)).toBeGreaterThan(0);
    expect(sizes.get(3)).toBeGreaterThan(0);
    expect(sizes.get(8)).toBeGreaterThanOrEqual(0);
    expect(c.of(EventName.tickReqParams)[0]?.[0]).toBe(1);
    expect(c.of(EventName.marketDataType)[0]).toEqual([1, 1]);
  });

  it('streams market data until cancelled', async () => {
    const c = await client();

    c.ib.reqMktData(2, stock('NVDA'), '', false, false);
    await waitFor(() => c.of(EventName.tickPrice).filter((a) => a[0] === 2).length > 12, 3000, 'streaming ticks');
    c.ib.cancelMktData(2);
    await new Promise((r) => setTimeout(r, 100));
    const after = c.of(EventName.tickPrice).length;
    await new Promise((r) => setTimeout(r, 150));

    expect(c.of(EventName.tickPrice).length).toBe(after);
  });

  it('rests a limit order until the market crosses it, then fills at the limit', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;

    c.ib.placeOrder(id, stock('AMZN'), limitOrder('BUY', 20, 150));
    await waitFor(() => statuses(c, id).some((s) => s.status === 'Submitted'), 2000, 'Submitted');
    await new Promise((r) => setTimeout(r, 100));
    expect(statuses(c, id).some((s) => s.status === 'Filled')).toBe(false);
    await adminPost(adminUrl, '/market/set-mid', { symbol: 'AMZN', price: '149.50' });

    await waitFor(() => statuses(c, id).some((s) => s.status === 'Filled'), 3000, 'Filled');
    const fill = c.of(EventName.execDetails).find((a) => (a[2] as Execution).orderId === id)?.[2] as Execution;
    expect(fill.price).toBe(150);
    expect(fill.lastLiquidity).toBe(1);
    await adminPost(adminUrl, '/market/set-mid', { symbol: 'AMZN', price: '185.00' });
  });

  it('cancels a working order with Cancelled and error 202, and refuses unknown or filled ids', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;
    c.ib.placeOrder(id, stock('AAPL'), limitOrder('BUY', 5, 100));
    await waitFor(() => statuses(c, id).some((s) => s.status === 'Submitted'), 2000, 'Submitted');

    c.ib.cancelOrder(id);
    c.ib.cancelOrder(999_999);

    await waitFor(() => statuses(c, id).some((s) => s.status === 'Cancelled'), 2000, 'Cancelled');
    await waitFor(() => c.errors.some((e) => e.code === 202 && e.reqId === id), 2000, '202');
    await waitFor(() => c.errors.some((e) => e.code === 10147 && e.reqId === 999_999), 2000, '10147');
    c.ib.cancelOrder(id);
    await waitFor(() => c.errors.some((e) => e.code === 10148 && e.reqId === id), 2000, '10148');
  });

  it('cancels every working order on reqGlobalCancel', async () => {
    const c = await client();
    const first = c.nextValidId() ?? 0;
    c.ib.placeOrder(first, stock('AAPL'), limitOrder('BUY', 1, 100));
    c.ib.placeOrder(first + 1, stock('MSFT'), limitOrder('SELL', 1, 900));
    await waitFor(() => statuses(c, first + 1).some((s) => s.status === 'Submitted'), 2000, 'both Submitted');

    c.ib.reqGlobalCancel();

    await waitFor(() => [first, first + 1].every((id) => statuses(c, id).some((s) => s.status === 'Cancelled')), 2000, 'both Cancelled');
    expect(sim.snapshot().openOrders).toEqual([]);
  });

  it('rejects bad orders with 200, 201 and 103', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;

    c.ib.placeOrder(id, stock('NOPE'), marketOrder('BUY', 1));
    c.ib.placeOrder(id + 1, stock('AAPL'), marketOrder('BUY', 0));
    c.ib.placeOrder(id + 2, stock('AAPL'), { ...limitOrder('BUY', 1, 100), lmtPrice: undefined });
    c.ib.placeOrder(id + 3, stock('AAPL'), marketOrder('BUY', 1));
    await waitFor(() => statuses(c, id + 3).some((s) => s.status === 'Filled'), 2000, 'fill');
    c.ib.placeOrder(id + 3, stock('AAPL'), marketOrder('BUY', 1));
    await adminPost(adminUrl, '/faults/reject-next', { reason: 'risk says no' });
    c.ib.placeOrder(id + 4, stock('AAPL'), marketOrder('BUY', 1));

    await waitFor(() => c.errors.some((e) => e.reqId === id + 4), 2000, 'injected reject');
    const codes = new Map(c.errors.map((e) => [e.reqId, e.code]));
    expect(codes.get(id)).toBe(200);
    expect(codes.get(id + 1)).toBe(201);
    expect(codes.get(id + 2)).toBe(201);
    expect(codes.get(id + 3)).toBe(103);
    expect(codes.get(id + 4)).toBe(201);
    expect(c.errors.find((e) => e.reqId === id + 4)?.message).toContain('risk says no');
  });

  it('modifies a working order placed again with the same id', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;
    c.ib.placeOrder(id, stock('NVDA'), limitOrder('BUY', 3, 50));
    await waitFor(() => statuses(c, id).length > 0, 2000, 'Submitted');

    c.ib.placeOrder(id, stock('NVDA'), limitOrder('BUY', 7, 51));

    await waitFor(() => sim.snapshot().openOrders.find((o) => o.orderId === id)?.quantity === 7, 2000, 'modified quantity');
    const lastOpen = c.of(EventName.openOrder).filter((a) => a[0] === id).at(-1)?.[2] as { lmtPrice: number; totalQuantity: number };
    expect(lastOpen).toMatchObject({ lmtPrice: 51, totalQuantity: 7 });
    c.ib.cancelOrder(id);
    await waitFor(() => statuses(c, id).some((s) => s.status === 'Cancelled'), 2000, 'Cancelled');
  });

  it('answers reqExecutions with a filter, commission reports and an END', async () => {
    const c = await client();

    c.ib.reqExecutions(42, { symbol: 'AAPL' });

    await waitFor(() => c.of(EventName.execDetailsEnd).some((a) => a[0] === 42), 2000, 'execDetailsEnd');
    const execs = c.of(EventName.execDetails).filter((a) => a[0] === 42).map((a) => a[2] as Execution);
    const expected = sim.snapshot().executions.filter((e) => e.symbol === 'AAPL');
    expect(execs.map((e) => e.execId).sort()).toEqual(expected.map((e) => e.execId).sort());
    expect(execs.length).toBeGreaterThan(0);
    const reports = c.of(EventName.commissionReport).map((a) => (a[0] as { execId: string }).execId);
    expect(reports).toEqual(expect.arrayContaining(execs.map((e) => e.execId)));
  });

  it('shows one client the working orders of another and the same positions', async () => {
    const a = await client();
    const b = await client();
    const id = a.nextValidId() ?? 0;
    a.ib.placeOrder(id, stock('SPY'), limitOrder('BUY', 2, 400));
    await waitFor(() => statuses(a, id).length > 0, 2000, 'Submitted');

    b.ib.reqAllOpenOrders();
    b.ib.reqOpenOrders();
    b.ib.reqPositions();

    await waitFor(() => b.of(EventName.openOrderEnd).length === 2, 2000, 'two openOrderEnds');
    const seen = b.of(EventName.openOrder).map((x) => x[0]);
    expect(seen.filter((x) => x === id)).toHaveLength(1); // in reqAllOpenOrders, not in b's own reqOpenOrders
    await waitFor(() => b.of(EventName.positionEnd).length > 0, 2000, 'positionEnd');
    const positions = b.of(EventName.position).map((x) => [(x[1] as Contract).symbol, x[2]]);
    expect(positions.sort()).toEqual(sim.snapshot().positions.map((p) => [p.symbol, p.quantity]).sort());
    a.ib.cancelOrder(id);
    await waitFor(() => statuses(a, id).some((s) => s.status === 'Cancelled'), 2000, 'Cancelled');
  });

  it('keeps order ids per client, as IB does', async () => {
    const a = await client();
    const b = await client();
    const id = Math.max(a.nextValidId() ?? 0, b.nextValidId() ?? 0) + 50;

    a.ib.placeOrder(id, stock('AAPL'), limitOrder('BUY', 1, 101));
    b.ib.placeOrder(id, stock('AAPL'), limitOrder('BUY', 1, 102));
    await waitFor(() => statuses(a, id).length > 0 && statuses(b, id).length > 0, 2000, 'both Submitted');
    b.ib.cancelOrder(id);

    await waitFor(() => statuses(b, id).some((s) => s.status === 'Cancelled'), 2000, "b's order Cancelled");
    expect(statuses(a, id).map((s) => s.status)).toEqual(['Submitted']);
    expect(b.errors.filter((e) => e.code === 103)).toEqual([]);
    a.ib.cancelOrder(id);
    await waitFor(() => statuses(a, id).some((s) => s.status === 'Cancelled'), 2000, "a's order Cancelled");
  });

  it('keeps state across a reconnect and pushes the client its working orders again', async () => {
    const a = await client();
    const id = a.nextValidId() ?? 0;
    a.ib.placeOrder(id, stock('MSFT'), limitOrder('BUY', 4, 300));
    await waitFor(() => statuses(a, id).length > 0, 2000, 'Submitted');
    const before = sim.snapshot();
    await a.disconnect();

    const again = await connectClient(sim.port, a.clientId);
    clients.push(again);

    await waitFor(() => again.of(EventName.openOrder).some((x) => x[0] === id), 2000, 'pushed open order');
    expect(sim.snapshot().positions).toEqual(before.positions);
    again.ib.cancelOrder(id);
    await waitFor(() => statuses(again, id).some((s) => s.status === 'Cancelled'), 2000, 'Cancelled');
  });

  it('refuses a second connection with a client id in use (326)', async () => {
    const a = await client();

    const dup = await import('./helpers.js').then((h) => h.createClient(sim.port, a.clientId));
    dup.ib.connect(a.clientId);

    await waitFor(() => dup.infos.some((i) => i.code === 326), 3000, '326');
    await waitFor(() => dup.of(EventName.disconnected).length > 0, 3000, 'disconnected');
    expect(a.ib.isConnected).toBe(true);
  });

  it('answers contract details for the universe and 200 for anything else', async () => {
    const c = await client();

    c.ib.reqContractDetails(77, stock('AAPL'));
    c.ib.reqContractDetails(78, stock('ZZZZ'));

    await waitFor(() => c.of(EventName.contractDetailsEnd).some((a) => a[0] === 77), 2000, 'contractDetailsEnd');
    const d = c.of(EventName.contractDetails).find((a) => a[0] === 77)?.[1] as { contract: Contract; longName: string };
    expect(d.contract.conId).toBe(265598);
    expect(d.longName).toBe('APPLE INC');
    await waitFor(() => c.errors.some((e) => e.reqId === 78 && e.code === 200), 2000, '200');
  });

  it('ends completed orders and rejects unsupported requests on their request id', async () => {
    const c = await client();

    c.ib.reqCompletedOrders(false);
    c.ib.reqHistoricalData(55, stock('AAPL'), '', '1 D', '1 min' as never, 'TRADES', 1, 1, false);

    await waitFor(() => c.of(EventName.completedOrdersEnd).length > 0, 2000, 'completedOrdersEnd');
    await waitFor(() => c.errors.some((e) => e.reqId === 55 && e.code === 321), 2000, '321 on reqId 55');
  });
});
