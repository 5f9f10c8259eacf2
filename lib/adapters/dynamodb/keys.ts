import { tradingDayOf as calendarDayOf } from '../../core/calendar/nyse.js';
/**
 * The item layout of the single `state` table, per record kind (the table itself is in
 * lib/catalog/tables.ts). Records are stored as top-level attributes beside their keys, so
 * condition expressions can name record fields (`version`).
 *
 * | record            | pk                      | sk                    | gsi1pk                | gsi1sk                           |
 * | ----------------- | ----------------------- | --------------------- | --------------------- | -------------------------------- |
 * | trading state     | `TRADING_STATE`         | `CURRENT`             |                       |                                  |
 * | order             | `ORDER#<clientOrderId>` | `ORDER`               | `ORDERS#WORKING` while working, else `ORDERS#DAY#<day>` | `<day>#<createdAt>#<id>` |
 * | order (gsi2)      |                         |                       | gsi2pk `ORDERS#UPDATED#<day>` | gsi2sk `<updatedAt>#<id>` |
 * | order activity    | `ORDER_ACTIVITY#<day>#<symbol>` | `COUNTS`      |                       |                                  |
 * | broker-id lookup  | `BROKER_ORDER#<id>`     | `LOOKUP`              |                       |                                  |
 * | fill              | `FILL#<execId>`         | `FILL`                | `FILLS#DAY#<day>`     | `<executedAt>#<execId>`          |
 * | fill under order  | `ORDER#<clientOrderId>` | `FILL#<execId>`       |                       |                                  |
 * | position          | `POSITIONS`             | `<account>#<symbol>`  |                       |                                  |
 * | account summary   | `ACCOUNTS`              | `<account>`           |                       |                                  |
 * | quote             | `QUOTES`                | `<symbol>`            |                       |                                  |
 * | component health  | `HEALTH`                | `<component>`         |                       |                                  |
 * | audit entry       | `AUDIT`                 | `SEQ#<seq, 12 digits>`|                       |                                  |
 * | audit head        | `AUDIT`                 | `HEAD`                |                       |                                  |
 * | daily closes      | `PRICE_HISTORY#<symbol>`| `YEAR#<yyyy>`         |                       |                                  |
 * | idempotency (AWS) | `IDEMPOTENCY#<agent>`   | `<event id hash>`     |                       | (Powertools, lambdas/shared/idempotency.ts) |
 *
 * `<day>` is the trading day, `YYYY-MM-DD` in America/New_York. Working orders sit in one sparse
 * GSI partition (small: they are the open orders), so `listWorking` is one query and `listByDay`
 * is two (the day's finished orders plus the working ones of that day). Every order write also
 * moves the order's `gsi2sk` to its `updatedAt`, so "the day's orders written since t" is one key
 * range of `gsi2`, whatever the size of the day. The activity item holds, per strategy of that
 * day and symbol, the counts `orders#<strategyId>`, `cancels#<strategyId>`, `fills#<strategyId>`.
 */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;

export const Keys = {
  tradingState: () => ({ pk: 'TRADING_STATE', sk: 'CURRENT' }),
  order: (clientOrderId: string) => ({ pk: `ORDER#${clientOrderId}`, sk: 'ORDER' }),
  orderGsi: (working: boolean, day: string, createdAt: string, updatedAt: string, clientOrderId: string) => ({
    gsi1pk: working ? WORKING_ORDERS_GSI_PK : ordersOfDayGsiPk(day),
    gsi1sk: `${day}#${createdAt}#${clientOrderId}`,
    gsi2pk: ordersUpdatedOfDayGsiPk(day),
    gsi2sk: `${updatedAt}#${clientOrderId}`,
  }),
  orderActivity: (day: string, symbol: string) => ({ pk: `ORDER_ACTIVITY#${day}#${symbol}`, sk: 'COUNTS' }),
  brokerOrderLookup: (brokerOrderId: string) => ({ pk: `BROKER_ORDER#${brokerOrderId}`, sk: 'LOOKUP' }),
  fill: (execId: string) => ({ pk: `FILL#${execId}`, sk: 'FILL' }),
  fillGsi: (day: string, executedAt: string, execId: string) => ({ gsi1pk: `FILLS#DAY#${day}`, gsi1sk: `${executedAt}#${execId}` }),
  fillUnderOrder: (clientOrderId: string, execId: string) => ({ pk: `ORDER#${clientOrderId}`, sk: `FILL#${execId}` }),
  position: (account: string, symbol: string) => ({ pk: POSITIONS_PK, sk: `${account}#${symbol}` }),
  account: (account: string) => ({ pk: ACCOUNTS_PK, sk: account }),
  quote: (symbol: string) => ({ pk: QUOTES_PK, sk: symbol }),
  health: (component: string) => ({ pk: HEALTH_PK, sk: component }),
  auditEntry: (seq: number) => ({ pk: AUDIT_PK, sk: auditSeqSk(seq) }),
  auditHead: () => ({ pk: AUDIT_PK, sk: 'HEAD' }),
  /** One item per symbol and calendar year (≈ 252 closes, a few KB): a two-year VaR window is one query of 3 items. */
  priceHistoryYear: (symbol: string, year: string) => ({ pk: priceHistoryPk(symbol), sk: `${PRICE_HISTORY_YEAR_SK_PREFIX}${year}` }),
} as const;

export const WORKING_ORDERS_GSI_PK = 'ORDERS#WORKING';
export const ordersOfDayGsiPk = (day: string) => `ORDERS#DAY#${day}`;
export const ordersUpdatedOfDayGsiPk = (day: string) => `ORDERS#UPDATED#${day}`;
export const POSITIONS_PK = 'POSITIONS';
export const ACCOUNTS_PK = 'ACCOUNTS';
export const QUOTES_PK = 'QUOTES';
export const HEALTH_PK = 'HEALTH';
export const AUDIT_PK = 'AUDIT';
export const FILL_UNDER_ORDER_SK_PREFIX = 'FILL#';
export const priceHistoryPk = (symbol: string) => `PRICE_HISTORY#${symbol}`;
export const PRICE_HISTORY_YEAR_SK_PREFIX = 'YEAR#';
/** Zero-padded so lexical sort order is numeric order (12 digits: a trillion entries). */
export const auditSeqSk = (seq: number) => `SEQ#${String(seq).padStart(12, '0')}`;

/** The trading day (`YYYY-MM-DD`, America/New_York) of an ISO timestamp: the core calendar's rule. */
export function tradingDayOf(iso: string): string {
  return calendarDayOf(new Date(iso));
}

/** Removes the key attributes so the rest parses with the record's strict schema. */
export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  return rest;
}
