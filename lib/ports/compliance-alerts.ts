import type { AlertStatus, ComplianceAlert } from '../core/surveillance/alert.js';
import type { SurveillanceObservation } from '../core/surveillance/observation.js';

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
 * The surveillance window: every order event and fill as an observation, queried by symbol and
 * time so the detectors see what happened around each new event.
 * @example
 * await activity.recordIfNew(obs);
 * const around = await activity.listRange(obs.symbol, from, to);
 */
export interface SurveillanceActivityStore {
  /** Stores the observation; false if an observation with the same id and time exists. */
  recordIfNew(obs: SurveillanceObservation): Promise<boolean>;
  /** Observations of `symbol` with from ≤ at ≤ to (ISO), in time order. */
  listRange(symbol: string, from: string, to: string): Promise<SurveillanceObservation[]>;
}

export const ComplianceStoreErrorCode = { VERSION_CONFLICT: 'SURVEILLANCE.VERSION_CONFLICT' } as const;
