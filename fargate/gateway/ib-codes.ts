/**
 * IB message codes grouped by what the bridge does with them (Nautilus
 * `adapters/interactive_brokers/client/error.py`). Codes arrive as ERR_MSG; with id −1 the client
 * raises `info`, otherwise `error` (tws-protocol.md §4.15, §7.2).
 *
 * @example
 * if (CONNECTIVITY_LOST_CODES.has(code)) supervisor.onConnectivityLost(code);
 */

/** IB ↔ gateway connectivity lost; the API socket stays open (1100, 2110). We hold orders, do not close. */
export const CONNECTIVITY_LOST_CODES: ReadonlySet<number> = new Set([1100, 2110]);

/**
 * The session is over: 1300 (API socket port reset, the gateway drops us) and 326 (client id in use —
 * the gateway has not released our previous session). We close and reconnect.
 */
export const SESSION_ENDED_CODES: ReadonlySet<number> = new Set([326, 1300]);

/** 326 asks for a longer wait before the next attempt, or we would loop on it. */
export const CLIENT_ID_IN_USE = 326;

/** 1101 restored but data lost (re-request every subscription); 1102 restored, data maintained. */
export const CONNECTIVITY_RESTORED_DATA_LOST = 1101;
export const CONNECTIVITY_RESTORED_DATA_MAINTAINED = 1102;
export const CONNECTIVITY_RESTORED_CODES: ReadonlySet<number> = new Set([CONNECTIVITY_RESTORED_DATA_LOST, CONNECTIVITY_RESTORED_DATA_MAINTAINED]);

/** Data farm broken, by farm kind: market data (2103), historical (2105), security definitions (2157). */
export const FARM_DOWN: ReadonlyMap<number, FarmKind> = new Map([
  [2103, 'marketData'],
  [2105, 'historical'],
  [2157, 'secDef'],
]);
/** Data farm OK or inactive-but-available (2107/2108 are not outages). */
export const FARM_OK: ReadonlyMap<number, FarmKind> = new Map([
  [2104, 'marketData'],
  [2106, 'historical'],
  [2158, 'secDef'],
  [2107, 'historical'],
  [2108, 'marketData'],
]);
export type FarmKind = 'marketData' | 'historical' | 'secDef';

/** The broker refused an order (id = our broker order id). 202 is a cancel confirmation, not a reject. */
export const ORDER_REJECT_CODES: ReadonlySet<number> = new Set([103, 104, 105, 106, 107, 109, 110, 111, 113, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 129, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 146, 147, 148, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 163, 200, 201, 203, 321]);
export const ORDER_CANCELLED = 202;
/** A cancel request that could not be honoured: order not found (10147) or not cancellable (10148, 161). */
export const CANCEL_REJECT_CODES: ReadonlySet<number> = new Set([161, 10147, 10148]);

/** Warnings that carry no action: order warnings and delayed/partial market data (non-fatal per errorCode.js). */
export const INFORMATIONAL_CODES: ReadonlySet<number> = new Set([0, 399, 492, 2100, 2101, 2102, 2109, 2119, 2137, 2150, 2168, 2169, 10090, 10167]);

/** Pacing: 100 = max message rate exceeded (IB may disconnect us next). */
export const PACING_VIOLATION = 100;

/** Raised by the client itself, never sent by IB (tws-protocol.md §5). */
export const CLIENT_CODES = { CONNECT_FAIL: 502, NOT_CONNECTED: 504, DECODE_ERROR: 505, UNSUPPORTED_VERSION: 506 } as const;

/** Market-data subscription errors (ticker id): the subscription is dead until re-requested. */
export const MARKET_DATA_DEAD_CODES: ReadonlySet<number> = new Set([354, 10182, 10197, 10168]);

/** How the bridge classifies a code, in precedence order. */
export type CodeClass = 'connectivityLost' | 'sessionEnded' | 'restored' | 'farmDown' | 'farmOk' | 'orderReject' | 'orderCancelled' | 'cancelReject' | 'marketDataDead' | 'pacing' | 'informational' | 'other';

/**
 * @example
 * classifyCode(1100) // 'connectivityLost'
 */
export function classifyCode(code: number): CodeClass {
  if (CONNECTIVITY_LOST_CODES.has(code)) return 'connectivityLost';
  if (SESSION_ENDED_CODES.has(code)) return 'sessionEnded';
  if (CONNECTIVITY_RESTORED_CODES.has(code)) return 'restored';
  if (FARM_DOWN.has(code)) return 'farmDown';
  if (FARM_OK.has(code)) return 'farmOk';
  if (code === ORDER_CANCELLED) return 'orderCancelled';
  if (CANCEL_REJECT_CODES.has(code)) return 'cancelReject';
  if (ORDER_REJECT_CODES.has(code)) return 'orderReject';
  if (MARKET_DATA_DEAD_CODES.has(code)) return 'marketDataDead';
  if (code === PACING_VIOLATION) return 'pacing';
  if (INFORMATIONAL_CODES.has(code)) return 'informational';
  return 'other';
}
