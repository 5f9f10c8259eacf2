import { ConcurrencyError } from '../../core/shared/errors.js';
import { ComplianceAlertSchema, type AlertStatus, type ComplianceAlert } from '../../core/surveillance/alert.js';
import { SurveillanceObservationSchema, type SurveillanceObservation } from '../../core/surveillance/observation.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode, parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of the surveillance records in the `state` table (beside keys.ts's table of the rest):
 *
 * | record              | pk                                  | sk                  | gsi1pk                         | gsi1sk                | expiresAt           |
 * | ------------------- | ----------------------------------- | ------------------- | ------------------------------ | --------------------- | ------------------- |
 * | compliance alert    | `COMPLIANCE_ALERT#<alertId>`        | `ALERT`             | `COMPLIANCE_ALERTS#<status>`   | `<raisedAt>#<alertId>`|                     |
 * | surveillance obs.   | `SURVEILLANCE#<symbol>#<UTC day>`   | `<at>#<obsId>`      |                                |                       | at + 8 days (epoch s)|
 *
 * Alerts sit in one GSI partition per status, newest last by sort key, so "new alerts" and the
 * compliance status are a query each. Observations are partitioned by symbol and UTC day so the
 * detectors' window (± minutes around an event) is one or two range queries; they expire after
 * 8 days (the window needs minutes, the order-to-trade ratio one trading day; alerts keep their
 * evidence for good).
 */
export const SurveillanceKeys = {
  alert: (alertId: string) => ({ pk: `COMPLIANCE_ALERT#${alertId}`, sk: 'ALERT' }),
  alertGsi: (status: AlertStatus, raisedAt: string, alertId: string) => ({ gsi1pk: alertsByStatusGsiPk(status), gsi1sk: `${raisedAt}#${alertId}` }),
  observation: (symbol: string, at: string, obsId: string) => ({ pk: observationPk(symbol, at.slice(0, 10)), sk: `${at}#${obsId}` }),
} as const;
export const alertsByStatusGsiPk = (status: AlertStatus) => `COMPLIANCE_ALERTS#${status}`;
export const observationPk = (symbol: string, utcDay: string) => `SURVEILLANCE#${symbol}#${utcDay}`;
const ALERT_STATUSES: readonly AlertStatus[] = ['new', 'under_review', 'escalated', 'closed'];
const OBSERVATION_TTL_S = 8 * 24 * 60 * 60;

/**
 * Compliance alerts in DynamoDB; `createIfNew` is a conditional put on the deterministic id.
 * @example
 * const alerts = new DynamoDbComplianceAlertStore(tableRef);
 * if (await alerts.createIfNew(alert)) notify(alert);
 */
export class DynamoDbComplianceAlertStore implements ComplianceAlertStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async createIfNew(alert: ComplianceAlert): Promise<boolean> {
    const record = ComplianceAlertSchema.parse({ ...alert, version: 1 });
    return this.table.put(this.item(record), { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(alertId: string): Promise<ComplianceAlert | undefined> {
    const item = await this.table.get(SurveillanceKeys.alert(alertId));
    return item === undefined ? undefined : this.parse(item);
  }

  async update(alert: ComplianceAlert): Promise<ComplianceAlert> {
    const record = ComplianceAlertSchema.parse({ ...alert, version: alert.version + 1 });
    const ok = await this.table.put(this.item(record), { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': alert.version } });
    if (ok) return record;
    const current = await this.table.get(SurveillanceKeys.alert(alert.alertId));
    if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `compliance alert ${alert.alertId} does not exist`, { details: { alertId: alert.alertId } });
    throw new ConcurrencyError('SURVEILLANCE.VERSION_CONFLICT', `compliance alert ${alert.alertId} is not at version ${alert.version}`, { details: { alertId: alert.alertId, expectedVersion: alert.version, actualVersion: current['version'] } });
  }

  async list(query: { status?: AlertStatus | undefined; limit?: number | undefined } = {}): Promise<ComplianceAlert[]> {
    const statuses = query.status === undefined ? ALERT_STATUSES : [query.status];
    const limit = query.limit ?? Infinity;
    const pages = await Promise.all(statuses.map((s) => this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': alertsByStatusGsiPk(s) }, ScanIndexForward: false }, limit)));
    return pages.flat().map((i) => this.parse(i))
      .sort((a, b) => (a.raisedAt !== b.raisedAt ? (a.raisedAt < b.raisedAt ? 1 : -1) : a.alertId < b.alertId ? 1 : -1))
      .slice(0, limit);
  }

  private item(a: ComplianceAlert): Record<string, unknown> {
    return { ...SurveillanceKeys.alert(a.alertId), ...SurveillanceKeys.alertGsi(a.status, a.raisedAt, a.alertId), ...a };
  }

  private parse(item: Record<string, unknown>): ComplianceAlert {
    return parseRecord(ComplianceAlertSchema, stripKeys(item), `compliance alert ${String(item['pk'])}`);
  }
}

/**
 * The surveillance window in DynamoDB: observations by symbol and time.
 * @example
 * await activity.recordIfNew(obs); const around = await activity.listRange('AAPL', from, to);
 */
export class DynamoDbSurveillanceActivityStore implements SurveillanceActivityStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async recordIfNew(obs: SurveillanceObservation): Promise<boolean> {
    const record = SurveillanceObservationSchema.parse(obs);
    const expiresAt = Math.floor(Date.parse(record.at) / 1000) + OBSERVATION_TTL_S;
    return this.table.put({ ...SurveillanceKeys.observation(record.symbol, record.at, record.obsId), ...record, expiresAt }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async listRange(symbol: string, from: string, to: string): Promise<SurveillanceObservation[]> {
    const days = utcDaysBetween(from, to);
    const pages = await Promise.all(days.map((d) => this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': observationPk(symbol, d), ':from': from, ':to': `${to}#\uffff` },
    })));
    return pages.flat().map((item) => {
      const rest = stripKeys(item);
      delete rest['expiresAt'];
      return parseRecord(SurveillanceObservationSchema, rest, `surveillance observation ${String(item['pk'])}/${String(item['sk'])}`);
    });
  }
}

/** The UTC days (YYYY-MM-DD) from `from` to `to`, inclusive. @internal */
export function utcDaysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = to.slice(0, 10);
  for (let t = Date.parse(`${from.slice(0, 10)}T00:00:00.000Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d > end) break;
    days.push(d);
  }
  return days;
}
