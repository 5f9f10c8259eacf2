/**
 * SignalStore in process memory with the port's contract (idempotent by signalId, latest per
 * symbol/strategy by createdAt then signalId), as the DynamoDB adapter keeps it.
 */
import { isNewer } from '../../core/signals/lifetime.js';
import { SignalSchema, type Signal } from '../../core/signals/signal.js';
import type { SignalRecordOutcome, SignalStore } from '../../ports/signals.js';
import { bySortKey, copy } from './copy.js';
import { dayOf } from './trading-day.js';
import { addToIndex } from './index-map.js';

export class InMemorySignalStore implements SignalStore {
  private readonly items = new Map<string, Signal>();
  /** symbol → strategyId → the latest signal. */
  private readonly latest = new Map<string, Map<string, Signal>>();
  /** `<strategyId>#<day>` → signalIds (the DynamoDB adapter's GSI partition). */
  private readonly byStrategyDay = new Map<string, Set<string>>();

  /** The stored signals (read-only view, for diagnostics and tests). */
  get signals(): ReadonlyMap<string, Signal> {
    return this.items;
  }

  async record(signal: Signal): Promise<SignalRecordOutcome> {
    const record = SignalSchema.parse(signal);
    const known = this.items.get(record.signalId);
    if (known !== undefined && !sameSignal(known, record)) return 'conflict';
    if (known === undefined) {
      this.items.set(record.signalId, record);
      addToIndex(this.byStrategyDay, `${record.strategyId}#${dayOf(new Date(record.createdAt).toISOString())}`, record.signalId);
    }
    let ofSymbol = this.latest.get(record.symbol);
    if (ofSymbol === undefined) this.latest.set(record.symbol, (ofSymbol = new Map()));
    const current = ofSymbol.get(record.strategyId);
    if (current === undefined || isNewer(record, current)) ofSymbol.set(record.strategyId, record);
    return known === undefined ? 'recorded' : 'duplicate';
  }

  async get(signalId: string): Promise<Signal | undefined> {
    return copy(this.items.get(signalId));
  }

  /** By strategy id, as the latest-pointer partition's sort key. */
  async latestBySymbol(symbol: string): Promise<Signal[]> {
    return bySortKey(this.latest.get(symbol)?.values() ?? [], (s) => s.strategyId).map(copy);
  }

  /** Oldest first (createdAt, then signalId), as the GSI partition. */
  async listByStrategy(strategyId: string, day: string): Promise<Signal[]> {
    const ids = this.byStrategyDay.get(`${strategyId}#${day}`) ?? [];
    return bySortKey([...ids].map((id) => this.items.get(id)!), (s) => `${new Date(s.createdAt).toISOString()}#${s.signalId}`).map(copy);
  }
}

/** Same content, whatever the key order (as the DynamoDB adapter compares a redelivery). */
function sameSignal(a: Signal, b: Signal): boolean {
  const canon = (s: Signal) => JSON.stringify(Object.entries(s).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canon(a) === canon(b);
}
