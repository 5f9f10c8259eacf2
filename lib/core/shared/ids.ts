import { z } from 'zod';

/**
 * Branded identifiers: a `ClientOrderId` cannot be passed where a `BrokerOrderId` is expected.
 * Parse at the edge with the schema; inside the core the brand is trusted.
 * @example
 * const id = ClientOrderIdSchema.parse('CO-20261126-000001');
 */
export const ClientOrderIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only').brand<'ClientOrderId'>();
export type ClientOrderId = z.infer<typeof ClientOrderIdSchema>;

/** IB's numeric order id, scoped to a broker client id; stored as a string. */
export const BrokerOrderIdSchema = z.string().regex(/^-?\d+$/).brand<'BrokerOrderId'>();
export type BrokerOrderId = z.infer<typeof BrokerOrderIdSchema>;

/** IB execution id, e.g. `0000e0d5.00000001.01.01` — the fill's identity for deduplication. */
export const ExecIdSchema = z.string().min(1).max(128).brand<'ExecId'>();
export type ExecId = z.infer<typeof ExecIdSchema>;

export const EventIdSchema = z.string().min(1).max(128).brand<'EventId'>();
export type EventId = z.infer<typeof EventIdSchema>;

/** Follows an order from signal to fill, through every log line and event. */
export const CorrelationIdSchema = z.string().min(1).max(128).brand<'CorrelationId'>();
export type CorrelationId = z.infer<typeof CorrelationIdSchema>;

/** Ticker symbol of an instrument in the configured universe, e.g. `AAPL`. */
export const SymbolSchema = z.string().min(1).max(32).regex(/^[A-Z0-9.\-/ ]+$/, 'upper-case ticker').brand<'Symbol'>();
export type Symbol = z.infer<typeof SymbolSchema>;

/** Broker account code, e.g. `DU1234567` (paper) or `U1234567` (live). */
export const AccountIdSchema = z.string().min(1).max(32).brand<'AccountId'>();
export type AccountId = z.infer<typeof AccountIdSchema>;

/** ISO-8601 UTC timestamp with milliseconds, as written by `Clock.now().toISOString()`. */
export const IsoTimestampSchema = z.iso.datetime({ offset: false });
export type IsoTimestamp = z.infer<typeof IsoTimestampSchema>;
