import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DETAIL_TYPES, EVENT_CATALOG, createEvent, eventPatternFor, isDetailType, parseEvent, toEventBridgeShape, tryParseEvent, type AnyEvent,
} from '../../../lib/core/events/catalog.js';
import { matchesPattern } from '../../../lib/core/events/pattern.js';
import { ValidationError } from '../../../lib/core/shared/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/events');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
const NOW = new Date('2026-11-26T14:31:00.000Z');
const IDS = { eventId: 'e-1', now: NOW, correlationId: 'c-1' };

function validationOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('EVENT_CATALOG', () => {
  it('lists every brief event once with its source', () => {
    const bySource = (s: string) => EVENT_CATALOG.filter((e) => e.source === s).map((e) => e.detailType).sort();
    expect(bySource('tradeops.gateway')).toEqual([
      'AccountSummaryReport', 'BrokerConnectionChanged', 'BrokerNotice', 'BrokerReconciled', 'CommissionReport', 'FillReport', 'GatewayHeartbeat', 'GlobalCancelIncomplete', 'GlobalCancelVerified', 'MarketSnapshotReport',
      'OrderDenied', 'OrderRejected', 'OrderStatusReport', 'OrderSubmitted', 'PositionReport', 'PriceHistoryReport',
    ]);
    expect(bySource('tradeops.system')).toEqual(['RiskCycleRequested', 'TradingStateChanged']);
    expect(new Set(EVENT_CATALOG.map((e) => e.detailType)).size).toBe(EVENT_CATALOG.length);
    expect(DETAIL_TYPES).toEqual(EVENT_CATALOG.map((e) => e.detailType));
  });

  it('has a recorded fixture for every entry and no orphan fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(files).toEqual([...DETAIL_TYPES].sort());
  });

  it('uses strict schemas that refuse unknown fields', () => {
    for (const entry of EVENT_CATALOG) {
      const detail = fixture(entry.detailType).detail as Record<string, unknown>;
      expect(entry.schema.safeParse(detail).success).toBe(true);
      expect(entry.schema.safeParse({ ...detail, surprise: 1 }).success).toBe(false);
    }
  });
});

