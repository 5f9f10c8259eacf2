/**
 * In-memory implementations of the execution and compliance ports (lib/ports/execution.ts,
 * compliance-alerts.ts) and of the AuditLog, for unit tests. They keep the ports' contracts:
 * conditional writes throw `ConcurrencyError`, stores return copies.
 */
import { nextEntry } from '../../core/audit/chain.js';
import type { AuditEntry, AuditRecord } from '../../core/audit/audit-entry.js';
import { recordStartedAt, type ExecutionRecord } from '../../core/execution/record.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import type { AlertStatus, ComplianceAlert } from '../../core/surveillance/alert.js';
import type { SurveillanceObservation } from '../../core/surveillance/observation.js';
import type { ComplianceAlertStore, SurveillanceActivityStore } from '../../ports/compliance-alerts.js';
import type { ExecutionRecordStore } from '../../ports/execution.js';
import type { AuditLog } from '../../ports/stores.js';
import { tradingDayOf } from './gateway-stores.js';

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
  async recordIfNew(obs: SurveillanceObservation): Promise<boolean> {
    const key = `${obs.at}#${obs.obsId}`;
    if (this.observations.has(key)) return false;
    this.observations.set(key, copy(obs));
    return true;
  }
  async listRange(symbol: string, from: string, to: string): Promise<SurveillanceObservation[]> {
    return [...this.observations.entries()]
      .filter(([, o]) => o.symbol === symbol && o.at >= from && o.at <= to)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => copy(o));
  }
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
