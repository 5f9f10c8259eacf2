/**
 * Fault injection, modelled on what IB Gateway operators meet (tws-protocol.md §7).
 * The same controls back `handle.faults` and the admin HTTP API.
 */

/** System codes the simulator can broadcast (ERR_MSG id −1, arriving as `info`). */
export const EMITTABLE_CODES = [1100, 1101, 1102, 2103, 2104, 2105, 2106, 2110, 1300] as const;
export type EmittableCode = (typeof EMITTABLE_CODES)[number];

export const DEFAULT_MESSAGES: Record<EmittableCode, string> = {
  1100: 'Connectivity between IB and Trader Workstation has been lost.',
  1101: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  1102: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  2103: 'Market data farm connection is broken:usfarm',
  2104: 'Market data farm connection is OK:usfarm',
  2105: 'HMDS data farm connection is broken:ushmds',
  2106: 'HMDS data farm connection is OK:ushmds',
  2110: 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.',
  1300: 'TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port',
};

export interface FaultControls {
  /** Closes every client socket (FIN), as a gateway restart does. Returns how many were open. */
  dropConnections(): number;
  /**
   * Sends a system message to every started client. 1101 also drops each session's market-data
   * and account subscriptions (IB "data lost"); 1300 closes the sockets after sending.
   * Returns how many clients it reached.
   */
  emit(code: EmittableCode, message?: string): number;
  /** Daily restart: drop clients, close the listener, reopen on the same port after `seconds`. */
  refuse(seconds: number): Promise<void>;
  /** Frozen gateway: sockets stay open, requests are ignored and the market stops for `seconds`. */
  silent(seconds: number): void;
  /** The next placeOrder gets ERR 201 with this reason. */
  rejectNext(reason?: string): void;
  /** Orders placed from now on fill no earlier than `ms` after placement (0 turns it off). */
  delayFills(ms: number): void;
  /**
   * An order placed outside TradeOps (as TWS, client id 0, would): reconciliation must adopt it as
   * EXTERNAL. Returns its ids or the broker's refusal.
   */
  placeExternal(order: { symbol: string; side: 'BUY' | 'SELL'; quantity: number; limitPrice?: string }): { orderId: number; permId: number } | { error: string };
  /** The next `times` reqGlobalCancel are logged but cancel nothing (a cancel lost in the gateway): the kill switch must verify and retry. */
  ignoreGlobalCancels(times: number): void;
  /** Ends every active fault now (reopens a refusing listener, releases held fills). */
  clear(): Promise<void>;
}
