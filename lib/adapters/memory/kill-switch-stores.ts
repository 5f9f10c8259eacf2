/** Incidents and the kill switch's records in process memory, with the DynamoDB adapters' contracts. */
import { CancelVerificationSchema, KillSwitchActivationSchema, type CancelVerification, type KillSwitchActivation } from '../../core/kill-switch/activation.js';
import { StrategyHaltSchema, type StrategyHalt } from '../../core/kill-switch/halts.js';
import { IncidentSchema, IncidentTimelineEntrySchema, type Incident, type IncidentTimelineEntry } from '../../core/kill-switch/incident.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';
import { bySortKey, copy } from './copy.js';

/** Incidents by id, the open ones also in a set (the DynamoDB adapter's sparse open-incidents index). */
export class InMemoryIncidentStore implements IncidentStore {
  private readonly items = new Map<string, Incident>();
  private readonly open_ = new Set<string>();

  /** The stored incidents (read-only view, for diagnostics and tests). */
  get byId(): ReadonlyMap<string, Incident> {
    return this.items;
  }

  async open(incident: Incident): Promise<Incident> {
    const record = IncidentSchema.parse(incident);
    if (this.items.has(record.id)) throw new ConcurrencyError('INCIDENT.DUPLICATE', `incident ${record.id} exists already`, { details: { id: record.id } });
    this.items.set(record.id, record);
    if (record.status === 'open') this.open_.add(record.id);
    return copy(record);
  }

  async get(id: string): Promise<Incident | undefined> {
    return copy(this.items.get(id));
  }

  /** Oldest first (openedAt, then id), as the open-incidents index. */
  async listOpen(): Promise<Incident[]> {
    return bySortKey([...this.open_].map((id) => this.items.get(id)!), (i) => `${i.openedAt}#${i.id}`).map(copy);
  }

  async appendTimeline(id: string, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const line = IncidentTimelineEntrySchema.parse(entry);
    const current = this.items.get(id);
    if (current === undefined) return undefined;
    const next = { ...current, timeline: [...current.timeline, line] };
    this.items.set(id, next);
    return copy(next);
  }

  async resolve(id: string, r: { resolvedBy: string; resolvedAt: string; resolution: string }, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const line = IncidentTimelineEntrySchema.parse(entry);
    const current = this.items.get(id);
    if (current === undefined || current.status !== 'open') return undefined;
    const next = IncidentSchema.parse({ ...current, status: 'resolved', resolvedBy: r.resolvedBy, resolvedAt: r.resolvedAt, resolution: r.resolution, timeline: [...current.timeline, line] });
    this.items.set(id, next);
    this.open_.delete(id);
    return copy(next);
  }
}

export class InMemoryKillSwitchStore implements KillSwitchStore {
  private readonly items = new Map<string, StrategyHalt>();
  private activation: KillSwitchActivation | undefined;
  private verification: CancelVerification | undefined;

  /** The halted strategies (read-only view, for diagnostics and tests). */
  get halts(): ReadonlyMap<string, StrategyHalt> {
    return this.items;
  }

  async haltStrategy(halt: StrategyHalt): Promise<boolean> {
    const record = StrategyHaltSchema.parse(halt);
    if (this.items.has(record.strategyId)) return false;
    this.items.set(record.strategyId, record);
    return true;
  }
  async getStrategyHalt(strategyId: string): Promise<StrategyHalt | undefined> {
    return copy(this.items.get(strategyId));
  }
  /** By strategy id, as the DynamoDB partition's sort key. */
  async listStrategyHalts(): Promise<StrategyHalt[]> {
    return bySortKey(this.items.values(), (h) => h.strategyId).map(copy);
  }
  async resumeStrategy(strategyId: string): Promise<StrategyHalt | undefined> {
    const h = this.items.get(strategyId);
    this.items.delete(strategyId);
    return copy(h);
  }
  async putActivation(activation: KillSwitchActivation): Promise<void> {
    this.activation = KillSwitchActivationSchema.parse(activation);
  }
  async getActivation(): Promise<KillSwitchActivation | undefined> {
    return copy(this.activation);
  }
  async putCancelVerification(v: CancelVerification): Promise<void> {
    this.verification = CancelVerificationSchema.parse(v);
  }
  async getCancelVerification(): Promise<CancelVerification | undefined> {
    return copy(this.verification);
  }
}
