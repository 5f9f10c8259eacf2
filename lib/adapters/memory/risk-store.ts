import { isActive, RiskAlertStateSchema, RiskSnapshotSchema, StartOfDaySchema, type RiskAlertState, type RiskSnapshot, type RiskStore, type StartOfDay } from '../../ports/risk.js';
import { bySortKey, copy } from './copy.js';

/** The risk store in memory, with the port's raise-once and reset-once semantics. */
export class InMemoryRiskStore implements RiskStore {
  private snapshot: RiskSnapshot | undefined;
  private readonly startOfDay = new Map<string, StartOfDay>();
  private readonly alerts = new Map<string, RiskAlertState>();

  async putSnapshot(snapshot: RiskSnapshot): Promise<void> {
    this.snapshot = RiskSnapshotSchema.parse(snapshot);
  }
  async getSnapshot(): Promise<RiskSnapshot | undefined> {
    return copy(this.snapshot);
  }
  /** First writer wins; the stored one is returned. */
  async putStartOfDayIfAbsent(sod: StartOfDay): Promise<StartOfDay> {
    const record = StartOfDaySchema.parse(sod);
    if (!this.startOfDay.has(record.day)) this.startOfDay.set(record.day, record);
    return copy(this.startOfDay.get(record.day)!);
  }
  async getAlert(name: string): Promise<RiskAlertState | undefined> {
    return copy(this.alerts.get(name));
  }
  /** By name, as the DynamoDB partition's sort key. */
  async listAlerts(): Promise<RiskAlertState[]> {
    return bySortKey(this.alerts.values(), (a) => a.name).map(copy);
  }
  async raiseIfInactive(alert: RiskAlertState): Promise<boolean> {
    const record = RiskAlertStateSchema.parse(alert);
    const current = this.alerts.get(record.name);
    if (current !== undefined && isActive(current)) return false;
    this.alerts.set(record.name, record);
    return true;
  }
  async reset(name: string, r: { resetAt: string; resetBy: string; resetReason: string; forced: boolean; holdUntilClear: boolean }): Promise<RiskAlertState | undefined> {
    const current = this.alerts.get(name);
    if (current === undefined || !isActive(current)) return undefined;
    const next = RiskAlertStateSchema.parse({ ...current, resetAt: r.resetAt, resetBy: r.resetBy, resetReason: r.resetReason, forced: r.forced, holdUntilClear: r.holdUntilClear });
    this.alerts.set(name, next);
    return copy(next);
  }
  async rearm(name: string): Promise<void> {
    const current = this.alerts.get(name);
    if (current !== undefined) this.alerts.set(name, { ...current, holdUntilClear: false });
  }
}
