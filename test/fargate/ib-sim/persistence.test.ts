/**
 * Restart with a data dir keeps orders, executions, positions, cash and ids; raw TCP edge cases.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventName } from '@stoqey/ib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFrame, encodeHandshake, InboundFrameReader } from '../../../fargate/ib-sim/framing.js';
import { startIbSim } from '../../../fargate/ib-sim/server.js';
import { loadState, STATE_FILE, StateFileWriter } from '../../../fargate/ib-sim/store.js';
import type { PersistedBrokerState } from '../../../fargate/ib-sim/broker.js';
import { connectClient, decodeErrors, limitOrder, marketOrder, statuses, stock, waitFor } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ib-sim-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  expect(decodeErrors).toEqual([]);
});

describe('ib-sim persistence', () => {
  it('keeps orders, executions, positions, cash and next ids across a restart', async () => {
    const dataDir = tempDir();
    const first = await startIbSim({ port: 0, dataDir, seed: 1, tickIntervalMs: 1000 });
    const c = await connectClient(first.port, 1);
    const id = c.nextValidId() ?? 0;
    c.ib.placeOrder(id, stock('AAPL'), marketOrder('BUY', 30));
    c.ib.placeOrder(id + 1, stock('MSFT'), limitOrder('BUY', 2, 100));
    await waitFor(() => statuses(c, id + 1).length > 0 && statuses(c, id).some((s) => s.status === 'Filled'), 3000, 'orders');
    const before = first.snapshot();
    await c.disconnect();
    await first.close();

    const second = await startIbSim({ port: 0, dataDir, seed: 1, tickIntervalMs: 1000 });
    const again = await connectClient(second.port, 1);

    expect(second.snapshot()).toEqual(before);
    expect(again.nextValidId()).toBe(id + 2);
    await waitFor(() => again.of(EventName.openOrder).some((a) => a[0] === id + 1), 2000, 'open order pushed after restart');
    expect(second.orderLog().length).toBeGreaterThanOrEqual(2);
    await again.disconnect();
    await second.close();
  });

  it('writes the state file while running, without waiting for close', async () => {
    const dataDir = tempDir();
    const sim = await startIbSim({ port: 0, dataDir, seed: 1, tickIntervalMs: 1000 });
    const c = await connectClient(sim.port, 1);
    const id = c.nextValidId() ?? 0;
    c.ib.placeOrder(id, stock('AAPL'), marketOrder('BUY', 5));

    // A crash now would keep what the file holds: the order shows up within the coalescing window.
    await waitFor(() => existsSync(join(dataDir, STATE_FILE)) && (loadState(dataDir, 'DU1234567')?.orders.length ?? 0) === 1, 3000, 'state file with the order');
    await c.disconnect();
    await sim.close();
  });

  it('writes only the latest of states handed in quickly, atomically', async () => {
    const dataDir = tempDir();
    const writer = new StateFileWriter(dataDir);
    const state = (n: number) => ({ version: 1, accountId: 'DU1', nextOrderId: n, nextPermId: 1, execSeq: 0, account: { cash: '0', commissions: '0', positions: {} }, market: { rng: 1, mids: {} }, orders: [], executions: [], orderLog: [] }) as PersistedBrokerState;

    for (let n = 1; n <= 50; n++) writer.write(state(n));
    await writer.flush();

    expect(JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'))).toMatchObject({ nextOrderId: 50 });
    expect(readdirSync(dataDir)).toEqual([STATE_FILE]);
  });

  it('reports a failed state write on flush', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const errors: unknown[] = [];
    const writer = new StateFileWriter(join(blocker, 'data'), (e) => errors.push(e));

    writer.write({ version: 1 } as PersistedBrokerState);

    await expect(writer.flush()).rejects.toBeDefined();
    expect(errors).toHaveLength(1);
  });

  it('refuses a corrupt state file with a coded error', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, STATE_FILE), '{"version":1');

    await expect(startIbSim({ port: 0, dataDir })).rejects.toMatchObject({ code: 'IB_SIM.STATE_FILE_INVALID' });
  });

  it('refuses invalid options naming the field', async () => {
    await expect(startIbSim({ port: 0, startingCash: '-5' })).rejects.toThrow(/startingCash/);
  });
});

describe('ib-sim raw TCP', () => {
  it('answers a malformed request with ERR 321 and keeps the connection', async () => {
    const sim = await startIbSim({ port: 0 });
    const socket = connect(sim.port, '127.0.0.1');
    const reader = new InboundFrameReader();
    const frames: string[][] = [];
    // The server → client direction has no handshake prefix; reuse the reader after a fake one.
    reader.push(encodeHandshake(100, 193));
    socket.on('data', (chunk: Buffer) => {
      for (const item of reader.push(chunk)) if (item.kind === 'message') frames.push(item.fields);
    });
    await new Promise<void>((r) => socket.once('connect', () => r()));

    // Handshake and START_API in one write, split oddly across two.
    const bytes = Buffer.concat([encodeHandshake(100, 193), encodeFrame([71, 2, 5, '']), encodeFrame([62, 1]), encodeFrame([49, 1])]);
    socket.write(bytes.subarray(0, 7));
    await new Promise((r) => setTimeout(r, 20));
    socket.write(bytes.subarray(7));

    await waitFor(() => frames.some((f) => f[0] === '49'), 2000, 'currentTime after the malformed message');
    expect(frames[0]?.[0]).toBe('193');
    expect(frames.some((f) => f[0] === '9')).toBe(true);
    expect(frames.find((f) => f[0] === '4' && f[3] === '321')).toBeDefined();
    socket.destroy();
    await sim.close();
  });
});
