import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSurveillanceAgent } from '../../../lib/app/surveillance/surveillance-agent.js';
import { createEvent, type DetailType, type EventDetailInput } from '../../../lib/core/events/catalog.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { verifyChain } from '../../../lib/core/audit/chain.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { DEFAULT_SURVEILLANCE_RULES, type SurveillanceRules } from '../../../lib/core/surveillance/rules.js';
import { anOrder, aFill } from '../../core/builders.js';
import { InMemoryAuditLog, InMemoryComplianceAlertStore, InMemorySurveillanceActivityStore } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryOrderStore, InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';

let seq = 0;
const ev = <K extends DetailType>(type: K, detail: EventDetailInput<K>, tsEvent: string) => createEvent(type, detail, { eventId: `e-${++seq}`, now: new Date(tsEvent), tsEvent, correlationId: 'c-1' });
const fillEvent = (execId: string, clientOrderId: string, brokerOrderId: string, side: 'BUY' | 'SELL', quantity: number, price: string, executedAt: string) =>
  ev('FillReport', { fill: aFill({ execId, clientOrderId, brokerOrderId, side, quantity, price, executedAt, account: 'DU1234567' }) }, executedAt);

async function world(rules: Partial<SurveillanceRules> = {}) {
  const orders = new InMemoryOrderStore();
  const deps = {
    activity: new InMemorySurveillanceActivityStore(),
    alerts: new InMemoryComplianceAlertStore(),
    orders,
    quotes: new InMemoryQuoteStore(),
    audit: new InMemoryAuditLog(),
    publisher: new RecordingPublisher(),
    rules: () => ({ ...DEFAULT_SURVEILLANCE_RULES, ...rules }),
    ids: () => `a-${++seq}`,
    clock: new ManualClock('2026-11-26T15:05:00.000Z'),
    logger: new MemoryLogger(),
  };
  const origin = { strategyId: 'mm-1', agentId: 'cio', agentVersion: '1' };
  await orders.create(anOrder({ clientOrderId: 'CO-B', brokerOrderId: '2001', side: 'BUY', quantity: 100, limitPrice: '50.01', origin }));
  await orders.create(anOrder({ clientOrderId: 'CO-S', brokerOrderId: '2002', side: 'SELL', quantity: 100, limitPrice: '50', origin }));
  return { deps, handle: createSurveillanceAgent(deps) };
}

