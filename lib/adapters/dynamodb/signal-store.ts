import { SignalSchema, type Signal } from '../../core/signals/signal.js';
import type { SignalRecordOutcome, SignalStore } from '../../ports/signals.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys, tradingDayOf } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of signals in the `state` table (kept here, beside the adapter, until the lead folds
 * it into keys.ts):
 *
 * | record                        | pk                           | sk            | gsi1pk                             | gsi1sk                     |
 * | ----------------------------- | ---------------------------- | ------------- | ---------------------------------- | -------------------------- |
 * | signal                        | `SIGNAL#<signalId>`          | `SIGNAL`      | `SIGNALS#<strategyId>#<day>`       | `<createdAt>#<signalId>`   |
 * | latest of a strategy, symbol  | `SIGNALS#LATEST#<symbol>`    | `<strategyId>`|                                    |                            |
 *
 * `<day>` is the New York trading day of createdAt; `<createdAt>` is normalised to
 * `toISOString()` so it sorts. The latest pointer carries `createdAtMs` for its ordering condition
 * (an ISO string without milliseconds would not compare lexically with one that has them).
 */
export const SignalKeys = {
  signal: (signalId: string) => ({ pk: `SIGNAL#${signalId}`, sk: 'SIGNAL' }),
  signalGsi: (strategyId: string, day: string, createdAt: string, signalId: string) => ({ gsi1pk: signalsOfStrategyGsiPk(strategyId, day), gsi1sk: `${createdAt}#${signalId}` }),
  latest: (symbol: string, strategyId: string) => ({ pk: latestOfSymbolPk(symbol), sk: strategyId }),
} as const;
export const signalsOfStrategyGsiPk = (strategyId: string, day: string) => `SIGNALS#${strategyId}#${day}`;
export const latestOfSymbolPk = (symbol: string) => `SIGNALS#LATEST#${symbol}`;

/** Attributes stored beside a signal that are not part of it. @internal */
const EXTRA_ATTRIBUTES = ['createdAtMs'] as const;

/**
 * Signals, idempotent by signalId (conditional put), plus a per-(symbol, strategy) pointer to the
 * latest one, moved forward only by a conditional write, so out-of-order and concurrent deliveries
 * converge on the same latest signal. A duplicate re-applies the pointer, which repairs a crash
 * between the two writes.
 * @example
 * const signals = new DynamoDbSignalStore(tableRef);
 * await signals.record(signal); // 'recorded' | 'duplicate' | 'conflict'
 */
export class DynamoDbSignalStore implements SignalStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async record(signal: Signal): Promise<SignalRecordOutcome> {
    const record = SignalSchema.parse(signal);
    const createdAt = new Date(record.createdAt).toISOString();
    const isNew = await this.table.put(
      { ...SignalKeys.signal(record.signalId), ...SignalKeys.signalGsi(record.strategyId, tradingDayOf(createdAt), createdAt, record.signalId), ...record },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
    if (!isNew) {
      const stored = await this.get(record.signalId);
      if (stored === undefined || !sameSignal(stored, record)) return 'conflict';
    }
    await this.advanceLatest(record);
    return isNew ? 'recorded' : 'duplicate';
  }

  async get(signalId: string): Promise<Signal | undefined> {
    const item = await this.table.get(SignalKeys.signal(signalId));
    return item === undefined ? undefined : this.parse(item);
  }

  async latestBySymbol(symbol: string): Promise<Signal[]> {
    const items = await this.table.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': latestOfSymbolPk(symbol) }, ConsistentRead: true });
    return items.map((i) => this.parse(i));
  }

  async listByStrategy(strategyId: string, day: string): Promise<Signal[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': signalsOfStrategyGsiPk(strategyId, day) } });
    return items.map((i) => this.parse(i));
  }

  /** Writes the pointer iff absent or older (createdAt, then signalId); losing the condition is fine. */
  private async advanceLatest(signal: Signal): Promise<void> {
    const createdAtMs = Date.parse(signal.createdAt);
    await this.table.put(
      { ...SignalKeys.latest(signal.symbol, signal.strategyId), ...signal, createdAtMs },
      {
        ConditionExpression: 'attribute_not_exists(pk) OR createdAtMs < :ms OR (createdAtMs = :ms AND signalId < :id)',
        ExpressionAttributeValues: { ':ms': createdAtMs, ':id': signal.signalId },
      },
    );
  }

  private parse(item: Record<string, unknown>): Signal {
    const rest = stripKeys(item);
    for (const k of EXTRA_ATTRIBUTES) delete rest[k];
    return parseRecord(SignalSchema, rest, `signal ${String(item['pk'])}/${String(item['sk'])}`);
  }
}

/** Same content, whatever the key order. */
function sameSignal(a: Signal, b: Signal): boolean {
  const canon = (s: Signal) => JSON.stringify(Object.entries(s).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canon(a) === canon(b);
}
