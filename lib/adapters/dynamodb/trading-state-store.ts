import { ConcurrencyError } from '../../core/shared/errors.js';
import { TradingStateSchema, type TradingState } from '../../core/trading-state/trading-state.js';
import type { TradingStateStore } from '../../ports/stores.js';
import type { DynamoTableRef } from './client.js';
import { Keys } from './keys.js';
import { Table } from './table.js';

/**
 * The one trading-state item; every change is a conditional write on `version`.
 * @example
 * const store = new DynamoDbTradingStateStore({ doc, tableName });
 * await store.compareAndSet(-1, { mode: 'ACTIVE', changedAt: now, changedBy: 'system', reason: 'first start' });
 */
export class DynamoDbTradingStateStore implements TradingStateStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async get(): Promise<TradingState | undefined> {
    return this.table.getRecord(Keys.tradingState(), TradingStateSchema, 'trading state');
  }

  async compareAndSet(expectedVersion: number, next: Omit<TradingState, 'version'>): Promise<TradingState> {
    const record = TradingStateSchema.parse({ ...next, version: expectedVersion + 1 });
    const written = await this.table.put(
      { ...Keys.tradingState(), ...record },
      expectedVersion < 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } },
    );
    if (!written) {
      throw new ConcurrencyError('STATE.VERSION_CONFLICT', `trading state is not at version ${expectedVersion}`, { details: { expectedVersion } });
    }
    return record;
  }
}