describe('surveillance agent', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    w = await world();
  });

  const washEvents = (): EventEnvelope[] => [
    fillEvent('E-B', 'CO-B', '2001', 'BUY', 100, '50.01', '2026-11-26T15:00:01.000Z'),
    fillEvent('E-S', 'CO-S', '2002', 'SELL', 100, '50', '2026-11-26T15:00:04.000Z'),
  ];

  it('raises a wash-trade alert with evidence, audits it and publishes ComplianceAlertRaised', async () => {
    // Act
    for (const e of washEvents()) await w.handle(e);

    // Assess
    const [alert, ...others] = await w.deps.alerts.list();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ type: 'WASH_TRADE', severity: 'HIGH', status: 'new', account: 'DU1234567', symbol: 'AAPL', strategyId: 'mm-1' });
    // the fill that completed the pattern, then its matches nearest first
    expect(alert!.evidence.fills.map((f) => [f.execId, f.clientOrderId, f.at])).toEqual([['E-S', 'CO-S', '2026-11-26T15:00:04.000Z'], ['E-B', 'CO-B', '2026-11-26T15:00:01.000Z']]);
    expect(w.deps.publisher.ofType('ComplianceAlertRaised').map((e) => (e.detail as { alert: { alertId: string } }).alert.alertId)).toEqual([alert!.alertId]);
    expect(w.deps.audit.entries.map((e) => [e.action, e.subject])).toEqual([['COMPLIANCE_ALERT_RAISED', `compliance-alert:${alert!.alertId}`]]);
    expect(verifyChain(w.deps.audit.entries).ok).toBe(true);
  });

  it('raises the same single alert whatever order and however often the events arrive', async () => {
    const reference = await world();
    for (const e of washEvents()) await reference.handle(e);
    const referenceIds = [...reference.deps.alerts.alerts.keys()];

    await fc.assert(fc.asyncProperty(fc.shuffledSubarray([...washEvents(), ...washEvents()], { minLength: 4, maxLength: 4 }), async (arrivals) => {
      const fresh = await world();
      for (const e of arrivals) await fresh.handle(e);
      expect([...fresh.deps.alerts.alerts.keys()]).toEqual(referenceIds);
      expect(fresh.deps.publisher.ofType('ComplianceAlertRaised')).toHaveLength(1);
      expect(fresh.deps.audit.entries).toHaveLength(1);
    }), { numRuns: 20 });
  });

  it('raises, audits and publishes at most one wash alert per fill when a strategy churns one name', async () => {
    const churn = Array.from({ length: 30 }, (_, i) => {
      const buy = i % 2 === 0;
      return fillEvent(`E-${i}`, buy ? 'CO-B' : 'CO-S', buy ? '2001' : '2002', buy ? 'BUY' : 'SELL', 100, '50.00', new Date(Date.parse('2026-11-26T15:00:00.000Z') + i * 1000).toISOString());
    });
    const raisedAfter: number[] = [];

    for (const e of churn) {
      await w.handle(e);
      raisedAfter.push(w.deps.publisher.ofType('ComplianceAlertRaised').length);
    }

    // 225 buy/sell pairs; one alert for each fill after the first
    expect(raisedAfter).toEqual(churn.map((_, i) => i));
    expect(w.deps.audit.entries.filter((e) => e.action === 'COMPLIANCE_ALERT_RAISED')).toHaveLength(29);
    expect((await w.deps.alerts.list()).map((a) => a.evidence.fills[0]!.execId).sort()).toEqual(churn.slice(1).map((_, i) => `E-${i + 1}`).sort());
  });

  it('detects spoofing from placements, a fill and cancels, using the touch at placement', async () => {
    await w.deps.quotes.putMany([QuoteSchema.parse({ symbol: 'AAPL', bid: '50.00', ask: '50.02', last: '50.01', at: '2026-11-26T14:59:59.000Z' })]);
    const origin = { strategyId: 'mm-1', agentId: 'cio', agentVersion: '1' };
    for (const [id, broker, price] of [['CO-L1', '3001', '49.95'], ['CO-L2', '3002', '49.90']] as const) {
      await w.deps.orders.create(anOrder({ clientOrderId: id, brokerOrderId: broker, side: 'BUY', quantity: 300, limitPrice: price, origin }));
      await w.handle(ev('OrderSubmitted', { clientOrderId: id, brokerOrderId: broker, account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 300, type: 'LMT', limitPrice: price }, '2026-11-26T15:00:00.000Z'));
    }

    await w.handle(fillEvent('E-S', 'CO-S', '2002', 'SELL', 100, '50.02', '2026-11-26T15:00:05.000Z'));
    await w.handle(ev('OrderStatusReport', { clientOrderId: 'CO-L1', brokerOrderId: '3001', brokerStatus: 'Cancelled', status: 'CANCELLED', filled: 0, remaining: 300 }, '2026-11-26T15:00:06.000Z'));
    await w.handle(ev('OrderStatusReport', { brokerOrderId: '3002', brokerStatus: 'Cancelled', status: 'CANCELLED', filled: 0, remaining: 300 }, '2026-11-26T15:00:07.000Z'));

    const alerts = await w.deps.alerts.list();
    expect(alerts.map((a) => a.type)).toEqual(['SPOOFING_LAYERING']);
    expect(alerts[0]!.evidence.orders.map((o) => `${o.event}:${o.clientOrderId}`)).toEqual(['ORDER_PLACED:CO-L1', 'ORDER_PLACED:CO-L2', 'ORDER_CANCELLED:CO-L1', 'ORDER_CANCELLED:CO-L2']);
  });

  it('raises a critical alert for an order in a restricted name and ignores status reports other than cancels', async () => {
    const restricted = await world({ restricted: [{ symbol: 'AAPL', reason: 'insider list' }] });

    await restricted.handle(ev('OrderSubmitted', { clientOrderId: 'CO-B', brokerOrderId: '2001', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 100, type: 'LMT', limitPrice: '50.01' }, '2026-11-26T15:00:00.000Z'));
    await restricted.handle(ev('OrderStatusReport', { clientOrderId: 'CO-B', brokerOrderId: '2001', brokerStatus: 'Submitted', status: 'ACCEPTED', filled: 0, remaining: 100 }, '2026-11-26T15:00:00.100Z'));

    expect((await restricted.deps.alerts.list()).map((a) => `${a.type}:${a.severity}`)).toEqual(['RESTRICTED_INSTRUMENT:CRITICAL']);
    expect(restricted.deps.activity.observations.size).toBe(1);
  });
});
