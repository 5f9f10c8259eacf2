import { z } from 'zod';
import { ConcurrencyError } from '../../core/shared/errors.js';
import { ComplianceAlertSchema, type AlertStatus, type ComplianceAlert } from '../../core/surveillance/alert.js';
import { ObservationKind, SurveillanceObservationSchema, type SurveillanceObservation } from '../../core/surveillance/observation.js';
import type { OrderToTradeCount, OrderToTradeField, OrderToTradeKey } from '../../core/surveillance/order-to-trade.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of the surveillance records in the `state` table (beside keys.ts's table of the rest):
 *
 * | record              | pk                                          | sk                       | gsi1pk                         | gsi1sk                | expiresAt            |
 * | ------------------- | ------------------------------------------- | ------------------------ | ------------------------------ | --------------------- | -------------------- |
 * | compliance alert    | `COMPLIANCE_ALERT#<alertId>`                | `ALERT`                  | `COMPLIANCE_ALERTS#<status>`   | `<raisedAt>#<alertId>`|                      |
 * | surveillance obs.   | `SURVEILLANCE#<symbol>#<UTC day>#<kind>`    | `<at>#<obsId>`           |                                |                       | at + 8 days (epoch s)|
 * | order-to-trade count| `SURVEILLANCE_OTR#<symbol>#<trading day>`   | `COUNT#<strategyId>`     |                                |                       | day + 8 days         |
 * | …obs. counted       | `SURVEILLANCE_OTR#<symbol>#<trading day>`   | `SEEN#<strategyId>#<obsId>` |                             |                       | day + 8 days         |
 *
 * Alerts sit in one GSI partition per status, newest last by sort key, so "new alerts" and the
 * compliance status are a query each. Observations are partitioned by symbol, UTC day and kind, so
 * a detector's read (e.g. the fills within a minute of a fill) is one or two range queries that
 * return that kind only, never every order placed around it. The order-to-trade ratio reads one
 * counter item instead of the day. All expire after 8 days (the detectors need minutes, the ratio
 * one trading day; alerts keep their evidence for good).
 */
export const SurveillanceKeys = {
  alert: (alertId: string) => ({ pk: `COMPLIANCE_ALERT#${alertId}`, sk: 'ALERT' }),
  alertGsi: (status: AlertStatus, raisedAt: string, alertId: string) => ({ gsi1pk: alertsByStatusGsiPk(status), gsi1sk: `${raisedAt}#${alertId}` }),
  observation: (symbol: string, kind: ObservationKind, at: string, obsId: string) => ({ pk: observationPk(symbol, at.slice(0, 10), kind), sk: `${at}#${obsId}` }),
  orderToTradeCount: (k: OrderToTradeKey) => ({ pk: orderToTradePk(k), sk: `COUNT#${k.strategyId}` }),
  orderToTradeCounted: (k: OrderToTradeKey, obsId: string) => ({ pk: orderToTradePk(k), sk: `SEEN#${k.strategyId}#${obsId}` }),
} as const;
export const alertsByStatusGsiPk = (status: AlertStatus) => `COMPLIANCE_ALERTS#${status}`;
export const observationPk = (symbol: string, utcDay: string, kind: ObservationKind) => `SURVEILLANCE#${symbol}#${utcDay}#${kind}`;
const orderToTradePk = (k: OrderToTradeKey) => `SURVEILLANCE_OTR#${k.symbol}#${k.day}`;
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
 * The surveillance window in DynamoDB: observations by symbol, kind and time, and the
 * order-to-trade counters.
 * @example
 * await activity.recordIfNew(obs); const fills = await activity.listRange('AAPL', from, to, 'FILL');
 */
export class DynamoDbSurveillanceActivityStore implements SurveillanceActivityStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async recordIfNew(obs: SurveillanceObservation): Promise<boolean> {
    const record = SurveillanceObservationSchema.parse(obs);
    const expiresAt = Math.floor(Date.parse(record.at) / 1000) + OBSERVATION_TTL_S;
    return this.table.put({ ...SurveillanceKeys.observation(record.symbol, record.kind, record.at, record.obsId), ...record, expiresAt }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async listRange(symbol: string, from: string, to: string, kind?: ObservationKind): Promise<SurveillanceObservation[]> {
    const kinds = kind === undefined ? Object.values(ObservationKind) : [kind];
    const partitions = utcDaysBetween(from, to).flatMap((d) => kinds.map((k) => observationPk(symbol, d, k)));
    const pages = await Promise.all(partitions.map((pk) => this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${to}#\uffff` },
    })));
    return pages.flat()
      .sort((a, b) => (String(a['sk']) < String(b['sk']) ? -1 : 1))
      .map((item) => {
        const rest = stripKeys(item);
        delete rest['expiresAt'];
        return parseRecord(SurveillanceObservationSchema, rest, `surveillance observation ${String(item['pk'])}/${String(item['sk'])}`);
      });
  }

  /**
   * Exactly-once per obsId needs the marker and the count written together, and dynalite (the local
   * stand-in) has no transactions; so the marker is a conditional put and only its winner ADDs to
   * the counter (atomic, so concurrent deliveries of different observations never lose a count).
   * Residual risk, accepted: a crash between the two writes leaves the observation marked but
   * uncounted, so the redelivery does not count it either: an undercount of one for that strategy,
   * symbol and day (one order message fewer: the ratio trips one message late; or one fill fewer:
   * it reads slightly high). A transaction (TransactWriteItems) would close it at twice the write
   * cost, once the local stand-in supports it.
   */
  async countOnce(key: OrderToTradeKey, field: OrderToTradeField, obsId: string): Promise<OrderToTradeCount> {
    const expiresAt = Math.floor(Date.parse(`${key.day}T00:00:00.000Z`) / 1000) + OBSERVATION_TTL_S;
    const counter = SurveillanceKeys.orderToTradeCount(key);
    const isNew = await this.table.put({ ...SurveillanceKeys.orderToTradeCounted(key, obsId), expiresAt }, { ConditionExpression: 'attribute_not_exists(pk)' });
    const item = isNew
      ? await this.table.update({ Key: counter, UpdateExpression: 'ADD #field :one SET expiresAt = :expiresAt', ExpressionAttributeNames: { '#field': field }, ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt } })
      : await this.table.get(counter);
    const raw = item === false || item === undefined ? {} : item;
    return parseRecord(OrderToTradeCountSchema, { orderMessages: raw['orderMessages'] ?? 0, fills: raw['fills'] ?? 0 }, `order-to-trade counter ${counter.pk}/${counter.sk}`);
  }
}

const OrderToTradeCountSchema = z.strictObject({ orderMessages: z.number().int().nonnegative(), fills: z.number().int().nonnegative() });

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
