/**
 * A typed client of ib-sim's admin HTTP API (admin.ts): what tests, benchmarks and the local
 * runtime use to inspect the simulator and inject faults when it runs in its own process.
 *
 * @example
 * const admin = new IbSimAdminClient('http://127.0.0.1:4003');
 * await admin.faults.delayFills(60_000);
 * (await admin.openOrders()).length;
 */
import { ADMIN_PATHS as P } from './admin.js';
import type { OrderLogEntry } from './broker.js';
import type { EmittableCode } from './faults.js';
import type { IbSimSnapshot } from './server.js';

export class IbSimAdminError extends Error {
  readonly code = 'IB_SIM.ADMIN_FAILED';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'IbSimAdminError';
  }
}

export interface IbSimAdminFaults {
  dropConnections(): Promise<number>;
  emit(code: EmittableCode, message?: string): Promise<number>;
  refuse(seconds: number): Promise<void>;
  silent(seconds: number): Promise<void>;
  rejectNext(reason?: string): Promise<void>;
  delayFills(ms: number): Promise<void>;
  ignoreGlobalCancels(times: number): Promise<void>;
  placeExternal(order: { symbol: string; side: 'BUY' | 'SELL'; quantity: number; limitPrice?: string }): Promise<{ orderId: number; permId: number }>;
  clear(): Promise<void>;
}

export class IbSimAdminClient {
  readonly faults: IbSimAdminFaults;

  constructor(readonly url: string) {
    this.faults = {
      dropConnections: async () => (await this.call<{ dropped: number }>('POST', P.dropConnections)).dropped,
      emit: async (code, message) => (await this.call<{ reached: number }>('POST', P.emit, message === undefined ? { code } : { code, message })).reached,
      refuse: async (seconds) => void (await this.call('POST', P.refuse, { seconds })),
      silent: async (seconds) => void (await this.call('POST', P.silent, { seconds })),
      rejectNext: async (reason) => void (await this.call('POST', P.rejectNext, reason === undefined ? {} : { reason })),
      delayFills: async (ms) => void (await this.call('POST', P.delayFills, { ms })),
      ignoreGlobalCancels: async (times) => void (await this.call('POST', P.ignoreGlobalCancel, { times })),
      placeExternal: (order) => this.call('POST', P.externalOrder, order),
      clear: async () => void (await this.call('POST', P.clear, {})),
    };
  }

  health(): Promise<{ status: string; sessions: number; listening: boolean }> {
    return this.call('GET', P.health);
  }

  /** The whole broker state (every execution of the run: grows with it). */
  snapshot(): Promise<IbSimSnapshot> {
    return this.call('GET', P.state);
  }

  /** Only the working orders: cheap to poll. */
  async openOrders(): Promise<IbSimSnapshot['openOrders']> {
    return (await this.call<{ openOrders: IbSimSnapshot['openOrders'] }>('GET', P.openOrders)).openOrders;
  }

  async orderLog(): Promise<OrderLogEntry[]> {
    return (await this.call<{ entries: OrderLogEntry[] }>('GET', P.ordersLog)).entries;
  }

  async setMid(symbol: string, price: string): Promise<void> {
    await this.call('POST', P.setMid, { symbol, price });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new IbSimAdminError(res.status, `ib-sim admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
