import { SystemPhaseRecordSchema, type SystemPhaseChange, type SystemPhaseRecord } from '../../core/lifecycle/phase.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';
import type { WorkflowStarter } from '../../ports/workflow-starter.js';

/** The lifecycle record in memory, with the DynamoDB adapter's conditional-write semantics. */
export class InMemorySystemPhaseStore implements SystemPhaseStore {
  private record: SystemPhaseRecord | undefined;
  async get(): Promise<SystemPhaseRecord | undefined> {
    return this.record === undefined ? undefined : structuredClone(this.record);
  }
  async compareAndSet(expectedVersion: number, next: SystemPhaseChange): Promise<SystemPhaseRecord> {
    if ((this.record?.version ?? -1) !== expectedVersion) throw new ConcurrencyError('STATE.VERSION_CONFLICT', `system phase is not at version ${expectedVersion}`);
    this.record = SystemPhaseRecordSchema.parse({ ...next, version: expectedVersion + 1 });
    return structuredClone(this.record);
  }
}

/** Records the workflows started; `fail` makes the next start throw. */
export class RecordingWorkflowStarter implements WorkflowStarter {
  readonly started: Array<{ workflow: string; input: Record<string, unknown>; executionName: string }> = [];
  fail = false;
  async start(workflow: string, input: Record<string, unknown>, options: { executionName: string }): Promise<{ executionId: string }> {
    if (this.fail) throw new Error('StartExecution refused (test)');
    this.started.push({ workflow, input, executionName: options.executionName });
    return { executionId: `arn:test:execution:${workflow}:${options.executionName}` };
  }
}
