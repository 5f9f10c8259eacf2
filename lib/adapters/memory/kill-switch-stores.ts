import type { CancelVerification, KillSwitchActivation } from '../../core/kill-switch/activation.js';
import type { StrategyHalt } from '../../core/kill-switch/halts.js';
import type { Incident, IncidentTimelineEntry } from '../../core/kill-switch/incident.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';

export class InMemoryIncidentStore implements IncidentStore {
  readonly byId = new Map<string, Incident>();
  async open(incident: Incident): Promise<Incident> {
    if (this.byId.has(incident.id)) throw new ConcurrencyError('INCIDENT.DUPLICATE', `incident ${incident.id} exists already`);
    this.byId.set(incident.id, structuredClone(incident));
    return structuredClone(incident);
  }
  async get(id: string): Promise<Incident | undefined> {
    const i = this.byId.get(id);
    return i === undefined ? undefined : structuredClone(i);
  }
  async listOpen(): Promise<Incident[]> {
    return [...this.byId.values()].filter((i) => i.status === 'open').sort((a, b) => a.openedAt.localeCompare(b.openedAt)).map((i) => structuredClone(i));
  }
  async appendTimeline(id: string, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const i = this.byId.get(id);
    if (i === undefined) return undefined;
    i.timeline.push(structuredClone(entry));
    return structuredClone(i);
  }
  async resolve(id: string, r: { resolvedBy: string; resolvedAt: string; resolution: string }, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const i = this.byId.get(id);
    if (i === undefined || i.status !== 'open') return undefined;
    Object.assign(i, { status: 'resolved', ...r });
    i.timeline.push(structuredClone(entry));
    return structuredClone(i);
  }
}

export class InMemoryKillSwitchStore implements KillSwitchStore {
  readonly halts = new Map<string, StrategyHalt>();
  activation: KillSwitchActivation | undefined;
  verification: CancelVerification | undefined;
  async haltStrategy(halt: StrategyHalt): Promise<boolean> {
    if (this.halts.has(halt.strategyId)) return false;
    this.halts.set(halt.strategyId, structuredClone(halt));
    return true;
  }
  async getStrategyHalt(strategyId: string): Promise<StrategyHalt | undefined> {
    return this.halts.get(strategyId);
  }
  async listStrategyHalts(): Promise<StrategyHalt[]> {
    return [...this.halts.values()];
  }
  async resumeStrategy(strategyId: string): Promise<StrategyHalt | undefined> {
    const h = this.halts.get(strategyId);
    this.halts.delete(strategyId);
    return h;
  }
  async putActivation(activation: KillSwitchActivation): Promise<void> {
    this.activation = structuredClone(activation);
  }
  async getActivation(): Promise<KillSwitchActivation | undefined> {
    return this.activation;
  }
  async putCancelVerification(v: CancelVerification): Promise<void> {
    this.verification = structuredClone(v);
  }
  async getCancelVerification(): Promise<CancelVerification | undefined> {
    return this.verification;
  }
}
