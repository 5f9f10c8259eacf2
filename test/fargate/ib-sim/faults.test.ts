/**
 * Fault injection seen from a plain IBApi client, driven through the admin HTTP API and
 * `handle.faults`. Oracle: no 505 anywhere.
 */
import { EventName } from '@stoqey/ib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';
import { admin, adminPost, connectClient, createClient, decodeErrors, marketOrder, statuses, stock, waitFor, type TestClient } from './helpers.js';

let sim: IbSimHandle;
let url: string;
const clients: TestClient[] = [];
let nextClientId = 100;

let listeningNow = false;
/** Polled through /health so the test never sleeps a fixed time. */
function fetchListening(): boolean {
  void admin(url, '/health').then((r) => (listeningNow = (r.json as { listening: boolean }).listening));
  return listeningNow;
}

async function client(): Promise<TestClient> {
  const c = await connectClient(sim.port, nextClientId++);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startIbSim({ port: 0, adminPort: 0, seed: 11, tickIntervalMs: 20 });
  url = sim.adminUrl ?? '';
});

afterEach(async () => {
  await sim.faults.clear();
  expect(decodeErrors).toEqual([]);
});

afterAll(async () => {
  for (const c of clients) await c.disconnect().catch(() => undefined);
  await sim.close();
});

describe('ib-sim fault injection', () => {
  it('delivers 1100 and 1102 as info while the socket stays open', async () => {
    const c = await client();

    const r1 = await adminPost(url, '/faults/emit', { code: 1100 });
    await adminPost(url, '/faults/emit', { code: 1102, message: 'restored - data maintained' });

    expect(r1).toMatchObject({ status: 200, json: { code: 1100 } });
    await waitFor(() => c.infos.some((i) => i.code === 1102), 2000, '1102');
    expect(c.infos.filter((i) => i.code >= 1100 && i.code < 1200).map((i) => i.code)).toEqual([1100, 1102]);
    expect(c.infos.find((i) => i.code === 1102)?.message).toBe('restored - data maintained');
    expect(c.ib.isConnected).toBe(true);
  });

  it('drops market data subscriptions on 1101 (data lost)', async () => {
    const c = await client();
    c.ib.reqMktData(9, stock('AAPL'), '', false, false);
    await waitFor(() => c.of(EventName.tickPrice).length > 5, 2000, 'ticks');

    sim.faults.emit(1101);
    await waitFor(() => c.infos.some((i) => i.code === 1101), 2000, '1101');
    await new Promise((r) => setTimeout(r, 60));
    const after = c.of(EventName.tickPrice).length;
    await new Promise((r) => setTimeout(r, 120));

    expect(c.of(EventName.tickPrice).length).toBe(after);
  });

  it('sends farm-status flaps 2103/2105 and recoveries', async () => {
    const c = await client();
    const before = c.infos.length;

    for (const code of [2103, 2105, 2104, 2106] as const) sim.faults.emit(code);

    await waitFor(() => c.infos.length >= before + 4, 2000, 'farm infos');
    expect(c.infos.slice(before).map((i) => i.code)).toEqual([2103, 2105, 2104, 2106]);
  });

  it('disconnects every client on drop-connections', async () => {
    const a = await client();
    const b = await client();

    const r = await adminPost(url, '/faults/drop-connections');

    expect((r.json as { dropped: number }).dropped).toBeGreaterThanOrEqual(2);
    await waitFor(() => a.of(EventName.disconnected).length > 0 && b.of(EventName.disconnected).length > 0, 3000, 'disconnected');
  });

  it('sends 1300 then closes the socket', async () => {
    const c = await client();

    sim.faults.emit(1300);

    await waitFor(() => c.infos.some((i) => i.code === 1300), 2000, '1300');
    await waitFor(() => c.of(EventName.disconnected).length > 0, 3000, 'disconnected');
  });

  it('refuses connections for the given time, then accepts again', async () => {
    const a = await client();

    await adminPost(url, '/faults/refuse', { seconds: 0.6 });
    await waitFor(() => a.of(EventName.disconnected).length > 0, 3000, 'dropped');
    const refused = createClient(sim.port, nextClientId++);
    refused.ib.connect(refused.clientId);

    await waitFor(() => refused.errors.some((e) => e.code === 502 && /ECONNREFUSED/.test(e.message)), 3000, 'ECONNREFUSED');
    await waitFor(() => refused.of(EventName.disconnected).length > 0, 2000, 'disconnected');
    const health = await admin(url, '/health');
    expect(health.json).toMatchObject({ listening: false });

    await waitFor(() => fetchListening(), 3000, 'listener reopened');
    const back = await client();
    expect(back.nextValidId()).toBeGreaterThanOrEqual(1000);
  });

  it('goes silent: requests get no answer until the silence ends', async () => {
    const c = await client();

    sim.faults.silent(0.4);
    c.ib.reqCurrentTime();
    await new Promise((r) => setTimeout(r, 250));
    expect(c.of(EventName.currentTime)).toHaveLength(0);
    expect(c.ib.isConnected).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    c.ib.reqCurrentTime();

    await waitFor(() => c.of(EventName.currentTime).length > 0, 2000, 'currentTime after silence');
  });

  it('delays fills by the configured time', async () => {
    const c = await client();
    const id = c.nextValidId() ?? 0;
    sim.faults.delayFills(300);
    const t0 = Date.now();

    c.ib.placeOrder(id, stock('MSFT'), marketOrder('BUY', 1));
    await waitFor(() => statuses(c, id).some((s) => s.status === 'Submitted'), 2000, 'Submitted');

    await waitFor(() => statuses(c, id).some((s) => s.status === 'Filled'), 3000, 'Filled');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('exposes state and the order log, and refuses bad fault bodies', async () => {
    const state = await admin(url, '/state');
    const log = await admin(url, '/orders-log');
    const bad = await adminPost(url, '/faults/emit', { code: 999 });
    const missing = await admin(url, '/nope');

    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({ cash: expect.any(String), positions: expect.any(Array) });
    expect((log.json as { entries: unknown[] }).entries).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'place', symbol: 'MSFT' })]));
    expect(bad.status).toBe(400);
    expect(missing.status).toBe(404);
  });
});
