import { AuditEntrySchema, type AuditEntry, type AuditRecord } from '../../core/audit/audit-entry.js';
import { nextEntry as coreNextEntry } from '../../core/audit/chain.js';
import type { Clock } from '../../core/shared/clock.js';
import type { AuditLog } from '../../ports/stores.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode, parseRecord } from './errors.js';
import { AUDIT_PK, Keys, auditSeqSk, stripKeys } from './keys.js';
import { Table } from './table.js';

/** The core's chain step (`lib/core/audit/chain.ts`): seq, prevHash and hash of the entry after `prev`. */
export type NextAuditEntry = (prev: AuditEntry | undefined, record: AuditRecord, at: string) => AuditEntry;


export interface DynamoDbAuditLogOptions {
  clock: Clock;
  /** The chain step; default the core's `nextEntry` (the adapter never computes hashes itself). */
  nextEntry?: NextAuditEntry;
  /** Attempts before giving up under contention; default 50 (each lost race means another writer won). */
  maxAttempts?: number;
}

/**
 * The hash-chained audit log on DynamoDB, without transactions (dynalite has none):
 * 1. find the head: the HEAD pointer, then probe seq+1, seq+2… (a writer may have crashed
 *    between writing its entry and advancing HEAD);
 * 2. write entry `seq` with `attribute_not_exists` — the entry item is the lock: of two writers
 *    computing the same seq, exactly one wins and the other re-reads and retries;
 * 3. advance HEAD, conditionally, only forwards.
 * The chain therefore never forks, and HEAD may lag but never lies about an entry that exists.
 * @example
 * const log = new DynamoDbAuditLog({ doc, tableName }, { clock });
 * await log.append({ actor: 'john', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { to: 'HALTED' } });
 */
export class DynamoDbAuditLog implements AuditLog {
  private readonly table: Table;
  private readonly maxAttempts: number;
  private readonly nextEntry: NextAuditEntry;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last entry this instance saw; appends probe forward from it instead of re-reading HEAD. */
  private last: AuditEntry | undefined;
  constructor(
    ref: DynamoTableRef,
    private readonly options: DynamoDbAuditLogOptions,
  ) {
    this.table = new Table(ref);
    this.maxAttempts = options.maxAttempts ?? 50;
    this.nextEntry = options.nextEntry ?? coreNextEntry;
  }

  /**
   * Appends through this instance are serialised: racing ourselves would only burn conditional
   * writes. Races with other instances (other Lambdas, the bridge) are settled by the entry write.
   */
  append(record: AuditRecord): Promise<AuditEntry> {
    const run = this.queue.then(() => this.appendOnce(record));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendOnce(record: AuditRecord): Promise<AuditEntry> {
    const at = record.at ?? this.options.clock.now().toISOString();
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const prev = this.last === undefined ? await this.head() : await this.probeFrom(this.last.seq, this.last);
      const entry = AuditEntrySchema.parse(this.nextEntry(prev, record, at));
      if (entry.seq !== (prev?.seq ?? 0) + 1) {
        throw new StoreError(StoreErrorCode.REQUEST_FAILED, `nextEntry returned seq ${entry.seq} after ${prev?.seq ?? 0}`);
      }
      const won = await this.table.put({ ...Keys.auditEntry(entry.seq), ...entry }, { ConditionExpression: 'attribute_not_exists(pk)' });
      if (won) {
        this.last = entry;
        await this.advanceHead(entry.seq);
        return entry;
      }
      // Another writer took this seq; spread the retries so a crowd does not collide again in step.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
    throw new StoreError(StoreErrorCode.AUDIT_CONTENTION, `audit append lost ${this.maxAttempts} races in a row`, { details: { action: record.action } });
  }

  async read(fromSeq = 1, limit = 1000): Promise<AuditEntry[]> {
    const items = await this.table.query(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': AUDIT_PK, ':from': auditSeqSk(Math.max(1, fromSeq)), ':to': auditSeqSk(999_999_999_999) },
        ConsistentRead: true,
        Limit: Math.min(limit, 1000),
      },
      limit,
    );
    return items.map((i) => this.parse(i));
  }

  async head(): Promise<AuditEntry | undefined> {
    const pointer = await this.table.get(Keys.auditHead());
    const seq = typeof pointer?.['seq'] === 'number' ? pointer['seq'] : 0;
    let entry: AuditEntry | undefined;
    if (seq > 0) {
      const item = await this.table.get(Keys.auditEntry(seq));
      if (item === undefined) throw new StoreError(StoreErrorCode.CORRUPT_RECORD, `audit HEAD points at missing entry ${seq}`, { details: { seq } });
      entry = this.parse(item);
    }
    return this.probeFrom(seq, entry);
  }

  /** Entries past a known one exist when another writer appended, or crashed before advancing HEAD. */
  private async probeFrom(seq: number, entry: AuditEntry | undefined): Promise<AuditEntry | undefined> {
    let at = seq;
    let last = entry;
    for (;;) {
      const item = await this.table.get(Keys.auditEntry(at + 1));
      if (item === undefined) break;
      last = this.parse(item);
      at += 1;
    }
    if (last !== undefined) this.last = last;
    return last;
  }

  private async advanceHead(seq: number): Promise<void> {
    // Losing this condition means HEAD is already at or past seq: nothing to do.
    await this.table.update({
      Key: Keys.auditHead(),
      UpdateExpression: 'SET seq = :seq',
      ConditionExpression: 'attribute_not_exists(seq) OR seq < :seq',
      ExpressionAttributeValues: { ':seq': seq },
    });
  }

  private parse(item: Record<string, unknown>): AuditEntry {
    return parseRecord(AuditEntrySchema, stripKeys(item), `audit entry ${String(item['sk'])}`);
  }
}
