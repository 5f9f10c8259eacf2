import { AuditEntrySchema, type AuditEntry, type AuditRecord } from '../../core/audit/audit-entry.js';
import { nextEntry as coreNextEntry } from '../../core/audit/chain.js';
import type { Clock } from '../../core/shared/clock.js';
import type { AuditLog } from '../../ports/stores.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { parseRecord } from './errors.js';
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
  /**
   * A single entry advances HEAD only when its seq is 1, 1 + n, 1 + 2n…; default 16. Saves a write
   * per entry; a reader finding the head probes at most n - 1 entries past HEAD (it probes anyway).
   */
  headEvery?: number;
}

/** Entries per chain step: the first carries the rest (≤ 24), which then fit one BatchWriteItem. */
const MAX_BATCH = 25;
/** Serialised size of a batch (its first entry carries all of it): well under DynamoDB's 400 KB item limit. */
const MAX_BATCH_BYTES = 256 * 1024;
/** The attribute of a batch's first entry holding the batch's other entries (not part of the hash). */
const BATCH_REST = 'batchRest';

/**
 * The hash-chained audit log on DynamoDB, without transactions (dynalite has none):
 * 1. find the head: the HEAD pointer, then probe seq+1, seq+2… (a writer may have crashed
 *    between writing its entries and advancing HEAD);
 * 2. write entry `seq` with `attribute_not_exists` — the entry item is the lock: of two writers
 *    computing the same seq, exactly one wins and the other re-reads and retries;
 * 3. advance HEAD, conditionally, only forwards — after every batch, and after a single entry only
 *    every `headEvery` entries (the probe of step 1 covers the gap).
 * The chain therefore never forks, and HEAD may lag but never lies about an entry that exists.
 *
 * `appendMany` takes one such step for up to 25 entries: the first entry `seq` is written
 * conditionally and carries the other entries (`batchRest`, hashes already computed), which then go
 * out in one unconditional BatchWriteItem. Winning `seq` reserves seq+1…seq+k-1: nobody can chain
 * after an entry of the batch without first reading entry `seq` and so learning the whole batch, and
 * a prober that meets a batch HEAD has not passed yet writes its rest again — the same bytes — and
 * advances HEAD, so a writer that crashed after its first entry leaves a batch that any later step
 * completes (a reader already sees it whole). A batch is
 * committed as a whole once its first entry exists; before that, it does not exist at all.
 * @example
 * const log = new DynamoDbAuditLog({ doc, tableName }, { clock });
 * await log.append({ actor: 'john', action: 'TRADING_STATE_CHANGED', subject: 'trading-state', data: { to: 'HALTED' } });
 * await log.appendMany([record1, record2, record3]); // one chain step, entries in this order
 */
export class DynamoDbAuditLog implements AuditLog {
  private readonly table: Table;
  private readonly maxAttempts: number;
  private readonly nextEntry: NextAuditEntry;
  private readonly headEvery: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last entry this instance wrote or saw; the next step is tried right after it. */
  private last: AuditEntry | undefined;
  constructor(
    ref: DynamoTableRef,
    private readonly options: DynamoDbAuditLogOptions,
  ) {
    this.table = new Table(ref);
    this.maxAttempts = options.maxAttempts ?? 50;
    this.nextEntry = options.nextEntry ?? coreNextEntry;
    this.headEvery = Math.max(1, Math.floor(options.headEvery ?? 16));
  }

  /**
   * Appends through this instance are serialised: racing ourselves would only burn conditional
   * writes. Races with other instances (other Lambdas, the bridge) are settled by the entry write.
   */
  async append(record: AuditRecord): Promise<AuditEntry> {
    const [entry] = await this.appendMany([record]);
    return entry as AuditEntry;
  }

