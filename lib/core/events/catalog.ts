import type { z } from 'zod';
import { ValidationError, err, ok, type Result } from '../shared/errors.js';
import { EventEnvelopeSchema, type EventEnvelope } from './envelope.js';
import {
  AccountSummaryReportSchema, BrokerConnectionChangedSchema, BrokerNoticeSchema, CommissionReportSchema, FillReportSchema, GatewayHeartbeatSchema,
  MarketSnapshotReportSchema, PriceHistoryReportSchema, OrderDeniedSchema, OrderRejectedSchema, OrderStatusReportSchema, OrderSubmittedSchema, PositionReportSchema,
} from './gateway-events.js';
import { RiskCycleRequestedSchema, TradingStateChangedSchema, RiskMetricsComputedSchema } from './system-events.js';
import { OrderApprovedSchema, OrderProposedSchema, SignalReceivedSchema } from './trading-events.js';
import { ComplianceAlertRaisedSchema, ComplianceAlertUpdatedSchema, ExecutionQualityUpdatedSchema } from './surveillance-events.js';
// broker resilience (issue 4)
import { BrokerReconciledSchema } from '../broker/reconciliation.js';
// kill switch: the bridge's verified global cancel
import { GlobalCancelIncompleteSchema, GlobalCancelVerifiedSchema } from './kill-switch-events.js';
import { deepFreeze } from '../shared/deep-freeze.js';

