import { z } from 'zod';
import { OrderStatusSchema } from '../orders/order.js';
import { IsoTimestampSchema } from '../shared/ids.js';

/**
 * What the bridge found when it compared its books with the broker's (after a login, after IB's
 * 1101/1102 "restored", or on an operator's request), published as `BrokerReconciled`.
 *
 * ALIGNED means, after the bridge has applied everything the broker reported (open orders,
 * the day's executions deduplicated by execId, the position snapshot):
 * 1. every order the broker has working is one of ours or has been adopted as EXTERNAL;
 * 2. every order we thought working either is working at the broker or has been resolved to the
 *    broker's truth (filled by the replayed executions, or CANCELLED as "not open at the broker");
 * 3. per account and symbol, the broker's position equals our ledger: the broker's position at the
 *    last aligned reconciliation plus every fill recorded since (ours and external). A fill the
 *    broker has but we never received shows up here, as does a position changed behind our back.
 * A difference left after that (and after one settle-and-recheck) is NOT aligned: trading stays
 * halted until a person resolves it and asks again.
 * @example
 * { sessionId: 3, trigger: 'restored', aligned: false, differences: [{ kind: 'position', account: 'DU1', symbol: 'AAPL', ours: '10', broker: '20', message: 'broker holds 10 more AAPL than our fills explain' }], adoptedExternal: ['EXT-1000012'], resolvedOrders: [], fillsRecovered: 1, openOrders: 2, brokerPositions: [{ account: 'DU1', symbol: 'AAPL', quantity: 20 }], positionsBaseline: 'ledger', reconciledAt: '2026-11-26T14:31:00.000Z' }
 */
export const ReconciliationDifferenceSchema = z.strictObject({
  kind: z.enum(['position', 'order']),
  account: z.string().optional(),
  symbol: z.string().optional(),
  clientOrderId: z.string().optional(),
  /** What our books say (a quantity or a status). */
  ours: z.string(),
  /** What the broker says. */
  broker: z.string(),
  message: z.string().min(1),
});
export type ReconciliationDifference = z.infer<typeof ReconciliationDifferenceSchema>;

export const ReconcileTriggerSchema = z.enum(['login', 'restored', 'request']);
export type ReconcileTrigger = z.infer<typeof ReconcileTriggerSchema>;

export const BrokerReconciledSchema = z.strictObject({
  /** The bridge's broker session the reconciliation ran in. */
  sessionId: z.number().int().nonnegative(),
  trigger: ReconcileTriggerSchema,
  /** Who asked (trigger `request`): the operator behind `POST /api/broker/reconcile`. */
  requestedBy: z.string().optional(),
  aligned: z.boolean(),
  differences: z.array(ReconciliationDifferenceSchema),
  /** clientOrderIds (`EXT-<permId>`) of broker orders adopted as EXTERNAL in this run. */
  adoptedExternal: z.array(z.string()),
  /** Orders of ours moved to the broker's truth in this run. */
  resolvedOrders: z.array(z.strictObject({ clientOrderId: z.string(), from: OrderStatusSchema, to: OrderStatusSchema, reason: z.string() })),
  /** Executions first recorded during this run: fills that happened while we were away. */
  fillsRecovered: z.number().int().nonnegative(),
  /** Orders working at the broker (all clients). */
  openOrders: z.number().int().nonnegative(),
  /** The broker's position report the comparison used (non-zero positions). */
  brokerPositions: z.array(z.strictObject({ account: z.string(), symbol: z.string(), quantity: z.number().int() })),
  /**
   * `ledger`: compared with our fills since the last aligned run; `first-session`: the process's
   * first run takes the broker's positions as its baseline (nothing to compare with yet);
   * `accepted`: an operator asked to accept the broker's positions.
   */
  positionsBaseline: z.enum(['ledger', 'first-session', 'accepted']),
  reconciledAt: IsoTimestampSchema,
});
export type BrokerReconciled = z.infer<typeof BrokerReconciledSchema>;

const key = (account: string, symbol: string): string => `${account}|${symbol}`;

/**
 * Net position per account and symbol implied by a baseline plus the fills recorded since.
 * @example
 * const l = new PositionLedger(); l.rebase([{ account: 'DU1', symbol: 'AAPL', quantity: 10 }]);
 * l.apply({ account: 'DU1', symbol: 'AAPL', side: 'SELL', quantity: 4 }); l.quantity('DU1', 'AAPL') // 6
 */
export class PositionLedger {
  private readonly book = new Map<string, number>();

  rebase(positions: ReadonlyArray<{ account: string; symbol: string; quantity: number }>): void {
    this.book.clear();
    for (const p of positions) if (p.quantity !== 0) this.book.set(key(p.account, p.symbol), p.quantity);
  }

  apply(fill: { account: string; symbol: string; side: 'BUY' | 'SELL'; quantity: number }): void {
    const k = key(fill.account, fill.symbol);
    const next = (this.book.get(k) ?? 0) + (fill.side === 'BUY' ? fill.quantity : -fill.quantity);
    if (next === 0) this.book.delete(k);
    else this.book.set(k, next);
  }

  quantity(account: string, symbol: string): number {
    return this.book.get(key(account, symbol)) ?? 0;
  }

  entries(): Array<{ account: string; symbol: string; quantity: number }> {
    return [...this.book].map(([k, quantity]) => {
      const [account = '', symbol = ''] = k.split('|');
      return { account, symbol, quantity };
    });
  }
}

/**
 * Differences between the ledger and the broker's positions, one per account and symbol that
 * disagree, sorted for stable output.
 * @example
 * comparePositions(ledger, [{ account: 'DU1', symbol: 'AAPL', quantity: 20 }]) // [{ kind: 'position', ours: '10', broker: '20', … }]
 */
export function comparePositions(ledger: PositionLedger, broker: ReadonlyArray<{ account: string; symbol: string; quantity: number }>): ReconciliationDifference[] {
  const brokerBook = new Map(broker.filter((p) => p.quantity !== 0).map((p) => [key(p.account, p.symbol), p]));
  const keys = new Set([...brokerBook.keys(), ...ledger.entries().map((e) => key(e.account, e.symbol))]);
  const out: ReconciliationDifference[] = [];
  for (const k of [...keys].sort()) {
    const [account = '', symbol = ''] = k.split('|');
    const ours = ledger.quantity(account, symbol);
    const theirs = brokerBook.get(k)?.quantity ?? 0;
    if (ours === theirs) continue;
    const delta = theirs - ours;
    out.push({ kind: 'position', account, symbol, ours: String(ours), broker: String(theirs), message: `broker holds ${Math.abs(delta)} ${delta > 0 ? 'more' : 'fewer'} ${symbol} in ${account} than our fills explain (ours ${ours}, broker ${theirs})` });
  }
  return out;
}