describe('parseEvent', () => {
  it.each([...DETAIL_TYPES])('parses the %s fixture into a typed envelope', (type) => {
    const raw = fixture(type);
    const e = parseEvent(raw);
    expect(e.detailType).toBe(type);
    expect(JSON.parse(JSON.stringify(e))).toEqual(raw);
  });

  it('narrows the detail by detail type', () => {
    const e: AnyEvent = parseEvent(fixture('FillReport'));
    if (e.detailType !== 'FillReport') throw new Error('narrowing');
    expect(e.detail.fill.execId).toBe('0000e0d5.00000001.01.01');
  });

  it('unwraps an EventBridge event whose detail is the envelope', () => {
    const inner = fixture('GatewayHeartbeat');
    const eb = { version: '0', id: 'x', source: 'tradeops.gateway', 'detail-type': 'GatewayHeartbeat', account: '1', time: inner.tsEvent, region: 'us-east-1', resources: [], detail: inner };
    expect(parseEvent(eb).eventId).toBe(inner.eventId);
    expect(validationOf(() => parseEvent({ ...eb, 'detail-type': 'FillReport' })).code).toBe('EVENT.INVALID_ENVELOPE');
  });

  it('names the bad field of a detail', () => {
    const raw = fixture('FillReport');
    const bad = { ...raw, detail: { fill: { ...(raw.detail as { fill: object }).fill, price: '187.2.1' } } };
    const e = validationOf(() => parseEvent(bad));
    expect(e.code).toBe('EVENT.INVALID_DETAIL');
    expect(e.issues[0]?.path).toBe('detail.fill.price');
    expect(e.message).toContain('detail.fill.price');
  });

  it('names the index of a bad array element', () => {
    const raw = fixture('MarketSnapshotReport');
    const quotes = (raw.detail as { quotes: object[] }).quotes;
    const e = validationOf(() => parseEvent({ ...raw, detail: { quotes: [quotes[0], { ...quotes[1], bid: 1 }] } }));
    expect(e.issues[0]?.path).toBe('detail.quotes[1].bid');
  });

  it.each([
    ['a missing eventId', (r: Record<string, unknown>) => ({ ...r, eventId: undefined }), 'EVENT.INVALID_ENVELOPE', 'eventId'],
    ['an unknown detail type', (r: Record<string, unknown>) => ({ ...r, detailType: 'OrderFilled' }), 'EVENT.UNKNOWN_TYPE', 'detailType'],
    ['a source not the catalog one', (r: Record<string, unknown>) => ({ ...r, source: 'tradeops.system' }), 'EVENT.WRONG_SOURCE', 'source'],
    ['an extra envelope field', (r: Record<string, unknown>) => ({ ...r, extra: 1 }), 'EVENT.INVALID_ENVELOPE', ''],
  ])('refuses %s', (_why, mutate, code, path) => {
    const e = validationOf(() => parseEvent(mutate(fixture('OrderSubmitted'))));
    expect(e.code).toBe(code);
    expect(e.issues[0]?.path).toBe(path);
  });

  it('validates one delivered object once and hands every consumer the same frozen event', () => {
    // Prepare: the local bus delivers one envelope object to every consumer
    const raw = fixture('FillReport');

    // Act
    const first = parseEvent(raw);
    const second = parseEvent(raw);
    const other = parseEvent(fixture('FillReport'));

    // Assess
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
    if (first.detailType !== 'FillReport') throw new Error('narrowing');
    expect(Object.isFrozen(first.detail.fill)).toBe(true);
    expect(() => {
      (first.detail.fill as { price: string }).price = '1';
    }).toThrow(TypeError);
  });

  it('returns a result from tryParseEvent instead of throwing', () => {
    expect(tryParseEvent(fixture('BrokerNotice')).ok).toBe(true);
    const r = tryParseEvent({ nonsense: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('EVENT.INVALID_ENVELOPE');
  });
});

describe('createEvent', () => {
  it('reproduces each fixture from its detail and injected ids', () => {
    for (const type of DETAIL_TYPES) {
      const raw = fixture(type);
      const created = createEvent(type, raw.detail as never, {
        eventId: raw.eventId as string, now: new Date(raw.tsInit as string), tsEvent: raw.tsEvent as string, correlationId: raw.correlationId as string,
        causationId: raw.causationId as string | undefined,
      });
      expect(JSON.parse(JSON.stringify(created))).toEqual(raw);
    }
  });

  it('stamps tsInit and by default tsEvent from the injected time', () => {
    const e = createEvent('GatewayHeartbeat', { connected: false }, IDS);
    expect(e).toEqual({ eventId: 'e-1', source: 'tradeops.gateway', detailType: 'GatewayHeartbeat', tsEvent: NOW.toISOString(), tsInit: NOW.toISOString(), correlationId: 'c-1', detail: { connected: false } });
  });

  it('refuses an invalid detail, naming the field', () => {
    // @ts-expect-error quantity must be a number
    const e = validationOf(() => createEvent('OrderSubmitted', { clientOrderId: 'CO-1', brokerOrderId: '1', symbol: 'AAPL', side: 'BUY', quantity: '10', type: 'MKT' }, IDS));
    expect(e).toMatchObject({ code: 'EVENT.INVALID_DETAIL' });
    expect(e.issues.map((i) => i.path)).toEqual(['detail.quantity']);
  });

  it('refuses an invalid envelope field', () => {
    expect(validationOf(() => createEvent('GatewayHeartbeat', { connected: true }, { ...IDS, correlationId: '' })).code).toBe('EVENT.INVALID_ENVELOPE');
  });
});

describe('eventPatternFor', () => {
  it('derives sources from the catalog and sorts both lists', () => {
    expect(eventPatternFor(['FillReport', 'CommissionReport', 'FillReport'])).toEqual({ source: ['tradeops.gateway'], 'detail-type': ['CommissionReport', 'FillReport'] });
    expect(eventPatternFor(['TradingStateChanged', 'OrderDenied'])).toEqual({ source: ['tradeops.gateway', 'tradeops.system'], 'detail-type': ['OrderDenied', 'TradingStateChanged'] });
  });

  it('matches exactly the events it names, under EventBridge semantics', () => {
    const pattern = eventPatternFor(['FillReport', 'TradingStateChanged']);
    for (const type of DETAIL_TYPES) {
      const e = parseEvent(fixture(type));
      expect(matchesPattern(pattern, toEventBridgeShape(e))).toBe(type === 'FillReport' || type === 'TradingStateChanged');
    }
  });

  it('refuses an empty or unknown list', () => {
    expect(() => eventPatternFor([])).toThrow(ValidationError);
    // @ts-expect-error not a catalog type
    expect(() => eventPatternFor(['OrderFilled'])).toThrow(ValidationError);
    expect(isDetailType('OrderFilled')).toBe(false);
  });
});
