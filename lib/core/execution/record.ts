import { z } from 'zod';
import type { Fill } from '../fills/fill.js';
import type { OrderDenied, OrderRejected, OrderStatusReport, OrderSubmitted } from '../events/gateway-events.js';
import { DecimalStringSchema, PositiveDecimalStringSchema } from '../money/decimal-string.js';
import { cmp, parseDecimal } from '../money/fixed.js';
import { OrderSideSchema, OrderStatusSchema, OrderTypeSchema, type Order, type OrderStatus } from '../orders/order.js';
import { AccountIdSchema, BrokerOrderIdSchema, ClientOrderIdSchema, ExecIdSchema, IsoTimestampSchema, SymbolSchema, type ClientOrderId } from '../shared/ids.js';
import { WrongOrderError } from './errors.js';

/**
 * The execution agent's record of one order: a set of facts gathered from the gateway's events,
 * merged so that the record depends only on WHICH facts were seen, never on their order or on how
 * often each was delivered (a join-semilattice: every merge is commutative, associative and
 * idempotent). Everything an order's execution quality needs is derived from it (`view.ts`).
 *
 * Ownership — the bridge (`fargate/gateway`) owns the order's status, filledQuantity,
 * avgFillPrice and filledNotional in the OrderStore, and the fills with their commissions in the
 * FillStore. The execution agent never writes those: it owns this record (its own partition),
 * the per-fill bookkeeping inside it and the execution-quality figures derived from it.
 *
 * Merge rules, per field:
 * - `order` (immutable facts of the proposed order: arrival price, strategy), `submitted`,
 *   `rejected`, `denied`: one value each; of two different deliveries the earliest (`at`, then
 *   canonical JSON) wins, so the pick does not depend on arrival order.
 * - `fills`: a set keyed by execId (a redelivered execId is the same execution).
 * - `commissions`: keyed by execId; of two different amounts the larger is kept (conservative).
 * - `statusesSeen`: a set; `brokerFilled` the maximum reported; `lastStatusAt` the latest.
 * @example
 * { clientOrderId: 'CO-20261126-000001', fills: [{ execId: 'E1', quantity: 10, price: '187.21', ... }], commissions: [], statusesSeen: ['ACCEPTED'], brokerFilled: 10, version: 2 }
 */
