import type { ExecutionRecord } from '../core/execution/record.js';
import type { ClientOrderId } from '../core/shared/ids.js';

/**
 * The execution agent's records (one per clientOrderId; see `lib/core/execution/record.ts`).
 * The agent owns them; order status and fills stay with the bridge's OrderStore and FillStore.
 * @example
 * const current = await records.get(id);
 * const { record, changed } = applyExecutionFact(current ?? emptyExecutionRecord(id), fact);
 * if (changed) await records.put(record); // ConcurrencyError EXECUTION.VERSION_CONFLICT on a lost race: re-read and re-apply
 */
export interface ExecutionRecordStore {
  get(id: ClientOrderId): Promise<ExecutionRecord | undefined>;
  /**
   * Writes `record` with version `record.version + 1` iff the stored version is `record.version`
   * (0: not stored yet). Returns the stored record.
   * @throws ConcurrencyError `EXECUTION.VERSION_CONFLICT`
   */
  put(record: ExecutionRecord): Promise<ExecutionRecord>;
  /** Records whose story started on a trading day (`YYYY-MM-DD`, America/New_York; `recordStartedAt`). */
  listByDay(day: string): Promise<ExecutionRecord[]>;
}

export const ExecutionStoreErrorCode = { VERSION_CONFLICT: 'EXECUTION.VERSION_CONFLICT' } as const;
