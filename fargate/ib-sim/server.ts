/**
 * ib-sim: a paper broker that speaks the TWS socket protocol (server version 193), so an
 * unmodified `@stoqey/ib` client can trade against it on 127.0.0.1.
 *
 * @example
 * const sim = await startIbSim({ port: 0, adminPort: 0, seed: 42 });
 * const ib = new IBApi({ host: '127.0.0.1', port: sim.port });
 * // … later
 * await sim.close();
 */
import { createServer, type Server, type Socket } from 'node:net';
import { z } from 'zod';
import { startAdmin, type AdminServer } from './admin.js';
import { Broker, type OrderLogEntry } from './broker.js';
import { fx } from './fixed.js';
import { DEFAULT_MESSAGES, type EmittableCode, type FaultControls } from './faults.js';
import type { InstrumentSpec } from './market.js';
import { Session, type SessionHost, type SimLogger } from './session.js';
import { loadState, StateFileWriter } from './store.js';

export type { FaultControls, EmittableCode } from './faults.js';
export type { SimLogger } from './session.js';

export interface IbSimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4002 (IB Gateway paper); 0 = a free port. */
  port?: number;
  /** 0 = a free port; undefined = no admin server. */
  adminPort?: number;
  seed?: number;
  /** Default 'DU1234567'. */
  accountId?: string;
  /** Default '1000000'. */
  startingCash?: string;
  instruments?: Array<{
    symbol: string;
    conId?: number;
    /** Initial mid. */
    price: string;
    tickSize?: string;
    volatilityBps?: number;
    exchange?: string;
    primaryExchange?: string;
    currency?: string;
  }>;
  /** Market step, default 250 ms. */
  tickIntervalMs?: number;
  /** Default '0.005'. */
  commissionPerShare?: string;
  /** Default '1'. */
  minCommission?: string;
  /** If set, broker state (orders, executions, positions, cash, next ids) persists here as JSON. */
  dataDir?: string;
  logger?: SimLogger;
}

export interface IbSimSnapshot {
  cash: string;
  positions: Array<{ symbol: string; quantity: number; avgCost: string }>;
  openOrders: Array<{ orderId: number; symbol: string; action: string; quantity: number; filled: number; status: string }>;
  executions: Array<{ execId: string; orderId: number; symbol: string; side: 'BOT' | 'SLD'; shares: number; price: string }>;
}

export interface IbSimHandle {
  port: number;
  adminPort?: number;
  adminUrl?: string;
  accountId: string;
  close(): Promise<void>;
  /** State for tests and the admin API. */
  snapshot(): IbSimSnapshot;
  orderLog(): ReadonlyArray<OrderLogEntry>;
  faults: FaultControls;
  /** Moves a symbol's mid and matches (the admin API's /market/set-mid, for in-process tests). */
  setMid(symbol: string, price: string): void;
}

/** Default universe: liquid US names with their real IB conIds. */
export const DEFAULT_INSTRUMENTS: ReadonlyArray<{ symbol: string; conId: number; price: string; primaryExchange: string; longName: string }> = [
  { symbol: 'AAPL', conId: 265598, price: '187.25', primaryExchange: 'NASDAQ', longName: 'APPLE INC' },
  { symbol: 'MSFT', conId: 272093, price: '415.10', primaryExchange: 'NASDAQ', longName: 'MICROSOFT CORP' },
  { symbol: 'SPY', conId: 756733, price: '560.00', primaryExchange: 'ARCA', longName: 'SPDR S&P 500 ETF TRUST' },
  { symbol: 'NVDA', conId: 4815747, price: '125.50', primaryExchange: 'NASDAQ', longName: 'NVIDIA CORP' },
  { symbol: 'AMZN', conId: 3691937, price: '185.00', primaryExchange: 'NASDAQ', longName: 'AMAZON.COM INC' },
];

const Decimal = z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, 'a non-negative decimal string, e.g. "187.25"');
const OptionsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4002),
  adminPort: z.number().int().min(0).max(65535).optional(),
  seed: z.number().int().default(42),
  accountId: z.string().regex(/^[A-Z0-9]{4,16}$/).default('DU1234567'),
  startingCash: Decimal.default('1000000'),
  instruments: z
    .array(
      z.strictObject({
        symbol: z.string().regex(/^[A-Z][A-Z0-9.]{0,11}$/),
        conId: z.number().int().positive().optional(),
        price: Decimal,
        tickSize: Decimal.optional(),
        volatilityBps: z.number().min(0).max(10_000).optional(),
        exchange: z.string().optional(),
        primaryExchange: z.string().optional(),
        currency: z.string().regex(/^[A-Z]{3}$/).optional(),
      }),
    )
    .min(1)
    .optional(),
  tickIntervalMs: z.number().int().min(5).max(60_000).default(250),
  commissionPerShare: Decimal.default('0.005'),
  minCommission: Decimal.default('1'),
  dataDir: z.string().min(1).optional(),
  logger: z.any().optional(),
});

