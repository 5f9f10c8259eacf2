/**
 * Test helpers: a plain `@stoqey/ib` IBApi client with every event recorded, polling waits, and
 * the decoder oracle (any 505 on the client is a layout bug in the simulator).
 */
import { EventName, IBApi, OrderAction, OrderType, SecType, type Contract, type Order } from '@stoqey/ib';

export interface Recorded {
  name: string;
  args: unknown[];
}

export interface TestClient {
  ib: IBApi;
  clientId: number;
  events: Recorded[];
  /** Every `error` event: [message, code, reqId]. */
  errors: Array<{ message: string; code: number; reqId: number }>;
  infos: Array<{ message: string; code: number }>;
  nextValidId(): number | undefined;
  of(name: string): unknown[][];
  disconnect(): Promise<void>;
}

/** Collects every 505 seen by any client in the suite, so afterAll can assert none. */
export const decodeErrors: Array<{ clientId: number; message: string }> = [];

const RECORDED = [
  EventName.connected, EventName.disconnected, EventName.server, EventName.nextValidId, EventName.managedAccounts, EventName.currentTime,
  EventName.position, EventName.positionEnd, EventName.accountSummary, EventName.accountSummaryEnd, EventName.updateAccountValue,
  EventName.updatePortfolio, EventName.updateAccountTime, EventName.accountDownloadEnd, EventName.tickPrice, EventName.tickSize,
  EventName.tickString, EventName.tickGeneric, EventName.tickSnapshotEnd, EventName.tickReqParams, EventName.marketDataType,
  EventName.openOrder, EventName.openOrderEnd, EventName.orderStatus, EventName.execDetails, EventName.execDetailsEnd,
  EventName.commissionReport, EventName.completedOrdersEnd, EventName.contractDetails, EventName.contractDetailsEnd,
] as const;

export function createClient(port: number, clientId: number): TestClient {
  const ib = new IBApi({ host: '127.0.0.1', port });
  const events: Recorded[] = [];
  const errors: TestClient['errors'] = [];
  const infos: TestClient['infos'] = [];
  // The typed overloads of `on` take one literal event at a time; record them all generically.
  const on = ib.on.bind(ib) as unknown as (name: string, fn: (...args: unknown[]) => void) => void;
  for (const name of RECORDED) {
    on(name, (...args: unknown[]) => {
      events.push({ name, args });
    });
  }
  ib.on(EventName.error, (err: Error, code: number, reqId: number) => {
    errors.push({ message: err.message, code, reqId });
    if (code === 505) decodeErrors.push({ clientId, message: err.message });
  });
  ib.on(EventName.info, (message: string, code: number) => {
    infos.push({ message, code });
  });
  const of = (name: string): unknown[][] => events.filter((e) => e.name === name).map((e) => e.args);
  return {
    ib,
    clientId,
    events,
    errors,
    infos,
    of,
    nextValidId: () => {
      const all = of(EventName.nextValidId);
      return all.length ? (all[all.length - 1]?.[0] as number) : undefined;
    },
    disconnect: async () => {
      if (!ib.isConnected) return;
      ib.disconnect();
      await waitFor(() => of(EventName.disconnected).length > 0, 3000, 'disconnected');
    },
  };
}

/** Connects and waits for NEXT_VALID_ID (the client's queue is held until then). */
export async function connectClient(port: number, clientId: number): Promise<TestClient> {
  const c = createClient(port, clientId);
  c.ib.connect(clientId);
  await waitFor(() => c.nextValidId() !== undefined, 5000, `nextValidId for client ${clientId}`);
  return c;
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const stock = (symbol: string): Contract => ({ symbol, secType: SecType.STK, exchange: 'SMART', currency: 'USD' });

export const marketOrder = (action: 'BUY' | 'SELL', qty: number): Order => ({
  action: action === 'BUY' ? OrderAction.BUY : OrderAction.SELL,
  orderType: OrderType.MKT,
  totalQuantity: qty,
  transmit: true,
});

export const limitOrder = (action: 'BUY' | 'SELL', qty: number, price: number): Order => ({
  action: action === 'BUY' ? OrderAction.BUY : OrderAction.SELL,
  orderType: OrderType.LMT,
  totalQuantity: qty,
  lmtPrice: price,
  transmit: true,
});

export async function admin(url: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

export async function adminPost(url: string, path: string, body: unknown = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** orderStatus events for one order id, as [status, filled, remaining, avgFillPrice]. */
export function statuses(c: TestClient, orderId: number): Array<{ status: string; filled: number; remaining: number; avgFillPrice: number }> {
  return c
    .of(EventName.orderStatus)
    .filter((a) => a[0] === orderId)
    .map((a) => ({ status: a[1] as string, filled: a[2] as number, remaining: a[3] as number, avgFillPrice: a[4] as number }));
}