  /**
   * Appends the records in order as consecutive entries, 25 per chain step (more records take more
   * steps, each committed on its own: a failure after the first step leaves the earlier entries).
   */
  appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    if (records.length === 0) return Promise.resolve([]);
    const run = this.queue.then(async () => {
      const out: AuditEntry[] = [];
      for (const chunk of chunks(records)) out.push(...(await this.appendStep(chunk)));
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendStep(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    const at = this.options.clock.now().toISOString();
    // Optimistic: right after the last entry we know of; the conditional write tells us if we are behind.
    let prev = this.last ?? (await this.head());
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const entries = this.chainAfter(prev, records, at);
      const [first, ...rest] = entries as [AuditEntry, ...AuditEntry[]];
      const item: Record<string, unknown> = { ...Keys.auditEntry(first.seq), ...first };
      if (rest.length > 0) item[BATCH_REST] = rest;
      const won = await this.table.put(item, { ConditionExpression: 'attribute_not_exists(pk)' });
      if (won) {
        if (rest.length > 0) await this.writeRest(rest);
        const last = entries[entries.length - 1] as AuditEntry;
        this.last = last;
        // A batch always advances HEAD: a prober treats a batch past HEAD as unfinished and rewrites its rest.
        if (rest.length > 0 || (first.seq - 1) % this.headEvery === 0) await this.advanceHead(last.seq);
        return entries;
      }
      // Another writer took this seq; spread the retries so a crowd does not collide again in step.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * attempt)));
      prev = await this.probeFrom(prev?.seq ?? 0, prev);
    }
    throw new StoreError(StoreErrorCode.AUDIT_CONTENTION, `audit append lost ${this.maxAttempts} races in a row`, { details: { action: records[0]?.action, entries: records.length } });
  }

  /** The entries for `records` after `prev`, checked: the chain step must number them consecutively. */
  private chainAfter(prev: AuditEntry | undefined, records: readonly AuditRecord[], at: string): AuditEntry[] {
    const out: AuditEntry[] = [];
    let p = prev;
    for (const record of records) {
      const entry = AuditEntrySchema.parse(this.nextEntry(p, record, record.at ?? at));
      if (entry.seq !== (p?.seq ?? 0) + 1) {
        throw new StoreError(StoreErrorCode.REQUEST_FAILED, `nextEntry returned seq ${entry.seq} after ${p?.seq ?? 0}`);
      }
      out.push(entry);
      p = entry;
    }
    return out;
  }

  /** Idempotent: the rest of a batch is fixed by its first entry, so every writer writes the same items. */
  private writeRest(rest: readonly AuditEntry[]): Promise<void> {
    return this.table.batchWrite(rest.map((e) => ({ ...Keys.auditEntry(e.seq), ...e })));
  }

  async read(fromSeq = 1, limit = 1000): Promise<AuditEntry[]> {
    const from = Math.max(1, fromSeq);
    const items = await this.table.query(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': AUDIT_PK, ':from': auditSeqSk(from), ':to': auditSeqSk(999_999_999_999) },
        ConsistentRead: true,
        Limit: Math.min(limit, 1000),
      },
      limit,
    );
    // A batch whose writer crashed before writing its rest is still whole in its first entry.
    const bySeq = new Map<number, AuditEntry>();
    for (const item of items) {
      const { entry, rest } = this.parseItem(item);
      bySeq.set(entry.seq, entry);
      for (const r of rest) if (!bySeq.has(r.seq)) bySeq.set(r.seq, r);
    }
    return [...bySeq.values()].filter((e) => e.seq >= from).sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  async head(): Promise<AuditEntry | undefined> {
    const seq = await this.headSeq();
    if (seq === 0) return this.probeFrom(0, undefined);
    const item = await this.table.get(Keys.auditEntry(seq));
    if (item === undefined) throw new StoreError(StoreErrorCode.CORRUPT_RECORD, `audit HEAD points at missing entry ${seq}`, { details: { seq } });
    // HEAD only ever points at the last entry of a batch, but a batch's first entry is handled the same way.
    const last = await this.completeBatch(item, async () => seq);
    return this.probeFrom(last.seq, last);
  }

  /**
   * Entries past a known one exist when another writer appended, or crashed before advancing HEAD
   * (or before writing the rest of its batch: completed here).
   */
  private async probeFrom(seq: number, entry: AuditEntry | undefined): Promise<AuditEntry | undefined> {
    let last = entry;
    // Read once per probe, and only if a batch is met; a HEAD read meanwhile only costs a needless rewrite.
    let head: Promise<number> | undefined;
    const headSeq = () => (head ??= this.headSeq());
    for (;;) {
      const item = await this.table.get(Keys.auditEntry((last?.seq ?? seq) + 1));
      if (item === undefined) break;
      last = await this.completeBatch(item, headSeq);
    }
    if (last !== undefined) this.last = last;
    return last;
  }

  /**
   * The last entry of the batch `item` starts (the entry itself when alone). HEAD is advanced only
   * once a batch's rest is written, so a HEAD at or past the batch's end means it is complete;
   * otherwise its rest is written (again) and HEAD advanced.
   */
  private async completeBatch(item: Record<string, unknown>, headSeq: () => Promise<number>): Promise<AuditEntry> {
    const { entry, rest } = this.parseItem(item);
    const last = rest[rest.length - 1];
    if (last === undefined) return entry;
    if ((await headSeq()) < last.seq) {
      await this.writeRest(rest);
      await this.advanceHead(last.seq);
    }
    return last;
  }

  private async headSeq(): Promise<number> {
    const pointer = await this.table.get(Keys.auditHead());
    return typeof pointer?.['seq'] === 'number' ? pointer['seq'] : 0;
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

  private parseItem(item: Record<string, unknown>): { entry: AuditEntry; rest: AuditEntry[] } {
    const { [BATCH_REST]: restRaw, ...fields } = stripKeys(item);
    const where = `audit entry ${String(item['sk'])}`;
    const entry = parseRecord(AuditEntrySchema, fields, where);
    if (restRaw === undefined) return { entry, rest: [] };
    if (!Array.isArray(restRaw)) throw new StoreError(StoreErrorCode.CORRUPT_RECORD, `${where}: ${BATCH_REST} is not a list`);
    const rest = restRaw.map((r, i) => parseRecord(AuditEntrySchema, r, `${where} ${BATCH_REST}[${i}]`));
    // The rest must continue the first entry seq by seq, or a prober would write it at the wrong place.
    rest.forEach((r, i) => {
      if (r.seq !== entry.seq + i + 1) throw new StoreError(StoreErrorCode.CORRUPT_RECORD, `${where}: ${BATCH_REST}[${i}] has seq ${r.seq}, expected ${entry.seq + i + 1}`);
    });
    return { entry, rest };
  }
}

/** Records split into chain steps: at most MAX_BATCH each, and the rest's size bounded. */
function chunks(records: readonly AuditRecord[]): AuditRecord[][] {
  const out: AuditRecord[][] = [];
  let current: AuditRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = JSON.stringify(r).length + 300; // + seq, at, hashes
    if (current.length > 0 && (current.length >= MAX_BATCH || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    bytes += size;
    current.push(r);
  }
  if (current.length > 0) out.push(current);
  return out;
}
