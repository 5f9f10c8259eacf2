import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../../lib/adapters/bus/in-process-bus.js';
import { TradeOpsError } from '../../../lib/core/shared/errors.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { anEvent } from './envelopes.js';

const collector = () => {
  const got: EventEnvelope[] = [];
  return { got, target: async (e: EventEnvelope) => void got.push(e) };
};

describe('InProcessEventBus', () => {
  it('delivers each event to every rule whose pattern matches, and to no other', async () => {
    const fills = collector();
    const orders = collector();
    const bigFills = collector();
    const bus = new InProcessEventBus({
      rules: [
        { name: 'fills', pattern: { source: ['tradeops.gateway'], 'detail-type': ['FillReport'] }, target: fills.target },
        { name: 'orders', pattern: { 'detail-type': [{ prefix: 'Order' }] }, target: orders.target },
        { name: 'big-fills', pattern: { 'detail-type': ['FillReport'], detail: { detail: { quantity: [{ numeric: ['>=', 100] }] } } }, target: bigFills.target },
      ],
    });

    await bus.publish([anEvent('FillReport', { quantity: 10 }), anEvent('OrderSubmitted'), anEvent('FillReport', { quantity: 500 }), anEvent('GatewayHeartbeat')]);
    await bus.drain();

    expect(fills.got.map((e) => e.detailType)).toEqual(['FillReport', 'FillReport']);
    expect(orders.got.map((e) => e.detailType)).toEqual(['OrderSubmitted']);
    expect(bigFills.got.map((e) => (e.detail as { quantity: number }).quantity)).toEqual([500]);
  });

  it('matches on the EventBridge shape: account, region and the envelope as detail', async () => {
    const c = collector();
    const bus = new InProcessEventBus({ account: '123456789012', region: 'eu-west-1', rules: [{ name: 'r', pattern: { account: ['123456789012'], region: ['eu-west-1'], detail: { correlationId: [{ exists: true }] } }, target: c.target }] });

    await bus.publish([anEvent('X')]);
    await bus.drain();

    expect(c.got).toHaveLength(1);
  });

  it('delivers after publish returns, never inside the publisher’s call', async () => {
    const c = collector();
    const bus = new InProcessEventBus({ rules: [{ name: 'r', pattern: { source: [{ prefix: 'tradeops.' }] }, target: c.target }] });

    await bus.publish([anEvent('X')]);
    const before = c.got.length;
    await bus.drain();

    expect(before).toBe(0);
    expect(c.got).toHaveLength(1);
  });

  it('retries a failing target with backoff and then succeeds', async () => {
    let calls = 0;
    const bus = new InProcessEventBus({
      rules: [
        {
          name: 'flaky',
          pattern: { source: ['tradeops.gateway'] },
          retry: { maxAttempts: 3, backoffMs: 5 },
          target: async () => {
            calls += 1;
            if (calls < 3) throw new Error('transient');
          },
        },
      ],
    });

    await bus.publish([anEvent('X')]);
    await bus.drain();

    const [stats] = bus.stats();
    expect(calls).toBe(3);
    expect(stats).toMatchObject({ delivered: 1, failedAttempts: 2, deadLettered: 0, backlog: 0 });
    expect(bus.deadLetters()).toEqual([]);
  });

  it('dead-letters an event after its last attempt and keeps it, never dropping it', async () => {
    const sink: string[] = [];
    const bus = new InProcessEventBus({
      rules: [
        {
          name: 'broken',
          pattern: { source: ['tradeops.gateway'] },
          retry: { maxAttempts: 2, backoffMs: 1 },
          dlq: (l) => void sink.push(l.event.eventId),
          target: async () => {
            throw Object.assign(new Error('boom'), { name: 'TargetError' });
          },
        },
      ],
    });
    const e = anEvent('X');

    await bus.publish([e]);
    await bus.drain();

    expect(sink).toEqual([e.eventId]);
    expect(bus.deadLetters('broken')).toMatchObject([{ rule: 'broken', attempts: 2, event: { eventId: e.eventId }, error: { name: 'TargetError', message: 'boom' } }]);
    expect(bus.stats()[0]).toMatchObject({ delivered: 0, failedAttempts: 2, deadLettered: 1, backlog: 0 });
  });

  it('reports backlog and the oldest undelivered age while a target is busy', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bus = new InProcessEventBus({ rules: [{ name: 'slow', pattern: { source: ['tradeops.gateway'] }, concurrency: 1, target: () => gate }] });

    await bus.publish([anEvent('A'), anEvent('B'), anEvent('C')]);
    const busy = bus.stats()[0]!;
    release();
    await bus.drain();
    const done = bus.stats()[0]!;

    // Backlog is what has not started; the one being delivered is in flight.
    expect(busy).toMatchObject({ backlog: 2, queued: 2, inFlight: 1 });
    expect(busy.oldestAgeMs).toBeGreaterThanOrEqual(0);
    expect(done).toMatchObject({ delivered: 3, backlog: 0, oldestAgeMs: 0 });
    expect(done.latencyMs.samples).toBe(3);
    expect(done.latencyMs.p99).toBeGreaterThanOrEqual(done.latencyMs.p50);
  });

  it('refuses an invalid pattern, a duplicate rule and an invalid envelope', async () => {
    const bus = new InProcessEventBus({ rules: [{ name: 'r', pattern: { source: ['x'] }, target: async () => {} }] });

    expect(() => bus.addRule({ name: 'bad', pattern: { source: 'x' }, target: async () => {} })).toThrow(expect.objectContaining({ code: 'BUS.INVALID_PATTERN' }));
    expect(() => bus.addRule({ name: 'r', pattern: { source: ['x'] }, target: async () => {} })).toThrow(expect.objectContaining({ code: 'BUS.DUPLICATE_RULE' }));
    await expect(bus.publish([{ ...anEvent('X'), source: 'aws.ec2' }])).rejects.toMatchObject({ code: 'BUS.INVALID_EVENT' });
  });

  it('answers ping until closed, and close waits for the backlog', async () => {
    const c = collector();
    const bus = new InProcessEventBus({ rules: [{ name: 'r', pattern: { source: ['tradeops.gateway'] }, target: c.target }] });
    await bus.ping();

    await bus.publish([anEvent('X'), anEvent('Y')]);
    await bus.close();

    expect(c.got).toHaveLength(2);
    await expect(bus.ping()).rejects.toMatchObject({ code: 'BUS.CLOSED' });
    await expect(bus.publish([anEvent('Z')])).rejects.toMatchObject({ code: 'BUS.CLOSED' });
  });

  it('starts background deliveries one per loop turn, so foreground work published meanwhile goes first; all are still delivered', async () => {
    const order: string[] = [];
    const bus = new InProcessEventBus({
      rules: [
        { name: 'records', priority: 'background', concurrency: 4, pattern: { 'detail-type': ['Record'] }, target: async (e) => void order.push(`bg:${(e.detail as { n: number }).n}`) },
        { name: 'orders', pattern: { 'detail-type': ['Order'] }, target: async () => void order.push('fg') },
      ],
    });
    await bus.publish([1, 2, 3, 4, 5].map((n) => anEvent('Record', { n })));
    await bus.publish([anEvent('Order')]);
    await bus.drain();

    // Foreground, the rule's 4 deliveries would all start before the order's (bg:1..4, fg).
    expect(order.indexOf('fg')).toBeLessThanOrEqual(1);
    expect(order.filter((x) => x.startsWith('bg')).sort()).toEqual(['bg:1', 'bg:2', 'bg:3', 'bg:4', 'bg:5']);
    expect(bus.stats().find((s) => s.rule === 'records')).toMatchObject({ delivered: 5, backlog: 0, inFlight: 0 });
  });

  it('does not hold a shutdown for retries: failures after close, and events waiting out a backoff, go to the DLQ', async () => {
    const letters: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const bus = new InProcessEventBus({
      rules: [
        // In flight when the bus closes; its handler then fails (as one publishing into the closed bus does).
        { name: 'slow', pattern: { 'detail-type': ['Slow'] }, retry: { maxAttempts: 185, backoffMs: 60_000 }, dlq: async (l) => void letters.push(`${l.rule} ${l.event.detailType} ${l.error.code ?? ''}`), target: async () => {
          await held;
          throw new TradeOpsError('BUS.CLOSED', 'the event bus is shut down');
        } },
        // Already failed once: waiting a minute for its retry when the bus closes.
        { name: 'flaky', pattern: { 'detail-type': ['Flaky'] }, retry: { maxAttempts: 185, backoffMs: 60_000 }, dlq: async (l) => void letters.push(`${l.rule} ${l.event.detailType} ${l.error.code ?? ''}`), target: async () => {
          throw new Error('downstream unavailable');
        } },
      ],
    });
    await bus.publish([anEvent('Slow'), anEvent('Flaky')]);
    await until(() => bus.stats().find((s) => s.rule === 'flaky')?.retrying === 1);

    const t0 = performance.now();
    const closing = bus.close();
    release();
    await closing;

    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(letters.sort()).toEqual(['flaky Flaky BUS.CLOSED', 'slow Slow BUS.CLOSED']);
    expect(bus.stats().map((s) => [s.rule, s.backlog, s.inFlight, s.deadLettered])).toEqual([['slow', 0, 0, 1], ['flaky', 0, 0, 1]]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition not reached');
}
