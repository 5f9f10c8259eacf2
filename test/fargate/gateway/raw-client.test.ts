/**
 * The raw client against a tiny scripted TWS peer on 127.0.0.1 (real sockets, real @stoqey/ib),
 * for wire situations the simulator does not produce: invalid advancedOrderReject JSON, a peer that
 * never answers the handshake, and 326 at login.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, InboundFrameReader, type WireField } from '../../../fargate/ib-sim/framing.js';
import { MessagePacer } from '../../../fargate/gateway/pacing.js';
import { RawClient } from '../../../fargate/gateway/raw-client.js';
import { systemScheduler } from '../../../fargate/gateway/scheduler.js';

type Script = (send: (fields: WireField[]) => void, msg: { kind: 'handshake' } | { kind: 'message'; fields: string[] }, socket: Socket) => void;

const servers: Server[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close('test end');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(() => r(undefined)))));
});

async function peer(script: Script): Promise<number> {
  const server = createServer((socket) => {
    const reader = new InboundFrameReader();
    const send = (fields: WireField[]): void => {
      socket.write(encodeFrame(fields));
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const item of reader.push(chunk)) script(send, item.kind === 'handshake' ? { kind: 'handshake' } : { kind: 'message', fields: item.fields }, socket);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** Handshake, START_API → accounts + next valid id; reqCurrentTime answered. */
const loginScript =
  (extra: Script = () => undefined): Script =>
  (send, msg, socket) => {
    if (msg.kind === 'handshake') return send([193, '20261126 09:30:00 EST']);
    if (msg.fields[0] === '71') {
      send([15, 1, 'DU1']);
      send([9, 1, 1000]);
      return;
    }
    if (msg.fields[0] === '49') send([49, 1, 1764167400]);
    extra(send, msg, socket);
  };

function client(port: number, connectTimeoutMs = 1_000): RawClient {
  const c = new RawClient({ host: '127.0.0.1', port, clientId: 3, connectTimeoutMs }, new MessagePacer({ ratePerSecond: 40 }, systemScheduler), systemScheduler);
  clients.push(c);
  return c;
}

describe('RawClient', () => {
  it('logs in once nextValidId and managed accounts arrived', async () => {
    const c = client(await peer(loginScript()));
    const info = await c.connect();
    expect(info).toMatchObject({ serverVersion: 193, nextValidId: 1000, accounts: ['DU1'] });
    expect(c.isLoggedIn).toBe(true);
  });

  it('survives invalid advancedOrderReject JSON and keeps decoding the next messages', async () => {
    const port = await peer(
      loginScript((send, msg) => {
        if (msg.kind === 'message' && msg.fields[0] === '49') {
          send([4, 2, 1001, 201, 'Order rejected', '{bad']);
          send([4, 2, 1002, 201, 'Order rejected - valid', '{"reason":"x"}']);
        }
      }),
    );
    const c = client(port);
    const failures: string[] = [];
    const errors: number[] = [];
    c.on('decodeFailure', (e) => failures.push(e.message));
    c.on('error', (e) => errors.push(e.reqId));
    await c.connect();
    await c.reqCurrentTime();
    const deadline = Date.now() + 2_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(failures).toHaveLength(1);
    expect(errors).toEqual([1002]);
    expect(c.isLoggedIn).toBe(true);
  });

  it('times out a peer that accepts TCP but never answers the handshake, and closes it', async () => {
    const c = client(await peer(() => undefined), 300);
    const ended: string[] = [];
    c.on('disconnected', (e) => ended.push(e.reason));
    const started = Date.now();
    await expect(c.connect()).rejects.toMatchObject({ code: 'GATEWAY.CONNECT_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(ended).toEqual(['connect timeout']);
  });

  it('fails the login on 326 with the code, so the supervisor can wait longer', async () => {
    const port = await peer((send, msg, socket) => {
      if (msg.kind === 'handshake') return send([193, '20261126 09:30:00 EST']);
      if (msg.fields[0] === '71') {
        send([4, 2, -1, 326, 'client id is already in use', '']);
        socket.end();
      }
    });
    await expect(client(port).connect()).rejects.toMatchObject({ code: 'GATEWAY.CONNECT_FAILED', details: { code: 326 } });
  });

  it('paces every outgoing message under IB’s 50/s, as the peer sees them', async () => {
    const arrivals: number[] = [];
    const c = client(
      await peer(
        loginScript((_send, msg) => {
          if (msg.kind === 'message' && msg.fields[0] === '1') arrivals.push(Date.now());
        }),
      ),
    );
    await c.connect();
    await Promise.all(Array.from({ length: 70 }, (_, i) => c.reqMktData(900_000_000 + i, { symbol: 'AAPL', secType: 'STK' as never, exchange: 'SMART', currency: 'USD' })));
    const deadline = Date.now() + 3_000;
    while (arrivals.length < 70 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(arrivals).toHaveLength(70);
    const t0 = arrivals[0] ?? 0;
    for (let w = t0; w <= (arrivals.at(-1) ?? t0); w += 25) expect(arrivals.filter((t) => t >= w && t < w + 1000).length).toBeLessThan(50);
    expect(c.sentCounts.get('reqMktData')).toBe(70);
  });

  it('refuses to send without a session instead of queueing for the next one', async () => {
    const c = client(await peer(loginScript()));
    await expect(c.reqCurrentTime()).rejects.toMatchObject({ code: 'GATEWAY.NOT_CONNECTED' });
    await c.connect();
    c.close('test');
    await expect(c.placeOrder(1000, { symbol: 'AAPL' }, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 1 })).rejects.toMatchObject({ code: 'GATEWAY.NOT_CONNECTED' });
  });
});
