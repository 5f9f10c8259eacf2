import type { ExecutionRecord } from '../../core/execution/record.js';
import type { ClientOrderId } from '../../core/shared/ids.js';

/**
 * What one execution-agent process remembers between events, so an order's events cost one
 * conditional write each instead of read + write + retries:
 *
 * - `serial(id, task)`: one order's events are merged one at a time (in arrival order). The bridge
 *   publishes an order's status report, fill and commission within a millisecond or two; merged
 *   concurrently, all but one lose the version race and re-read.
 * - `record(id)`: the last version of the record this process read or wrote. It is a guess, never
 *   the truth: the write that follows is conditional on its version, and on a conflict the caller
 *   forgets it and reads the store. A stale guess cannot hide a change either: the merge is a
 *   join-semilattice, so a fact that adds nothing to an older version adds nothing to a newer one.
 * - `orderOfExec(execId)`: which order an execution belongs to, learnt from its FillReport
 *   (immutable, so always true), sparing the fill-store read of the CommissionReport that follows.
 *
 * Bounded: the least recently used entries are forgotten first.
 * @internal
 */
export class ExecutionRecordMemory {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly execs = new Map<string, ClientOrderId>();
  /** Completion of the last task queued per order; removed when it is the last and has finished. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity = 10_000) {}

  /** Runs `task` after every task queued earlier for `id`; a failing task does not block the next. */
  serial<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return run;
  }

  record(id: ClientOrderId): ExecutionRecord | undefined {
    return this.records.get(id);
  }

  remember(record: ExecutionRecord): void {
    touch(this.records, record.clientOrderId, record, this.capacity);
    for (const f of record.fills) touch(this.execs, f.execId, record.clientOrderId, this.capacity);
  }

  forget(id: ClientOrderId): void {
    this.records.delete(id);
  }

  orderOfExec(execId: string): ClientOrderId | undefined {
    return this.execs.get(execId);
  }

  /** Orders with a serial task queued or running (tests). */
  get busy(): number {
    return this.tails.size;
  }
}

function touch<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key); // re-insert: the map's order is the eviction order
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
