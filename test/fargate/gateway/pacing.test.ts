import { describe, expect, it } from 'vitest';
import { MessagePacer } from '../../../fargate/gateway/pacing.js';
import { ManualScheduler } from '../../../fargate/gateway/scheduler.js';

describe('MessagePacer', () => {
  it('releases a burst at once, then no more than the rate per second', async () => {
    // Prepare
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 40, burst: 8 }, scheduler);
    const releasedAt: number[] = [];
    const start = scheduler.now();
    // Act
    for (let i = 0; i < 200; i++) void pacer.take().then(() => releasedAt.push(scheduler.now() - start));
    await scheduler.advance(6_000);
    // Assess
    expect(releasedAt).toHaveLength(200);
    expect(releasedAt.filter((t) => t === 0)).toHaveLength(8);
    for (let w = 0; w < 5_000; w += 100) {
      const inWindow = releasedAt.filter((t) => t >= w && t < w + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(48);
    }
  });

  it('keeps every one-second window under IB’s 50 messages with the default burst', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 40 }, scheduler);
    const releasedAt: number[] = [];
    for (let i = 0; i < 300; i++) void pacer.take().then(() => releasedAt.push(scheduler.now()));
    await scheduler.advance(10_000);
    expect(releasedAt).toHaveLength(300);
    const t0 = releasedAt[0] ?? 0;
    for (let w = t0; w < t0 + 7_000; w += 50) expect(releasedAt.filter((t) => t >= w && t < w + 1000).length).toBeLessThan(50);
  });

  it('releases in call order', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 10, burst: 1 }, scheduler);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) void pacer.take().then(() => order.push(i));
    await scheduler.advance(1_000);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('releases urgent takes (cancels) before every queued ordinary one, each lane in call order', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 10, burst: 1 }, scheduler);
    await pacer.take();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) void pacer.take({ tag: 'placeOrder' }).then(() => order.push(`place${i}`));
    void pacer.take({ urgent: true, tag: 'reqGlobalCancel' }).then(() => order.push('globalCancel'));
    void pacer.take({ urgent: true, tag: 'reqAllOpenOrders' }).then(() => order.push('openOrders'));
    await scheduler.advance(1_000);
    expect(order).toEqual(['globalCancel', 'openOrders', 'place0', 'place1', 'place2']);
  });

  it('releases background takes (daily-bar requests) after every ordinary and urgent one, each lane in call order', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 10, burst: 1 }, scheduler);
    await pacer.take();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) void pacer.take({ background: true, tag: 'reqHistoricalData' }).then(() => order.push(`bars${i}`));
    void pacer.take({ tag: 'placeOrder' }).then(() => order.push('place'));
    void pacer.take({ urgent: true, tag: 'cancelOrder' }).then(() => order.push('cancel'));
    void pacer.take({ tag: 'placeOrder' }).then(() => order.push('place2'));
    await scheduler.advance(1_000);
    expect(order).toEqual(['cancel', 'place', 'place2', 'bars0', 'bars1', 'bars2']);
  });

  it('withdraws only the waiting ordinary takes of a tag, which then never release', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 10, burst: 1 }, scheduler);
    await pacer.take();
    const released: string[] = [];
    const places = [0, 1].map((i) => pacer.take({ tag: 'placeOrder' }).then(() => released.push(`place${i}`)));
    void pacer.take({ tag: 'reqMktData' }).then(() => released.push('mktData'));
    void pacer.take({ urgent: true, tag: 'placeOrder' }).then(() => released.push('urgent'));
    expect(pacer.withdraw('placeOrder', 'kill switch')).toBe(2);
    for (const p of places) await expect(p).rejects.toMatchObject({ code: 'GATEWAY.WITHDRAWN' });
    await scheduler.advance(1_000);
    expect(released).toEqual(['urgent', 'mktData']);
    expect(pacer.withdraw('placeOrder', 'again')).toBe(0);
  });

  it('rejects waiters on close', async () => {
    const scheduler = new ManualScheduler();
    const pacer = new MessagePacer({ ratePerSecond: 1, burst: 1 }, scheduler);
    await pacer.take();
    const waiting = pacer.take();
    pacer.close();
    await expect(waiting).rejects.toMatchObject({ code: 'GATEWAY.PACER_CLOSED' });
  });

  it('refuses a rate above IB’s limit', () => {
    expect(() => new MessagePacer({ ratePerSecond: 60 }, new ManualScheduler())).toThrow(expect.objectContaining({ code: 'GATEWAY.CONFIG_INVALID' }));
  });
});