/** Event sources: EventBridge `source`, also the first half of every rule. */
export const EventSource = {
  GATEWAY: 'tradeops.gateway',
  SYSTEM: 'tradeops.system',
  TRADING: 'tradeops.trading',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** @internal the catalog as a map, so that types can be derived per detail type */
const DEFINITIONS = {
  BrokerConnectionChanged: { source: EventSource.GATEWAY, schema: BrokerConnectionChangedSchema },
  BrokerNotice: { source: EventSource.GATEWAY, schema: BrokerNoticeSchema },
  OrderSubmitted: { source: EventSource.GATEWAY, schema: OrderSubmittedSchema },
  OrderDenied: { source: EventSource.GATEWAY, schema: OrderDeniedSchema },
  OrderRejected: { source: EventSource.GATEWAY, schema: OrderRejectedSchema },
  OrderStatusReport: { source: EventSource.GATEWAY, schema: OrderStatusReportSchema },
  FillReport: { source: EventSource.GATEWAY, schema: FillReportSchema },
  CommissionReport: { source: EventSource.GATEWAY, schema: CommissionReportSchema },
  PositionReport: { source: EventSource.GATEWAY, schema: PositionReportSchema },
  AccountSummaryReport: { source: EventSource.GATEWAY, schema: AccountSummaryReportSchema },
  MarketSnapshotReport: { source: EventSource.GATEWAY, schema: MarketSnapshotReportSchema },
  PriceHistoryReport: { source: EventSource.GATEWAY, schema: PriceHistoryReportSchema },
  GatewayHeartbeat: { source: EventSource.GATEWAY, schema: GatewayHeartbeatSchema },
  TradingStateChanged: { source: EventSource.SYSTEM, schema: TradingStateChangedSchema },
  RiskCycleRequested: { source: EventSource.SYSTEM, schema: RiskCycleRequestedSchema },
  SignalReceived: { source: EventSource.TRADING, schema: SignalReceivedSchema },
  OrderProposed: { source: EventSource.TRADING, schema: OrderProposedSchema },
  OrderApproved: { source: EventSource.TRADING, schema: OrderApprovedSchema },
  ExecutionQualityUpdated: { source: EventSource.TRADING, schema: ExecutionQualityUpdatedSchema },
  RiskMetricsComputed: { source: EventSource.TRADING, schema: RiskMetricsComputedSchema },
  ComplianceAlertRaised: { source: EventSource.TRADING, schema: ComplianceAlertRaisedSchema },
  ComplianceAlertUpdated: { source: EventSource.TRADING, schema: ComplianceAlertUpdatedSchema },
  // broker resilience (issue 4): the bridge's reconciliation result
  BrokerReconciled: { source: EventSource.GATEWAY, schema: BrokerReconciledSchema },
  // kill switch: the bridge's verified global cancel
  GlobalCancelVerified: { source: EventSource.GATEWAY, schema: GlobalCancelVerifiedSchema },
  GlobalCancelIncomplete: { source: EventSource.GATEWAY, schema: GlobalCancelIncompleteSchema },
} as const satisfies Record<string, { source: EventSource; schema: z.ZodType }>;

type Definitions = typeof DEFINITIONS;
/** Every detail type in the catalog, e.g. `'FillReport'`. */
export type DetailType = keyof Definitions;
/** The validated detail of an event type (branded ids included). */
export type EventDetail<K extends DetailType> = z.output<Definitions[K]['schema']>;
/** What a publisher may pass as the detail (plain strings where the output has branded ids). */
export type EventDetailInput<K extends DetailType> = z.input<Definitions[K]['schema']>;
/** The source an event type is published from. */
export type SourceOf<K extends DetailType> = Definitions[K]['source'];

/** An envelope whose detail type, source and detail are known. */
export type TypedEvent<K extends DetailType> = Omit<EventEnvelope<EventDetail<K>>, 'source' | 'detailType'> & { source: SourceOf<K>; detailType: K };
/** Any catalogued event; narrow it with `switch (e.detailType)`. */
export type AnyEvent = { [K in DetailType]: TypedEvent<K> }[DetailType];

/** One catalog entry. */
export interface CatalogEntry<K extends DetailType = DetailType> {
  readonly source: SourceOf<K>;
  readonly detailType: K;
  readonly schema: Definitions[K]['schema'];
}

/**
 * THE event catalog: every event on the bus with its source and strict zod schema. The CDK rules,
 * the local bus, publishers (`createEvent`) and consumers (`parseEvent`) all derive from it.
 * @example
 * EVENT_CATALOG.filter((e) => e.source === 'tradeops.gateway').map((e) => e.detailType)
 */
export const EVENT_CATALOG: readonly CatalogEntry[] = Object.freeze(
  (Object.keys(DEFINITIONS) as DetailType[]).map((detailType) => Object.freeze({ detailType, source: DEFINITIONS[detailType].source, schema: DEFINITIONS[detailType].schema }) as CatalogEntry),
);

export const DETAIL_TYPES: readonly DetailType[] = Object.freeze(Object.keys(DEFINITIONS) as DetailType[]);

export const isDetailType = (s: unknown): s is DetailType => typeof s === 'string' && Object.hasOwn(DEFINITIONS, s);

/** The catalog entry of a detail type. */
export function catalogEntry<K extends DetailType>(detailType: K): CatalogEntry<K> {
  return { detailType, source: DEFINITIONS[detailType].source, schema: DEFINITIONS[detailType].schema };
}

// --- event bus operations (issue 4): what `POST /api/eventbus/clear_stale` may drop ---
/**
 * Detail types an operator may drop from a consumer's backlog once stale: market data and
 * liveness beats, each superseded by the next one, so a late copy is worth nothing and a backlog
 * of them only delays what matters. Orders, fills, commissions, positions, trading state, signals,
 * alerts — anything the audit chain, reconciliation or a regulator needs — are NEVER droppable;
 * a type is non-droppable unless listed here (test/core/events/droppable.test.ts checks the whole
 * catalog). What is dropped is archived first.
 */
export const DROPPABLE_WHEN_STALE: ReadonlySet<DetailType> = new Set<DetailType>(['MarketSnapshotReport', 'GatewayHeartbeat', 'PriceHistoryReport']);

/** @example isDroppableWhenStale('MarketSnapshotReport') // true; isDroppableWhenStale('FillReport') // false */
export const isDroppableWhenStale = (detailType: string): boolean => isDetailType(detailType) && DROPPABLE_WHEN_STALE.has(detailType);
// --- end event bus operations ---

/** Stable error codes of this module. */
export const EventErrorCode = {
  INVALID_ENVELOPE: 'EVENT.INVALID_ENVELOPE',
  INVALID_DETAIL: 'EVENT.INVALID_DETAIL',
  UNKNOWN_TYPE: 'EVENT.UNKNOWN_TYPE',
  WRONG_SOURCE: 'EVENT.WRONG_SOURCE',
} as const;

export interface CreateEventOptions {
  eventId: string;
  /** When this envelope is created (`tsInit`), from the injected clock. */
  now: Date;
  /** When the thing happened, if earlier than `now` (e.g. the broker's execution time); default `now`. */
  tsEvent?: Date | string | undefined;
  correlationId: string;
  /** The eventId of the event that caused this one. */
  causationId?: string | undefined;
}

/**
 * Builds a validated event; ids and time are injected (the core has no clock or randomness).
 * @throws ValidationError `EVENT.INVALID_DETAIL` naming the first bad field (`detail.fill.price`)
 * @example
 * const e = createEvent('GatewayHeartbeat', { connected: true, lastRoundTripMs: 2 }, { eventId: ids.next(), now: clock.now(), correlationId: 'gw-session-1' });
 * await publisher.publish([e]);
 */
export function createEvent<K extends DetailType>(detailType: K, detail: EventDetailInput<K>, options: CreateEventOptions): TypedEvent<K> {
  const entry = DEFINITIONS[detailType];
  if (entry === undefined) throw new ValidationError(EventErrorCode.UNKNOWN_TYPE, `unknown detail type "${String(detailType)}"`, [{ path: 'detailType', message: 'not in the event catalog' }]);
  const parsedDetail = entry.schema.safeParse(detail);
  if (!parsedDetail.success) throw zodToValidation(EventErrorCode.INVALID_DETAIL, `${detailType} detail`, parsedDetail.error, 'detail');
  const tsInit = options.now.toISOString();
  const envelope = {
    eventId: options.eventId,
    source: entry.source,
    detailType,
    tsEvent: options.tsEvent === undefined ? tsInit : typeof options.tsEvent === 'string' ? options.tsEvent : options.tsEvent.toISOString(),
    tsInit,
    correlationId: options.correlationId,
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    detail: parsedDetail.data,
  };
  const parsed = EventEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) throw zodToValidation(EventErrorCode.INVALID_ENVELOPE, `${detailType} envelope`, parsed.error);
  // Validated here, so parseEvent (and the local bus) will not validate this object again: frozen,
  // as every parsed event is, so no holder can change what the next one reads.
  const event = deepFreeze({ ...parsed.data, detail: parsedDetail.data }) as TypedEvent<K>;
  parsedEvents.set(event, event as AnyEvent);
  return event;
}

