/**
 * In-memory implementations of the execution and compliance ports (lib/ports/execution.ts,
 * compliance-alerts.ts) and of the AuditLog, for unit tests. They keep the ports' contracts:
 * conditional writes throw `ConcurrencyError`, stores return copies.
 */
import { nextEntry } from '../../lib/core/audit/chain.js';
import type { AuditEntry, AuditRecord } from '../../lib/core/audit/audit-entry.js';
import { recordStartedAt, type ExecutionRecord } from '../../lib/core/execution/record.js';
import { ConcurrencyError } from '../../lib/core/shared/errors.js';
import type { ClientOrderId } from '../../lib/core/shared/ids.js';
import type { AlertStatus, ComplianceAlert } from '../../lib/core/surveillance/alert.js';
import { ObservationKind, type SurveillanceObservation } from '../../lib/core/surveillance/observation.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../lib/ports/compliance-alerts.js';
import type { OrderToTradeCount, OrderToTradeField, OrderToTradeKey } from '../../lib/core/surveillance/order-to-trade.js';
import type { ExecutionRecordStore } from '../../lib/ports/execution.js';
import type { AuditLog } from '../../lib/ports/stores.js';
import { tradingDayOf } from './in-memory-ports.js';

const copy = <T>(v: T): T => structuredClone(v);

export class InMemoryExecutionRecordStore implements ExecutionRecordStore {
  readonly records = new Map<string, ExecutionRecord>();
  /** Number of successful writes (to assert that duplicates write nothing). */
  writes = 0;
  async get(id: ClientOrderId): Promise<ExecutionRecord | undefined> {
    const r = this.records.get(id);
    return r === undefined ? undefined : copy(r);
  }
  async put(record: ExecutionRecord): Promise<ExecutionRecord> {
    const current = this.records.get(record.clientOrderId)?.version ?? 0;
    if (current !== record.version) throw new ConcurrencyError('EXECUTION.VERSION_CONFLICT', `execution ${record.clientOrderId}: expected version ${record.version}, found ${current}`);
    const stored = { ...copy(record), version: record.version + 1 };
    this.records.set(record.clientOrderId, stored);
    this.writes += 1;
    return copy(stored);
  }
  async listByDay(day: string): Promise<ExecutionRecord[]> {
    return [...this.records.values()].filter((r) => {
      const at = recordStartedAt(r);
      return at !== undefined && tradingDayOf(at) === day;
    }).map(copy);
  }
}

export class InMemoryComplianceAlertStore implements ComplianceAlertStore {
  readonly alerts = new Map<string, ComplianceAlert>();
  async createIfNew(alert: ComplianceAlert): Promise<boolean> {
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, { ...copy(alert), version: 1 });
    return true;
  }
  async get(alertId: string): Promise<ComplianceAlert | undefined> {
    const a = this.alerts.get(alertId);
    return a === undefined ? undefined : copy(a);
  }
  async update(alert: ComplianceAlert): Promise<ComplianceAlert> {
    const current = this.alerts.get(alert.alertId);
    if (current === undefined) throw new ConcurrencyError('STORE.NOT_FOUND', `alert ${alert.alertId} does not exist`);
    if (current.version !== alert.version) throw new ConcurrencyError('SURVEILLANCE.VERSION_CONFLICT', `alert ${alert.alertId}: expected version ${alert.version}, found ${current.version}`);
    const stored = { ...copy(alert), version: alert.version + 1 };
    this.alerts.set(alert.alertId, stored);
    return copy(stored);
  }
  async list(query: { status?: AlertStatus | undefined; limit?: number | undefined } = {}): Promise<ComplianceAlert[]> {
    return [...this.alerts.values()]
      .filter((a) => query.status === undefined || a.status === query.status)
      .sort((a, b) => (a.raisedAt !== b.raisedAt ? (a.raisedAt < b.raisedAt ? 1 : -1) : a.alertId < b.alertId ? 1 : -1))
      .slice(0, query.limit ?? Infinity)
      .map(copy);
  }
}

export class InMemorySurveillanceActivityStore implements SurveillanceActivityStore {
  readonly observations = new Map<string, SurveillanceObservation>();
  readonly counters = new Map<string, OrderToTradeCount>();
  private readonly counted = new Set<string>();
  /** Per symbol and kind, `<at>#<obsId>` keys in order: a range read costs what it returns, as in DynamoDB. */
  private readonly index = new Map<string, string[]>();
  async recordIfNew(obs: SurveillanceObservation): Promise<boolean> {
    const key = `${obs.at}#${obs.obsId}`;
    if (this.observations.has(key)) return false;
    this.observations.set(key, copy(obs));
    const keys = this.index.get(`${obs.symbol}|${obs.kind}`) ?? [];
    keys.splice(lowerBound(keys, key), 0, key);
    this.index.set(`${obs.symbol}|${obs.kind}`, keys);
    return true;
  }
  async listRange(symbol: string, from: string, to: string, kind?: ObservationKind): Promise<SurveillanceObservation[]> {
    const kinds = kind === undefined ? Object.values(ObservationKind) : [kind];
    const keys = kinds.flatMap((k) => {
      const all = this.index.get(`${symbol}|${k}`) ?? [];
      return all.slice(lowerBound(all, from), lowerBound(all, `${to}#\uffff`));
    });
    return keys.sort().map((k) => copy(this.observations.get(k)!));
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
}

/** The first index whose key is ≥ `key` in sorted `keys`. */
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

/** A hash-chained audit log in memory (the real chain, so tests can verify it). */
export class InMemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  constructor(private readonly now: () => Date = () => new Date('2026-11-26T15:00:00.000Z')) {}
  async append(record: AuditRecord): Promise<AuditEntry> {
    const e = nextEntry(this.entries.at(-1), record, record.at ?? this.now());
    this.entries.push(e);
    return copy(e);
  }
  async appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const r of records) out.push(await this.append(r));
    return out;
  }
  async read(fromSeq = 1, limit = Infinity): Promise<AuditEntry[]> {
    return this.entries.filter((e) => e.seq >= fromSeq).slice(0, limit).map(copy);
  }
  async head(): Promise<AuditEntry | undefined> {
    const h = this.entries.at(-1);
    return h === undefined ? undefined : copy(h);
  }
}