export const ExecutionRecordSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  order: z.strictObject({
    symbol: SymbolSchema,
    side: OrderSideSchema,
    quantity: z.number().int().positive(),
    type: OrderTypeSchema,
    limitPrice: PositiveDecimalStringSchema.optional(),
    account: AccountIdSchema.optional(),
    strategyId: z.string().min(1).optional(),
    arrivalPrice: DecimalStringSchema.optional(),
    /** When the order was proposed: the arrival time its arrival price belongs to. */
    at: IsoTimestampSchema,
  }).optional(),
  submitted: z.strictObject({
    brokerOrderId: BrokerOrderIdSchema,
    account: AccountIdSchema.optional(),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    quantity: z.number().int().positive(),
    type: OrderTypeSchema,
    limitPrice: PositiveDecimalStringSchema.optional(),
    at: IsoTimestampSchema,
  }).optional(),
  /** Sorted by execId. */
  fills: z.array(z.strictObject({
    execId: ExecIdSchema,
    brokerOrderId: BrokerOrderIdSchema,
    symbol: SymbolSchema,
    side: OrderSideSchema,
    quantity: z.number().int().positive(),
    price: PositiveDecimalStringSchema,
    executedAt: IsoTimestampSchema,
  })),
  /** Sorted by execId; may name an execution not (yet) in `fills`. */
  commissions: z.array(z.strictObject({ execId: ExecIdSchema, commission: DecimalStringSchema })),
  /** Sorted, unique. */
  statusesSeen: z.array(OrderStatusSchema),
  brokerFilled: z.number().int().nonnegative(),
  lastStatusAt: IsoTimestampSchema.optional(),
  rejected: z.strictObject({ at: IsoTimestampSchema, code: z.number().int(), message: z.string() }).optional(),
  denied: z.strictObject({ at: IsoTimestampSchema, reasonCode: z.string().min(1), deniedBy: z.enum(['final-gate', 'pre-trade']) }).optional(),
  /** Store version for conditional writes; not part of the merged facts. */
  version: z.number().int().nonnegative(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecordSchema>;
export type ExecutionFill = ExecutionRecord['fills'][number];

/**
 * One thing the execution agent learned about an order, from one event. `at` is the event's
 * `tsEvent` (when it happened), not when it was delivered.
 */
export type ExecutionFact =
  | { kind: 'order'; order: Order }
  | { kind: 'submitted'; detail: OrderSubmitted; at: string }
  | { kind: 'status'; detail: OrderStatusReport; at: string }
  | { kind: 'fill'; fill: Fill }
  | { kind: 'commission'; clientOrderId: ClientOrderId; execId: string; commission: string }
  | { kind: 'rejected'; detail: OrderRejected; at: string }
  | { kind: 'denied'; detail: OrderDenied; at: string };

/** The clientOrderId a fact is about; `undefined` when the event does not carry one (EXTERNAL). */
export function factOrderId(fact: ExecutionFact): ClientOrderId | undefined {
  switch (fact.kind) {
    case 'order': return fact.order.clientOrderId;
    case 'fill': return fact.fill.clientOrderId;
    case 'commission': return fact.clientOrderId;
    default: return fact.detail.clientOrderId;
  }
}

/** A record with no facts yet (version 0: not stored). */
export function emptyExecutionRecord(clientOrderId: ClientOrderId): ExecutionRecord {
  return { clientOrderId, fills: [], commissions: [], statusesSeen: [], brokerFilled: 0, version: 0 };
}

/**
 * Merges one fact into the record. Pure; returns the merged record and whether it differs (a
 * duplicate, or a fact the record already implies, gives `changed: false` and the same object).
 * @throws WrongOrderError `EXECUTION.WRONG_ORDER` if the fact names another clientOrderId
 * @example
 * const { record, changed } = applyExecutionFact(current ?? emptyExecutionRecord(id), { kind: 'fill', fill });
 * if (changed) await store.put(record);
 */
export function applyExecutionFact(record: ExecutionRecord, fact: ExecutionFact): { record: ExecutionRecord; changed: boolean } {
  const id = factOrderId(fact);
  if (id !== undefined && id !== record.clientOrderId) throw new WrongOrderError(record.clientOrderId, id);
  const next = merge(record, fact);
  const changed = canonical(next) !== canonical(record);
  return changed ? { record: next, changed } : { record, changed };
}

/** Applies many facts (any order) to an empty record: the reference fold used by tests and replays. */
export function foldExecutionFacts(clientOrderId: ClientOrderId, facts: Iterable<ExecutionFact>): ExecutionRecord {
  let r = emptyExecutionRecord(clientOrderId);
  for (const f of facts) r = applyExecutionFact(r, f).record;
  return r;
}

function merge(r: ExecutionRecord, fact: ExecutionFact): ExecutionRecord {
  switch (fact.kind) {
    case 'order': {
      const o = fact.order;
      const value: NonNullable<ExecutionRecord['order']> = strip({
        symbol: o.symbol, side: o.side, quantity: o.quantity, type: o.type, limitPrice: o.limitPrice, account: o.account,
        strategyId: o.origin?.strategyId, arrivalPrice: o.arrivalPrice, at: o.createdAt,
      });
      return { ...r, order: earliest(r.order, value) };
    }
    case 'submitted': {
      const d = fact.detail;
      const value: NonNullable<ExecutionRecord['submitted']> = strip({ brokerOrderId: d.brokerOrderId, account: d.account, symbol: d.symbol, side: d.side, quantity: d.quantity, type: d.type, limitPrice: d.limitPrice, at: fact.at });
      return { ...r, submitted: earliest(r.submitted, value) };
    }
    case 'status': {
      const d = fact.detail;
      const statuses = r.statusesSeen.includes(d.status) ? r.statusesSeen : [...r.statusesSeen, d.status].sort();
      return { ...r, statusesSeen: statuses, brokerFilled: Math.max(r.brokerFilled, d.filled), lastStatusAt: r.lastStatusAt === undefined || fact.at > r.lastStatusAt ? fact.at : r.lastStatusAt };
    }
    case 'fill': {
      const f = fact.fill;
      if (r.fills.some((x) => x.execId === f.execId)) return r;
      const value: ExecutionFill = { execId: f.execId, brokerOrderId: f.brokerOrderId, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, executedAt: f.executedAt };
      const fills = [...r.fills, value].sort((a, b) => compareStr(a.execId, b.execId));
      // a FillReport may already carry the commission (a redelivery after the CommissionReport)
      const withCommission = f.commission === undefined ? { ...r, fills } : { ...r, fills, commissions: mergeCommission(r.commissions, f.execId, f.commission) };
      return withCommission;
    }
    case 'commission':
      return { ...r, commissions: mergeCommission(r.commissions, fact.execId, fact.commission) };
    case 'rejected': {
      const d = fact.detail;
      return { ...r, rejected: earliest(r.rejected, { at: fact.at, code: d.code, message: d.message }) };
    }
    case 'denied': {
      const d = fact.detail;
      return { ...r, denied: earliest(r.denied, { at: fact.at, reasonCode: d.reasonCode, deniedBy: d.deniedBy }) };
    }
  }
}

function mergeCommission(list: ExecutionRecord['commissions'], execId: string, commission: string): ExecutionRecord['commissions'] {
  const existing = list.find((c) => c.execId === execId);
  if (existing !== undefined) {
    if (cmp(parseDecimal(commission), parseDecimal(existing.commission)) <= 0) return list;
    return list.map((c) => (c.execId === execId ? { execId: c.execId, commission } : c));
  }
  return [...list, { execId: execId as ExecutionFill['execId'], commission }].sort((a, b) => compareStr(a.execId, b.execId));
}

/** The earlier of two values by `at`, then by canonical JSON: a total order, so the pick is commutative. */
function earliest<T extends { at: string }>(current: T | undefined, candidate: T): T {
  if (current === undefined) return candidate;
  if (candidate.at !== current.at) return candidate.at < current.at ? candidate : current;
  return canonical(candidate) < canonical(current) ? candidate : current;
}

/** Drops undefined fields so that records compare and store the same way. */
function strip<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

const compareStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * JSON with sorted keys and without `version` and undefined fields: two records with the same facts
 * give the same string. @internal
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'version') return undefined;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => compareStr(a, b)));
    }
    return v;
  });
}

/** The statuses the record has seen, as a set (for callers that test membership). */
export const hasSeenStatus = (r: ExecutionRecord, s: OrderStatus): boolean => r.statusesSeen.includes(s);

/**
 * When the order's story starts as far as the record knows: the earliest time among its facts
 * (proposal, submission, first fill, rejection, denial). Stores index records by its trading day.
 */
export function recordStartedAt(r: ExecutionRecord): string | undefined {
  const times = [r.order?.at, r.submitted?.at, r.rejected?.at, r.denied?.at, ...r.fills.map((f) => f.executedAt)].filter((t): t is string => t !== undefined);
  return times.length === 0 ? undefined : times.reduce((m, t) => (t < m ? t : m));
}