/**
 * The typed event if this very object was already validated in this process (made by createEvent
 * or parsed by parseEvent), else undefined. The local bus uses it to skip a second envelope check.
 */
export function alreadyValidated(input: unknown): AnyEvent | undefined {
  return typeof input === 'object' && input !== null ? parsedEvents.get(input) : undefined;
}

/**
 * Parses anything claiming to be an event into a typed envelope. Accepts our envelope, or an
 * EventBridge event whose `detail` is our envelope (what a Lambda target receives); in the second
 * case EventBridge's `source` and `detail-type` must agree with the envelope's.
 * @throws ValidationError `EVENT.INVALID_ENVELOPE` | `EVENT.UNKNOWN_TYPE` | `EVENT.WRONG_SOURCE` | `EVENT.INVALID_DETAIL`,
 *   its `issues[].path` naming the field (e.g. `detail.quantity`)
 * @example
 * const e = parseEvent(lambdaEvent);
 * if (e.detailType === 'FillReport') await onFill(e.detail.fill);
 */
export function parseEvent(input: unknown): AnyEvent {
  const known = typeof input === 'object' && input !== null ? parsedEvents.get(input) : undefined;
  if (known !== undefined) return known;
  const event = deepFreeze(parseFresh(input));
  if (typeof input === 'object' && input !== null) parsedEvents.set(input, event);
  return event;
}

/**
 * Parsed events by the object they were parsed from. The local bus hands one envelope object to
 * every consumer, so each event is validated once instead of once per consumer (in AWS every
 * delivery is a new object and this never hits). The shared result is frozen: a consumer cannot
 * change what the next one sees.
 */
const parsedEvents = new WeakMap<object, AnyEvent>();

