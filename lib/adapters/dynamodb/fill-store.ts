import { FillSchema, type Fill } from '../../core/fills/fill.js';
import type { ClientOrderId, ExecId } from '../../core/shared/ids.js';
import type { FillStore } from '../../ports/stores.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { parseRecord } from './errors.js';
import { FILL_UNDER_ORDER_SK_PREFIX, Keys, stripKeys, tradingDayOf } from './keys.js';
import { Table } from './table.js';

/**
 * Fills keyed by execId (the dedup key: fills arrive at least once). A copy under the order's
 * partition serves `listByOrder`; it is written after the fill and rewritten on every duplicate,
 * so a crash between the two writes is repaired by the redelivery.
 * @example
 * if (await fills.recordIfNew(fill)) { ...update the position... }
 */
export class DynamoDbFillStore implements FillStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async recordIfNew(fill: Fill): Promise<boolean> {
    const record = FillSchema.parse(fill);
    const isNew = await this.table.put({ ...Keys.fill(record.execId), ...Keys.fillGsi(tradingDayOf(record.executedAt), record.executedAt, record.execId), ...record }, { ConditionExpression: 'attribute_not_exists(pk)' });
    if (record.clientOrderId !== undefined) {
      // On a duplicate, copy the stored fill (it may already carry its commission), not the redelivered one.
      const stored = isNew ? record : ((await this.get(record.execId)) ?? record);
      await this.table.put({ ...Keys.fillUnderOrder(record.clientOrderId, record.execId), ...stored });
    }
    return isNew;
  }

  async setCommission(execId: ExecId, commission: string): Promise<void> {
    const updated = await this.table.update({
      Key: Keys.fill(execId),
      UpdateExpression: 'SET commission = :c',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':c': commission },
    });
    if (updated === false) throw new StoreError(StoreErrorCode.NOT_FOUND, `fill ${execId} does not exist`, { details: { execId } });
    const fill = this.parse(updated);
    if (fill.clientOrderId !== undefined) await this.table.put({ ...Keys.fillUnderOrder(fill.clientOrderId, execId), ...fill });
  }

  async get(execId: ExecId): Promise<Fill | undefined> {
    const item = await this.table.get(Keys.fill(execId));
    return item === undefined ? undefined : this.parse(item);
  }

  async listByDay(day: string): Promise<Fill[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `FILLS#DAY#${day}` } });
    return items.map((i) => this.parse(i));
  }

  async listByOrder(id: ClientOrderId): Promise<Fill[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.order(id).pk, ':prefix': FILL_UNDER_ORDER_SK_PREFIX },
      ConsistentRead: true,
    });
    return items.map((i) => this.parse(i)).sort((a, b) => (a.executedAt < b.executedAt ? -1 : a.executedAt > b.executedAt ? 1 : 0));
  }

  private parse(item: Record<string, unknown>): Fill {
    return parseRecord(FillSchema, stripKeys(item), `fill ${String(item['pk'])}/${String(item['sk'])}`);
  }
}
