/**
 * Admin HTTP API on loopback (JSON) for state inspection and fault injection.
 *
 *   GET  /health                 {status, sessions, listening}
 *   GET  /state                  broker snapshot
 *   GET  /open-orders            {openOrders} (the working orders only: cheap to poll)
 *   GET  /orders-log             every place/cancel/globalCancel seen
 *   POST /faults/drop-connections
 *   POST /faults/emit            {code: 1100|1101|1102|2103|2104|2105|2106|2110|1300, message?}
 *   POST /faults/refuse          {seconds}
 *   POST /faults/silent          {seconds}
 *   POST /faults/reject-next     {reason?}
 *   POST /faults/delay-fills     {ms}
 *   POST /faults/ignore-global-cancel {times}  (the next N global cancels cancel nothing)
 *   POST /faults/clear
 *   POST /faults/external-order  {symbol, side, quantity, limitPrice?}  (an order placed outside TradeOps, client 0)
 *   POST /market/set-mid         {symbol, price}   (moves a quote so tests can cross a limit)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Broker } from './broker.js';
import { fmt } from './fixed.js';
import { EMITTABLE_CODES, type EmittableCode, type FaultControls } from './faults.js';
import type { SimLogger } from './session.js';

export interface AdminServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface AdminDeps {
  host: string;
  port: number;
  broker: Broker;
  faults: FaultControls;
  logger: SimLogger;
  sessionCount(): number;
  listening(): boolean;
}

const EmitBody = z.strictObject({
  code: z.number().int().refine((c): c is EmittableCode => (EMITTABLE_CODES as ReadonlyArray<number>).includes(c), `one of ${EMITTABLE_CODES.join(', ')}`),
  message: z.string().max(500).optional(),
});
const SecondsBody = z.strictObject({ seconds: z.number().positive().max(86_400) });
const RejectBody = z.strictObject({ reason: z.string().max(500).optional() });
const DelayBody = z.strictObject({ ms: z.number().int().min(0).max(3_600_000) });
const SetMidBody = z.strictObject({ symbol: z.string().min(1), price: z.string().regex(/^\d{1,12}(\.\d{1,8})?$/) });
const ExternalOrderBody = z.strictObject({ symbol: z.string().min(1), side: z.enum(['BUY', 'SELL']), quantity: z.number().int().positive().max(1_000_000), limitPrice: z.string().regex(/^\d{1,12}(\.\d{1,8})?$/).optional() });
const TimesBody = z.strictObject({ times: z.number().int().min(0).max(1000) });
const Empty = z.union([z.strictObject({}), z.undefined()]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error ?? status));
  }
}

type Route = (body: unknown) => Promise<unknown> | unknown;

/** The admin API's paths: the server's route table and IbSimAdminClient both use these. */
export const ADMIN_PATHS = {
  health: '/health',
  state: '/state',
  openOrders: '/open-orders',
  ordersLog: '/orders-log',
  dropConnections: '/faults/drop-connections',
  emit: '/faults/emit',
  refuse: '/faults/refuse',
  silent: '/faults/silent',
  rejectNext: '/faults/reject-next',
  delayFills: '/faults/delay-fills',
  externalOrder: '/faults/external-order',
  ignoreGlobalCancel: '/faults/ignore-global-cancel',
  clear: '/faults/clear',
  setMid: '/market/set-mid',
} as const;
const P = ADMIN_PATHS;

export async function startAdmin(d: AdminDeps): Promise<AdminServer> {
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const r = schema.safeParse(body);
    if (!r.success) throw new HttpError(400, { error: 'invalid body', issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    return r.data;
  };
  const routes: Record<string, Route> = {
    [`GET ${P.health}`]: () => ({ status: 'ok', sessions: d.sessionCount(), listening: d.listening() }),
    [`GET ${P.state}`]: () => d.broker.snapshot(),
    [`GET ${P.openOrders}`]: () => ({ openOrders: d.broker.openOrders() }),
    [`GET ${P.ordersLog}`]: () => ({ entries: d.broker.orderLog() }),
    [`POST ${P.dropConnections}`]: (b) => (parse(Empty, b), { dropped: d.faults.dropConnections() }),
    [`POST ${P.emit}`]: (b) => {
      const { code, message } = parse(EmitBody, b);
      return { code, reached: d.faults.emit(code, message) };
    },
    [`POST ${P.refuse}`]: async (b) => {
      const { seconds } = parse(SecondsBody, b);
      await d.faults.refuse(seconds);
      return { refusingForSeconds: seconds };
    },
    [`POST ${P.silent}`]: (b) => {
      const { seconds } = parse(SecondsBody, b);
      d.faults.silent(seconds);
      return { silentForSeconds: seconds };
    },
    [`POST ${P.rejectNext}`]: (b) => {
      const { reason } = parse(RejectBody, b);
      d.faults.rejectNext(reason);
      return { rejectNext: true };
    },
    [`POST ${P.delayFills}`]: (b) => {
      const { ms } = parse(DelayBody, b);
      d.faults.delayFills(ms);
      return { delayFillsMs: ms };
    },
    [`POST ${P.externalOrder}`]: (b) => {
      const body = parse(ExternalOrderBody, b);
      const r = d.faults.placeExternal(body);
      if ('error' in r) throw new HttpError(409, { error: r.error });
      return r;
    },
    [`POST ${P.ignoreGlobalCancel}`]: (b) => {
      const { times } = parse(TimesBody, b);
      d.faults.ignoreGlobalCancels(times);
      return { ignoreGlobalCancels: times };
    },
    [`POST ${P.clear}`]: async (b) => {
      parse(Empty, b);
      await d.faults.clear();
      return { cleared: true };
    },
    [`POST ${P.setMid}`]: (b) => {
      const { symbol, price } = parse(SetMidBody, b);
      if (!d.broker.market.instrument(symbol)) throw new HttpError(404, { error: `unknown symbol ${symbol}` });
      d.broker.setMid(symbol, price);
      const q = d.broker.market.quote(symbol);
      return { symbol, bid: q ? fmt(q.bid) : undefined, ask: q ? fmt(q.ask) : undefined };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res, routes).catch((e: unknown) => {
      d.logger.error('ib-sim admin request failed', { error: String(e) });
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(d.port, d.host, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : d.port);
    });
  });
  return {
    port,
    url: `http://${d.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: Record<string, Route>): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = routes[`${req.method ?? 'GET'} ${path}`];
  if (!route) {
    const known = Object.keys(routes).some((k) => k.endsWith(` ${path}`));
    return send(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found', path });
  }
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return send(res, 400, { error: 'body is not valid JSON' });
  }
  try {
    send(res, 200, await route(body));
  } catch (e) {
    if (e instanceof HttpError) return send(res, e.status, e.body);
    if (e instanceof RangeError) return send(res, 400, { error: e.message });
    throw e;
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