function parseFresh(input: unknown): AnyEvent {
  const candidate = unwrapEventBridge(input);
  const env = EventEnvelopeSchema.safeParse(candidate);
  if (!env.success) throw zodToValidation(EventErrorCode.INVALID_ENVELOPE, 'event envelope', env.error);
  const { detailType, source } = env.data;
  if (!isDetailType(detailType)) throw new ValidationError(EventErrorCode.UNKNOWN_TYPE, `unknown detail type "${detailType}"`, [{ path: 'detailType', message: 'not in the event catalog' }]);
  const entry = DEFINITIONS[detailType];
  if (source !== entry.source) throw new ValidationError(EventErrorCode.WRONG_SOURCE, `${detailType} comes from ${entry.source}, not ${source}`, [{ path: 'source', message: `expected ${entry.source}` }]);
  const detail = entry.schema.safeParse(env.data.detail);
  if (!detail.success) throw zodToValidation(EventErrorCode.INVALID_DETAIL, `${detailType} detail`, detail.error, 'detail');
  return { ...env.data, detail: detail.data } as AnyEvent;
}

/** `parseEvent` as a result, for consumers that park bad events instead of failing. */
export function tryParseEvent(input: unknown): Result<AnyEvent, ValidationError> {
  try {
    return ok(parseEvent(input));
  } catch (e) {
    if (e instanceof ValidationError) return err(e);
    throw e;
  }
}

/**
 * The EventBridge event pattern selecting these detail types (sources derived from the catalog).
 * @example
 * eventPatternFor(['FillReport', 'CommissionReport']) // { source: ['tradeops.gateway'], 'detail-type': ['CommissionReport', 'FillReport'] }
 */
export function eventPatternFor(detailTypes: readonly DetailType[]): { source: string[]; 'detail-type': string[] } {
  if (detailTypes.length === 0) throw new ValidationError(EventErrorCode.UNKNOWN_TYPE, 'an event pattern needs at least one detail type', [{ path: 'detailTypes', message: 'empty' }]);
  for (const t of detailTypes) if (!isDetailType(t)) throw new ValidationError(EventErrorCode.UNKNOWN_TYPE, `unknown detail type "${String(t)}"`, [{ path: 'detailTypes', message: 'not in the event catalog' }]);
  const sources = new Set(detailTypes.map((t) => DEFINITIONS[t].source));
  return { source: [...sources].sort(), 'detail-type': [...new Set(detailTypes)].sort() };
}

/**
 * The event as EventBridge delivers it to a rule's pattern and target, with our whole envelope as
 * `detail` (so eventId, correlationId and causationId survive the hop). The local bus matches on it;
 * the EventBridge adapter sends `source`, `detail-type` and `JSON.stringify(detail)` as `Source`,
 * `DetailType` and `Detail`, so a pattern written for AWS matches the same events locally.
 */
export interface EventBridgeShape {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  detail: EventEnvelope;
}

/** @example toEventBridgeShape(envelope, { account: '000000000000', region: 'us-east-1' })['detail-type'] // envelope.detailType */
export function toEventBridgeShape(event: EventEnvelope, where: { account: string; region: string } = { account: '000000000000', region: 'us-east-1' }): EventBridgeShape {
  return { version: '0', id: event.eventId, source: event.source, 'detail-type': event.detailType, account: where.account, region: where.region, time: event.tsEvent, resources: [], detail: event };
}

function unwrapEventBridge(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('detail-type' in input) || !('detail' in input)) return input;
  const eb = input as { source?: unknown; 'detail-type'?: unknown; detail?: unknown };
  const inner = eb.detail as { source?: unknown; detailType?: unknown } | null;
  if (typeof inner === 'object' && inner !== null) {
    if (eb['detail-type'] !== inner.detailType) throw new ValidationError(EventErrorCode.INVALID_ENVELOPE, `EventBridge detail-type "${String(eb['detail-type'])}" differs from the envelope's "${String(inner.detailType)}"`, [{ path: 'detail-type', message: 'does not match detail.detailType' }]);
    if (eb.source !== inner.source) throw new ValidationError(EventErrorCode.WRONG_SOURCE, `EventBridge source "${String(eb.source)}" differs from the envelope's "${String(inner.source)}"`, [{ path: 'source', message: 'does not match detail.source' }]);
  }
  return eb.detail;
}

/** Turns zod issues into a ValidationError whose message names the first bad field. @internal */
export function zodToValidation(code: string, what: string, error: z.ZodError, prefix?: string): ValidationError {
  const issues = error.issues.map((i) => ({ path: formatPath(prefix === undefined ? i.path : [prefix, ...i.path]), message: i.message }));
  const first = issues[0];
  return new ValidationError(code, `invalid ${what}: ${first === undefined ? 'unknown problem' : `${first.path || '(root)'}: ${first.message}`}`, issues);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`), '');
}
