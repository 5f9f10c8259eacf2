import { ExecutionRecordSchema, recordStartedAt, type ExecutionRecord } from '../../core/execution/record.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import type { ExecutionRecordStore } from '../../ports/execution.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys, tradingDayOf } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of the execution agent's records in the `state` table:
 *
 * | record           | pk                          | sk          | gsi1pk                   | gsi1sk                        |
 * | ---------------- | --------------------------- | ----------- | ------------------------ | ----------------------------- |
 * | execution record | `EXECUTION#<clientOrderId>` | `EXECUTION` | `EXECUTIONS#DAY#<day>`   | `<startedAt>#<clientOrderId>` |
 *
 * `<day>` is the trading day (America/New_York) of `recordStartedAt`; a record with no timed
 * fact yet (only a commission) is filed under `UNDATED`. The whole item is rewritten on every
 * change, so the index follows the record when an earlier fact arrives late.
 */
export const ExecutionKeys = {
  record: (clientOrderId: string) => ({ pk: `EXECUTION#${clientOrderId}`, sk: 'EXECUTION' }),
  recordGsi: (day: string, startedAt: string, clientOrderId: string) => ({ gsi1pk: executionsOfDayGsiPk(day), gsi1sk: `${startedAt}#${clientOrderId}` }),
} as const;
export const executionsOfDayGsiPk = (day: string) => `EXECUTIONS#DAY#${day}`;

/**
 * Execution records in DynamoDB with optimistic concurrency on `version`.
 * @example
 * const stored = await records.put(next); // ConcurrencyError EXECUTION.VERSION_CONFLICT on a lost race
 */
export class DynamoDbExecutionRecordStore implements ExecutionRecordStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async get(id: ClientOrderId): Promise<ExecutionRecord | undefined> {
    return this.table.getRecord(ExecutionKeys.record(id), ExecutionRecordSchema, `execution record ${id}`);
  }

  async put(record: ExecutionRecord): Promise<ExecutionRecord> {
    const next = ExecutionRecordSchema.parse({ ...record, version: record.version + 1 });
    const startedAt = recordStartedAt(next);
    const item = { ...ExecutionKeys.record(next.clientOrderId), ...ExecutionKeys.recordGsi(startedAt === undefined ? 'UNDATED' : tradingDayOf(startedAt), startedAt ?? 'UNDATED', next.clientOrderId), ...next };
    const condition = record.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': record.version } };
    if (await this.table.put(item, condition)) return next;
    throw new ConcurrencyError('EXECUTION.VERSION_CONFLICT', `execution record ${record.clientOrderId} is not at version ${record.version}`, { details: { clientOrderId: record.clientOrderId, expectedVersion: record.version } });
  }

  async listByDay(day: string): Promise<ExecutionRecord[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': executionsOfDayGsiPk(day) } });
    return items.map((i) => parseRecord(ExecutionRecordSchema, stripKeys(i), `execution record ${String(i['pk'])}`));
  }
}
