import { isActive, type RiskAlertState, type RiskSnapshot, type RiskStore, type StartOfDay } from '../../ports/risk.js';
import type { Notification, Notifier } from '../../ports/notifier.js';
import type { Position } from '../../core/positions/position.js';
import type { PlannedOrder } from '../../core/risk/reduce.js';
import { syntheticReturns } from '../../core/risk/synthetic-returns.js';
import { RUNBOOK_RISK_ALERTS } from '../../app/risk/policy.js';
import type { ProposedOrderOutcome, ProposeOrdersReason } from '../../app/risk/propose.js';
import type { RiskPolicy } from '../../ports/risk.js';
import { PositionSchema } from '../../core/positions/position.js';

const copy = <T>(v: T): T => structuredClone(v);

/** The risk store in memory, with the port's raise-once and reset-once semantics. */
export class InMemoryRiskStore implements RiskStore {
  snapshot: RiskSnapshot | undefined;
  readonly startOfDay = new Map<string, StartOfDay>();
  readonly alerts = new Map<string, RiskAlertState>();
  snapshotWrites = 0;

  async putSnapshot(snapshot: RiskSnapshot): Promise<void> {
    this.snapshot = copy(snapshot);
    this.snapshotWrites += 1;
  }
  async getSnapshot(): Promise<RiskSnapshot | undefined> {
    return this.snapshot === undefined ? undefined : copy(this.snapshot);
  }
  async putStartOfDayIfAbsent(sod: StartOfDay): Promise<StartOfDay> {
    if (!this.startOfDay.has(sod.day)) this.startOfDay.set(sod.day, copy(sod));
    return copy(this.startOfDay.get(sod.day)!);
  }
  async getAlert(name: string): Promise<RiskAlertState | undefined> {
    const a = this.alerts.get(name);
    return a === undefined ? undefined : copy(a);
  }
  async listAlerts(): Promise<RiskAlertState[]> {
    return [...this.alerts.values()].map(copy);
  }
  async raiseIfInactive(alert: RiskAlertState): Promise<boolean> {
    const current = this.alerts.get(alert.name);
    if (current !== undefined && isActive(current)) return false;
    this.alerts.set(alert.name, copy(alert));
    return true;
  }
  async reset(name: string, r: { resetAt: string; resetBy: string; resetReason: string; forced: boolean; holdUntilClear: boolean }): Promise<RiskAlertState | undefined> {
    const current = this.alerts.get(name);
    if (current === undefined || !isActive(current)) return undefined;
    const next = { ...current, ...r };
    this.alerts.set(name, next);
    return copy(next);
  }
  async rearm(name: string): Promise<void> {
    const current = this.alerts.get(name);
    if (current !== undefined) this.alerts.set(name, { ...current, holdUntilClear: false });
  }
}


export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification): Promise<void> {
    this.sent.push(structuredClone(n));
  }
}

/** Records each proposal and answers with `decide` (default: every order approved). */
export class RecordingProposer {
  readonly calls: Array<{ orders: PlannedOrder[]; reason: ProposeOrdersReason }> = [];
  constructor(private readonly decide: (o: PlannedOrder, i: number) => ProposedOrderOutcome['status'] = () => 'approved') {}
  readonly propose = async (orders: readonly PlannedOrder[], reason: ProposeOrdersReason): Promise<ProposedOrderOutcome[]> => {
    this.calls.push({ orders: structuredClone([...orders]), reason });
    return orders.map((o, i) => {
      const status = this.decide(o, i);
      return { symbol: o.symbol, side: o.side, quantity: o.quantity, status, clientOrderId: `R-${this.calls.length}-${i}`, ...(status === 'denied' ? { reasonCode: 'RISK.MAX_ORDER_QUANTITY', message: 'too big' } : {}) };
    });
  };
}

/** A small synthetic universe: deterministic returns, seeded. */
export const UNIVERSE = ['AAPL', 'MSFT', 'SPY', 'XOM'] as const;
export const testReturns = (symbols: readonly string[]) => syntheticReturns({ symbols: [...UNIVERSE].filter((s) => symbols.includes(s)), days: 300, seed: 42, tailDof: 5 });

export function aPosition(symbol: string, quantity: number, price: string, overrides: Partial<Position> = {}): Position {
  return PositionSchema.parse({ account: 'DU1', symbol, quantity, avgCost: price, currency: 'USD', marketPrice: price, realizedPnl: '0', updatedAt: '2026-11-27T14:00:00.000Z', ...overrides });
}

export function aPolicy(overrides: Partial<RiskPolicy> = {}): RiskPolicy {
  return { varLimit: '1000000', dailyLossLimit: '10000', maxLeverage: '2', confidence: 0.99, window: 250, alerts: RUNBOOK_RISK_ALERTS.map((a) => ({ ...a, notify: [...a.notify] })), ...overrides };
}
