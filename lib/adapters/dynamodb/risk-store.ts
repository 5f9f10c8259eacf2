import { RiskAlertStateSchema, RiskSnapshotSchema, StartOfDaySchema, type RiskAlertState, type RiskSnapshot, type RiskStore, type StartOfDay } from '../../ports/risk.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of the risk agent's state in the `state` table (one partition: a handful of items):
 *
 * | record            | pk     | sk              |
 * | ----------------- | ------ | --------------- |
 * | latest snapshot   | `RISK` | `SNAPSHOT`      |
 * | start-of-day P&L  | `RISK` | `SOD#<day>`     |  (`<day>`: New York trading day, first writer wins)
 * | alert             | `RISK` | `ALERT#<name>`  |  (active while `resetAt` is absent)
 *
 * Raise-once and reset-once are conditional writes, so concurrent risk cycles (a fill-triggered one
 * racing the schedule, two Lambdas) never notify twice.
 */
export const RiskKeys = {
  snapshot: () => ({ pk: RISK_PK, sk: 'SNAPSHOT' }),
  startOfDay: (day: string) => ({ pk: RISK_PK, sk: `SOD#${day}` }),
  alert: (name: string) => ({ pk: RISK_PK, sk: `${ALERT_SK_PREFIX}${name}` }),
} as const;
export const RISK_PK = 'RISK';
const ALERT_SK_PREFIX = 'ALERT#';

export class DynamoDbRiskStore implements RiskStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async putSnapshot(snapshot: RiskSnapshot): Promise<void> {
    await this.table.put({ ...RiskKeys.snapshot(), ...RiskSnapshotSchema.parse(snapshot) });
  }

  async getSnapshot(): Promise<RiskSnapshot | undefined> {
    return this.table.getRecord(RiskKeys.snapshot(), RiskSnapshotSchema, 'risk snapshot');
  }

  async putStartOfDayIfAbsent(sod: StartOfDay): Promise<StartOfDay> {
    const key = RiskKeys.startOfDay(sod.day);
    if (await this.table.put({ ...key, ...StartOfDaySchema.parse(sod) }, { ConditionExpression: 'attribute_not_exists(pk)' })) return sod;
    const item = await this.table.get(key);
    return parseRecord(StartOfDaySchema, stripKeys(item ?? {}), `start of day ${sod.day}`);
  }

  async getAlert(name: string): Promise<RiskAlertState | undefined> {
    return this.table.getRecord(RiskKeys.alert(name), RiskAlertStateSchema, `risk alert ${name}`);
  }

  async listAlerts(): Promise<RiskAlertState[]> {
    const items = await this.table.query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': RISK_PK, ':prefix': ALERT_SK_PREFIX }, ConsistentRead: true });
    return items.map((i) => parseRecord(RiskAlertStateSchema, stripKeys(i), `risk alert ${String(i['sk'])}`));
  }

  async raiseIfInactive(alert: RiskAlertState): Promise<boolean> {
    const item = { ...RiskKeys.alert(alert.name), ...RiskAlertStateSchema.parse(alert) };
    return this.table.put(item, { ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(resetAt)' });
  }

  async reset(name: string, r: { resetAt: string; resetBy: string; resetReason: string; forced: boolean; holdUntilClear: boolean }): Promise<RiskAlertState | undefined> {
    const updated = await this.table.update({
      Key: RiskKeys.alert(name),
      UpdateExpression: 'SET resetAt = :at, resetBy = :by, resetReason = :why, forced = :forced, holdUntilClear = :hold',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(resetAt)',
      ExpressionAttributeValues: { ':at': r.resetAt, ':by': r.resetBy, ':why': r.resetReason, ':forced': r.forced, ':hold': r.holdUntilClear },
    });
    return updated === false ? undefined : parseRecord(RiskAlertStateSchema, stripKeys(updated), `risk alert ${name}`);
  }

  async rearm(name: string): Promise<void> {
    await this.table.update({ Key: RiskKeys.alert(name), UpdateExpression: 'SET holdUntilClear = :no', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':no': false } });
  }
}
