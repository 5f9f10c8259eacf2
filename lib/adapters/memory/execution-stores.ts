/**
 * The execution agent's records, compliance alerts, the surveillance window and the hash-chained
 * AuditLog in process memory, with the DynamoDB adapters' contracts: the same validation on write,
 * conditional writes failing with the same codes, the same list order, copies in and out.
 */
import { AuditEntrySchema, type AuditEntry, type AuditRecord } from '../../core/audit/audit-entry.js';
import { nextEntry } from '../../core/audit/chain.js';
import { ExecutionRecordSchema, recordStartedAt, type ExecutionRecord } from '../../core/execution/record.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import { ComplianceAlertSchema, type AlertStatus, type ComplianceAlert } from '../../core/surveillance/alert.js';
import { ObservationKind, SurveillanceObservationSchema, type SurveillanceObservation } from '../../core/surveillance/observation.js';
import type { OrderToTradeCount, OrderToTradeField, OrderToTradeKey } from '../../core/surveillance/order-to-trade.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';
import type { ExecutionRecordStore } from '../../ports/execution.js';
import type { AuditLog } from '../../ports/stores.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { bySortKey, copy } from './copy.js';
import { deepFreeze } from '../../core/shared/deep-freeze.js';
import { dayOf } from './trading-day.js';
import { addToIndex, removeFromIndex } from './index-map.js';

/** The day an execution record is filed under, as the DynamoDB adapter's GSI (`UNDATED` before any timed fact). */
const recordDay = (r: ExecutionRecord): string => {
  const at = recordStartedAt(r);
  return at === undefined ? 'UNDATED' : dayOf(at);
};

export class InMemoryExecutionRecordStore implements ExecutionRecordStore {
  private readonly items = new Map<string, ExecutionRecord>();
  private readonly byDay = new Map<string, Set<string>>();

  /** The stored records (read-only view, for diagnostics and tests). */
  get records(): ReadonlyMap<string, ExecutionRecord> {
    return this.items;
  }

  async get(id: ClientOrderId): Promise<ExecutionRecord | undefined> {
    return copy(this.records.get(id));
  }

  async put(record: ExecutionRecord): Promise<ExecutionRecord> {
    const next = ExecutionRecordSchema.parse({ ...record, version: record.version + 1 });
    const current = this.records.get(record.clientOrderId);
    if ((current?.version ?? 0) !== record.version) {
      throw new ConcurrencyError('EXECUTION.VERSION_CONFLICT', `execution record ${record.clientOrderId} is not at version ${record.version}`, { details: { clientOrderId: record.clientOrderId, expectedVersion: record.version } });
    }
    this.items.set(next.clientOrderId, next);
    // The whole item is rewritten in DynamoDB, so the index follows the record when an earlier fact arrives late.
    if (current === undefined || recordStartedAt(current) !== recordStartedAt(next)) {
      if (current !== undefined) removeFromIndex(this.byDay, recordDay(current), next.clientOrderId);
      addToIndex(this.byDay, recordDay(next), next.clientOrderId);
    }
    return copy(next);
  }

  /** Ordered as the GSI partition: started at, then clientOrderId. */
  async listByDay(day: string): Promise<ExecutionRecord[]> {
    const records = [...(this.byDay.get(day) ?? [])].map((id) => this.records.get(id)).filter((r): r is ExecutionRecord => r !== undefined);
    return bySortKey(records, (r) => `${recordStartedAt(r) ?? 'UNDATED'}#${r.clientOrderId}`).map(copy);
  }
}

export class InMemoryComplianceAlertStore implements ComplianceAlertStore {
  private readonly items = new Map<string, ComplianceAlert>();

  /** The stored alerts (read-only view, for diagnostics and tests). */
  get alerts(): ReadonlyMap<string, ComplianceAlert> {
    return this.items;
  }

  async createIfNew(alert: ComplianceAlert): Promise<boolean> {
    const record = ComplianceAlertSchema.parse({ ...alert, version: 1 });
    if (this.alerts.has(record.alertId)) return false;
    this.items.set(record.alertId, record);
    return true;
  }

  async get(alertId: string): Promise<ComplianceAlert | undefined> {
    return copy(this.alerts.get(alertId));
  }

  async update(alert: ComplianceAlert): Promise<ComplianceAlert> {
    const record = ComplianceAlertSchema.parse({ ...alert, version: alert.version + 1 });
    const current = this.alerts.get(alert.alertId);
    if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `compliance alert ${alert.alertId} does not exist`, { details: { alertId: alert.alertId } });
    if (current.version !== alert.version) {
      throw new ConcurrencyError('SURVEILLANCE.VERSION_CONFLICT', `compliance alert ${alert.alertId} is not at version ${alert.version}`, { details: { alertId: alert.alertId, expectedVersion: alert.version, actualVersion: current.version } });
    }
    this.items.set(record.alertId, record);
    return copy(record);
  }

  /** Newest first (raisedAt, then alertId, both descending). Alerts are few: a filter, not an index. */
  async list(query: { status?: AlertStatus | undefined; limit?: number | undefined } = {}): Promise<ComplianceAlert[]> {
    return [...this.alerts.values()]
      .filter((a) => query.status === undefined || a.status === query.status)
      .sort((a, b) => (a.raisedAt !== b.raisedAt ? (a.raisedAt < b.raisedAt ? 1 : -1) : a.alertId < b.alertId ? 1 : -1))
      .slice(0, query.limit ?? Infinity)
      .map(copy);
  }
}

