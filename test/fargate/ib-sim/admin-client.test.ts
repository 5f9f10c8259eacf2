import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IbSimAdminClient } from '../../../fargate/ib-sim/admin-client.js';
import { startIbSim, type IbSimHandle } from '../../../fargate/ib-sim/server.js';

let sim: IbSimHandle;
let admin: IbSimAdminClient;

beforeAll(async () => {
  sim = await startIbSim({ port: 0, adminPort: 0, seed: 7 });
  admin = new IbSimAdminClient(sim.adminUrl!);
});

afterAll(async () => {
  await sim?.close();
});

describe('IbSimAdminClient against a running ib-sim', () => {
  it('reads what the simulator holds, as the in-process handle does', async () => {
    expect(await admin.health()).toMatchObject({ status: 'ok', sessions: 0, listening: true });
    expect(await admin.snapshot()).toEqual(sim.snapshot());
    expect(await admin.openOrders()).toEqual(sim.snapshot().openOrders);
    expect(await admin.orderLog()).toEqual([...sim.orderLog()]);
  });

  it('injects faults and moves a quote; an external order shows in the order log and the working orders', async () => {
    await admin.setMid('AAPL', '190.00');
    await admin.faults.delayFills(60_000);
    const placed = await admin.faults.placeExternal({ symbol: 'AAPL', side: 'BUY', quantity: 5, limitPrice: '1.00' });
    expect((await admin.orderLog()).some((e) => e.orderId === placed.orderId && e.kind === 'place')).toBe(true);
    expect((await admin.openOrders()).map((o) => o.orderId)).toContain(placed.orderId);
    await admin.faults.clear();
  });

  it('raises IbSimAdminError with the status and the server message on a refused call', async () => {
    await expect(admin.setMid('NOPE', '1.00')).rejects.toMatchObject({ name: 'IbSimAdminError', status: 404, message: expect.stringContaining('unknown symbol NOPE') });
    await expect(admin.faults.delayFills(-1)).rejects.toMatchObject({ status: 400 });
  });
});
