import type { AlertStatus, ComplianceAlert } from '../core/surveillance/alert.js';
import type { ObservationKind, SurveillanceObservation } from '../core/surveillance/observation.js';
import type { OrderToTradeCount, OrderToTradeField, OrderToTradeKey } from '../core/surveillance/order-to-trade.js';

/**
 * Compliance (MAR Art 16) alerts. Ids are deterministic from the evidence, so `createIfNew` is the
 * dedup point: the same pattern found again never makes a second alert.
 * @example
 * if (await alerts.createIfNew(alert)) await publisher.publish([raisedEvent]);
 */
export interface ComplianceAlertStore {
  /** Stores the alert (version 1) unless its id exists; false for a known id. */
  createIfNew(alert: ComplianceAlert): Promise<boolean>;
  get(alertId: string): Promise<ComplianceAlert | undefined>;
  /**
   * Writes `alert` with version + 1 iff the stored version equals `alert.version`.
   * @throws ConcurrencyError `SURVEILLANCE.VERSION_CONFLICT`; StoreError `STORE.NOT_FOUND` for an unknown id
   */
  update(alert: ComplianceAlert): Promise<ComplianceAlert>;
  /** Alerts, newest raised first; optionally of one status; at most `limit` (default all). */
  list(query?: { status?: AlertStatus | undefined; limit?: number | undefined }): Promise<ComplianceAlert[]>;
}

/**
 * The surveillance window: every order event and fill as an observation, read back by symbol, kind
 * and time so each detector reads only the observations its pattern needs; plus the order-to-trade
 * counters, so the ratio never needs the day read.
 * @example
 * await activity.recordIfNew(obs);
 * const fills = await activity.listRange(obs.symbol, from, to, 'FILL');
 * const count = await activity.countOnce({ strategyId, symbol, day }, 'orderMessages', obs.obsId);
 */
export interface SurveillanceActivityStore {
  /** Stores the observation; false if an observation with the same id and time exists. */
  recordIfNew(obs: SurveillanceObservation): Promise<boolean>;
  /** Observations of `symbol` with from ≤ at ≤ to (ISO), only of `kind` if given, in time order. */
  listRange(symbol: string, from: string, to: string, kind?: ObservationKind): Promise<SurveillanceObservation[]>;
  /**
   * Adds one to `field` of the counter `key` unless `obsId` was already counted there (so a
   * redelivered event, or one seen again under another time, counts once), and returns the counter.
   * Not atomic across its two writes where the store has no transactions: see the adapter.
   */
  countOnce(key: OrderToTradeKey, field: OrderToTradeField, obsId: string): Promise<OrderToTradeCount>;
}

export const ComplianceStoreErrorCode = { VERSION_CONFLICT: 'SURVEILLANCE.VERSION_CONFLICT' } as const;