/** First order id handed out: high, so order ids never collide with IBApiNext's reqIds (from 1). */
const FIRST_ORDER_ID = 1000;
const SILENT_LOGGER: SimLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class IbSimConfigError extends Error {
  readonly code = 'IB_SIM.CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'IbSimConfigError';
  }
}

export async function startIbSim(opts: IbSimOptions = {}): Promise<IbSimHandle> {
  const parsed = OptionsSchema.safeParse(opts);
  if (!parsed.success) throw new IbSimConfigError(`ib-sim options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const logger: SimLogger = opts.logger ?? SILENT_LOGGER;
  const instruments = resolveInstruments(opts.instruments);
  const now = (): number => Date.now();
  const restored = o.dataDir ? loadState(o.dataDir, o.accountId) : undefined;
  const dataDir = o.dataDir;
  const stateWriter = dataDir ? new StateFileWriter(dataDir, (e) => logger.error('ib-sim state file write failed', { error: String(e) })) : undefined;

  const broker = new Broker({
    accountId: o.accountId,
    startingCash: fx(o.startingCash),
    instruments,
    seed: o.seed,
    commission: { perShare: fx(o.commissionPerShare), minimum: fx(o.minCommission), maxBpsOfValue: 100 },
    firstOrderId: FIRST_ORDER_ID,
    now,
    ...(restored ? { restored } : {}),
    ...(stateWriter ? { persist: (s) => stateWriter.write(s) } : {}),
  });

  const sessions = new Set<Session>();
  let silentUntil = 0;
  const host: SessionHost = {
    broker,
    logger,
    now,
    isSilent: () => now() < silentUntil,
    clientIdInUse: (clientId, self) => [...sessions].some((s) => s !== self && s.started && s.clientId === clientId),
    onClosed: (s) => {
      sessions.delete(s);
      logger.info('ib-sim client disconnected', { session: s.id, clientId: s.clientId });
    },
  };

  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    sessions.add(new Session(socket, host));
  });
  const port = await listen(tcp, o.port, o.host);
  logger.info('ib-sim listening', { host: o.host, port, accountId: o.accountId, restored: restored !== undefined });

  const ticker = setInterval(() => {
    if (!host.isSilent()) broker.step();
  }, o.tickIntervalMs);
  ticker.unref();

  let refuseTimer: NodeJS.Timeout | undefined;
  let listening = true;
  let closed = false;

  const reopen = async (): Promise<void> => {
    if (refuseTimer) clearTimeout(refuseTimer);
    refuseTimer = undefined;
    if (listening || closed) return;
    await listen(tcp, port, o.host);
    listening = true;
    logger.info('ib-sim accepting connections again', { port });
  };

  const dropAll = (): number => {
    const n = sessions.size;
    for (const s of sessions) s.close();
    return n;
  };

  const faults: FaultControls = {
    dropConnections: () => {
      logger.warn('ib-sim fault: dropping connections', { sessions: sessions.size });
      return dropAll();
    },
    emit: (code: EmittableCode, message?: string) => {
      const text = message ?? DEFAULT_MESSAGES[code] ?? `System message ${code}`;
      logger.warn('ib-sim fault: emitting system message', { code });
      let n = 0;
      for (const s of sessions) {
        if (!s.started) continue;
        s.sendSystem(code, code === 1300 ? `${text} - ${port}` : text);
        if (code === 1101) s.dropSubscriptions();
        if (code === 1300) s.close();
        n++;
      }
      return n;
    },
    refuse: async (seconds: number) => {
      if (!(seconds > 0)) throw new RangeError('refuse(seconds) needs seconds > 0');
      logger.warn('ib-sim fault: refusing connections', { seconds });
      dropAll();
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => {
          tcp.close(() => resolve());
          // close() waits for open sockets; the FIN above lets clients go, destroy the stragglers.
          setTimeout(() => {
            for (const s of sockets) s.destroy();
          }, 200).unref();
        });
      }
      if (refuseTimer) clearTimeout(refuseTimer);
      refuseTimer = setTimeout(() => {
        reopen().catch((e: unknown) => logger.error('ib-sim could not reopen its port', { error: String(e) }));
      }, seconds * 1000);
      refuseTimer.unref();
    },
    silent: (seconds: number) => {
      if (!(seconds > 0)) throw new RangeError('silent(seconds) needs seconds > 0');
      logger.warn('ib-sim fault: going silent', { seconds });
      silentUntil = now() + seconds * 1000;
    },
    rejectNext: (reason?: string) => {
      broker.rejectNextReason = reason ?? 'Simulated rejection (ib-sim fault injection)';
    },
    delayFills: (ms: number) => {
      if (!(ms >= 0)) throw new RangeError('delayFills(ms) needs ms >= 0');
      broker.fillDelayMs = ms;
      if (ms === 0) broker.releaseDelayedFills();
    },
    placeExternal: (order) => {
      const orderId = broker.nextOrderId();
      const r = broker.placeOrder(0, {
        kind: 'placeOrder', orderId, contract: { conId: 0, symbol: order.symbol, secType: 'STK', exchange: 'SMART', primaryExchange: '', currency: 'USD' }, action: order.side, totalQuantity: String(order.quantity),
        orderType: order.limitPrice === undefined ? 'MKT' : 'LMT', lmtPrice: order.limitPrice ?? '', auxPrice: '', tif: 'DAY', account: o.accountId, orderRef: 'tws-manual', transmit: true, outsideRth: false, fieldCount: 0,
      });
      logger.warn('ib-sim fault: external order placed (client 0)', { orderId, ok: r.ok });
      return r.ok ? { orderId, permId: r.value.order.permId } : { error: `${r.code} ${r.message}` };
    },
    ignoreGlobalCancels: (times: number) => {
      if (!(Number.isInteger(times) && times >= 0)) throw new RangeError('ignoreGlobalCancels(times) needs a whole number >= 0');
      logger.warn('ib-sim fault: ignoring global cancels', { times });
      broker.ignoreGlobalCancels = times;
    },
    clear: async () => {
      silentUntil = 0;
      broker.ignoreGlobalCancels = 0;
      broker.rejectNextReason = undefined;
      broker.fillDelayMs = 0;
      broker.releaseDelayedFills();
      await reopen();
    },
  };

  const handleBase = {
    port,
    accountId: o.accountId,
    snapshot: () => broker.snapshot(),
    orderLog: () => broker.orderLog(),
    faults,
    setMid: (symbol: string, price: string) => broker.setMid(symbol, price),
  };

  let admin: AdminServer | undefined;
  if (o.adminPort !== undefined) {
    admin = await startAdmin({ host: '127.0.0.1', port: o.adminPort, broker, faults, logger, sessionCount: () => sessions.size, listening: () => listening });
    logger.info('ib-sim admin listening', { url: admin.url });
  }

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    if (refuseTimer) clearTimeout(refuseTimer);
    for (const s of sockets) s.destroy();
    if (listening) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    listening = false;
    await admin?.close();
    // After the sockets: no order can change the state any more.
    broker.flushPersisted();
    await stateWriter?.flush();
    logger.info('ib-sim stopped', { port });
  };

  return admin ? { ...handleBase, adminPort: admin.port, adminUrl: admin.url, close } : { ...handleBase, close };
}

function resolveInstruments(given: IbSimOptions['instruments']): InstrumentSpec[] {
  const list: NonNullable<IbSimOptions['instruments']> = given ?? DEFAULT_INSTRUMENTS.map((d) => ({ symbol: d.symbol, conId: d.conId, price: d.price, primaryExchange: d.primaryExchange }));
  const seen = new Set<string>();
  return list.map((i, idx) => {
    if (seen.has(i.symbol)) throw new IbSimConfigError(`ib-sim options: instruments.${idx}.symbol: duplicate ${i.symbol}`);
    seen.add(i.symbol);
    const known = DEFAULT_INSTRUMENTS.find((d) => d.symbol === i.symbol);
    const primaryExchange = i.primaryExchange ?? known?.primaryExchange ?? 'NASDAQ';
    return {
      symbol: i.symbol,
      conId: i.conId ?? known?.conId ?? syntheticConId(i.symbol),
      price: i.price,
      tickSize: i.tickSize ?? '0.01',
      volatilityBps: i.volatilityBps ?? 1,
      exchange: i.exchange ?? 'SMART',
      primaryExchange,
      currency: i.currency ?? 'USD',
      longName: known?.longName ?? i.symbol,
    };
  });
}

/** Stable made-up conId for symbols outside the default universe. */
function syntheticConId(symbol: string): number {
  let h = 2166136261;
  for (const ch of symbol) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 90_000_000 + (h % 9_000_000);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
