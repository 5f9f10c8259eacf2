import { SystemPhaseRecordSchema, type SystemPhaseChange, type SystemPhaseRecord } from '../../core/lifecycle/phase.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';
import { copy } from './copy.js';

/** The lifecycle record in memory, with the DynamoDB adapter's conditional-write semantics. */
export class InMemorySystemPhaseStore implements SystemPhaseStore {
  private record: SystemPhaseRecord | undefined;
  async get(): Promise<SystemPhaseRecord | undefined> {
    return copy(this.record);
  }
  async compareAndSet(expectedVersion: number, next: SystemPhaseChange): Promise<SystemPhaseRecord> {
    const record = SystemPhaseRecordSchema.parse({ ...next, version: expectedVersion + 1 });
    if ((this.record?.version ?? -1) !== expectedVersion) throw new ConcurrencyError('STATE.VERSION_CONFLICT', `system phase is not at version ${expectedVersion}`, { details: { expectedVersion } });
    this.record = record;
    return copy(record);
  }
}