/** As the DynamoDB items' TTL: the detectors' window needs minutes, the order-to-trade ratio one day. */
const OBSERVATION_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * The surveillance window: per symbol, observations sorted by `<at>#<obsId>` (the DynamoDB sort
 * key), so a range is two binary searches. Observations older than the DynamoDB TTL (8 days before
 * the newest of their symbol) are dropped, so a long-running process does not grow without bound.
 * An observation never changes once recorded, and the detectors read a whole day of them per order
 * message: they are stored frozen and handed out as they are, not copied.
 */
export class InMemorySurveillanceActivityStore implements SurveillanceActivityStore {
  private readonly items = new Map<string, SurveillanceObservation>();
  /** Per symbol and kind, `<at>#<obsId>` keys in order (as the DynamoDB adapter's kind partitions): a range read costs what it returns. */
  private readonly byKind = new Map<string, string[]>();
  private readonly counters = new Map<string, OrderToTradeCount>();
  private readonly counted = new Set<string>();

  /** Observation by `<at>#<obsId>` (read-only view, for diagnostics and tests). */
  get observations(): ReadonlyMap<string, SurveillanceObservation> {
    return this.items;
  }

  async recordIfNew(obs: SurveillanceObservation): Promise<boolean> {
    const record = deepFreeze(SurveillanceObservationSchema.parse(obs));
    const key = `${record.at}#${record.obsId}`;
    if (this.items.has(key)) return false;
    this.items.set(key, record);
    const partition = `${record.symbol}|${record.kind}`;
    let keys = this.byKind.get(partition);
    if (keys === undefined) this.byKind.set(partition, (keys = []));
    keys.splice(lowerBound(keys, key), 0, key); // mostly an append: observations arrive in time order
    this.expire(keys);
    return true;
  }

  async listRange(symbol: string, from: string, to: string, kind?: ObservationKind): Promise<SurveillanceObservation[]> {
    const end = `${to}#\uffff`;
    const out: Array<[string, SurveillanceObservation]> = [];
    for (const k of kind === undefined ? Object.values(ObservationKind) : [kind]) {
      const keys = this.byKind.get(`${symbol}|${k}`) ?? [];
      for (let i = lowerBound(keys, from); i < keys.length && keys[i]! <= end; i++) out.push([keys[i]!, this.items.get(keys[i]!)!]);
    }
    // One kind is already in order; several are merged in time order, as the DynamoDB adapter merges its per-kind queries.
    if (kind === undefined) out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return out.map(([, o]) => o);
  }

  async countOnce(key: OrderToTradeKey, field: OrderToTradeField, obsId: string): Promise<OrderToTradeCount> {
    const k = `${key.strategyId}|${key.symbol}|${key.day}`;
    const count = this.counters.get(k) ?? { orderMessages: 0, fills: 0 };
    if (!this.counted.has(`${k}|${obsId}`)) {
      this.counted.add(`${k}|${obsId}`);
      count[field] += 1;
      this.counters.set(k, count);
    }
    return { ...count };
  }

  private expire(keys: string[]): void {
    const newest = Date.parse(keys[keys.length - 1]!.slice(0, keys[keys.length - 1]!.indexOf('#')));
    let n = 0;
    while (n < keys.length && Date.parse(keys[n]!.slice(0, keys[n]!.indexOf('#'))) < newest - OBSERVATION_TTL_MS) n++;
    for (const k of keys.splice(0, n)) this.items.delete(k);
  }
}

/** First index whose key is ≥ `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The hash-chained audit log in memory: the core's chain step, entries in an array indexed by
 * seq - 1. One process, one writer at a time (appends are synchronous), so there is no race to settle.
 * Entries never change: they are stored frozen and handed out as they are, not copied.
 */
export class InMemoryAuditLog implements AuditLog {
  private readonly chain: AuditEntry[] = [];
  constructor(private readonly now: () => Date = () => new Date('2026-11-26T15:00:00.000Z')) {}

  /** The chain (read-only view, for diagnostics and tests, e.g. verifyChain). */
  get entries(): readonly AuditEntry[] {
    return this.chain;
  }

  async append(record: AuditRecord): Promise<AuditEntry> {
    return this.appendOne(record, this.now().toISOString());
  }

  async appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    const at = this.now().toISOString();
    return records.map((r) => this.appendOne(r, at));
  }

  /** Default limit 1000, as the DynamoDB adapter's. */
  async read(fromSeq = 1, limit = 1000): Promise<AuditEntry[]> {
    const from = Math.max(1, fromSeq);
    return this.chain.slice(from - 1, from - 1 + limit);
  }

  async head(): Promise<AuditEntry | undefined> {
    return this.chain.at(-1);
  }

  private appendOne(record: AuditRecord, at: string): AuditEntry {
    const entry = deepFreeze(AuditEntrySchema.parse(nextEntry(this.chain.at(-1), record, record.at ?? at)));
    this.chain.push(entry);
    return entry;
  }
}
