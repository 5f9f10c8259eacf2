import { ConcurrencyError } from '../../core/shared/errors.js';
import { SystemPhaseRecordSchema, type SystemPhaseChange, type SystemPhaseRecord } from '../../core/lifecycle/phase.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';
import type { DynamoTableRef } from './client.js';
import { Table } from './table.js';

/** `SYSTEM_PHASE` / `CURRENT`: the lifecycle record (beside `TRADING_STATE` / `CURRENT`; kept here so keys.ts stays untouched by the lifecycle). */
export const SYSTEM_PHASE_KEY = { pk: 'SYSTEM_PHASE', sk: 'CURRENT' } as const;

/**
 * The lifecycle record in the state table; every change a conditional write on `version`.
 * @example
 * const store = new DynamoDbSystemPhaseStore({ doc, tableName });
 * await store.compareAndSet(-1, { phase: 'STARTING', since: now, by: 'jane', reason: 'morning startup' });
 */
export class DynamoDbSystemPhaseStore implements SystemPhaseStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async get(): Promise<SystemPhaseRecord | undefined> {
    return this.table.getRecord(SYSTEM_PHASE_KEY, SystemPhaseRecordSchema, 'system phase');
  }

  async compareAndSet(expectedVersion: number, next: SystemPhaseChange): Promise<SystemPhaseRecord> {
    const record = SystemPhaseRecordSchema.parse({ ...next, version: expectedVersion + 1 });
    const written = await this.table.put(
      { ...SYSTEM_PHASE_KEY, ...record },
      expectedVersion < 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } },
    );
    if (!written) throw new ConcurrencyError('STATE.VERSION_CONFLICT', `system phase is not at version ${expectedVersion}`, { details: { expectedVersion } });
    return record;
  }
}
