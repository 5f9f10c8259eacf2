import { describe, expect, it } from 'vitest';
import { createRiskAgent } from '../../../lib/app/risk/risk-agent.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryAccountStore, InMemoryPositionStore, InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingNotifier } from '../../support/doubles.js';
import { aPolicy, aPosition, testReturns } from '../../support/builders.js';
import { CountingRiskStore } from '../../support/memory-stores.js';

const event = (detailType: string): EventEnvelope => ({ eventId: `e-${detailType}`, source: 'tradeops.gateway', detailType, tsEvent: '2026-11-27T15:00:00.000Z', tsInit: '2026-11-27T15:00:00.000Z', correlationId: 'c', detail: {} }) as unknown as EventEnvelope;

async function setup(withDefer: boolean) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const positions = new InMemoryPositionStore();
  await positions.replaceAccount('DU1', [aPosition('AAPL', 100, '187.00')]);
  const risk = new CountingRiskStore();
  const deferred: Array<{ fn: () => void; delayMs: number }> = [];
  const agent = createRiskAgent(
    { stores: { positions, quotes: new InMemoryQuoteStore(), accounts: new InMemoryAccountStore(), risk, audit: new InMemoryAuditLog(() => clock.now()) }, notifier: new RecordingNotifier(), clock, logger: new MemoryLogger(), newId: () => 'c' },
    { policy: aPolicy(), returns: testReturns, minIntervalMs: 1_000, ...(withDefer ? { defer: (fn: () => void, delayMs: number) => void deferred.push({ fn, delayMs }) } : {}) },
  );
  return { clock, positions, risk, agent, deferred };
}

describe('createRiskAgent', () => {
  it('recomputes on a fill and ignores events that do not change positions', async () => {
    const s = await setup(false);
    await s.agent.handle(event('OrderSubmitted'));
    expect(s.risk.snapshotWrites).toBe(0);
    await s.agent.handle(event('FillReport'));
    expect(s.risk.snapshotWrites).toBe(1);
    expect((await s.risk.getSnapshot())?.exposure.gross).toBe('18700.00');
  });

  it('coalesces a burst of fills into one cycle per interval', async () => {
    const s = await setup(false);
    await Promise.all(Array.from({ length: 20 }, () => s.agent.handle(event('FillReport'))));
    await s.agent.handle(event('PositionReport'));
    expect(s.agent.stats()).toEqual({ cycles: 1, coalesced: 20 });
    s.clock.advance(1_000);
    await s.agent.handle(event('PositionReport'));
    expect(s.agent.stats().cycles).toBe(2);
  });

  it('runs one trailing cycle at the end of the interval so the last change of a burst is seen', async () => {
    const s = await setup(true);
    await s.agent.handle(event('FillReport'));
    s.clock.advance(300);
    await s.positions.replaceAccount('DU1', [aPosition('AAPL', 200, '187.00')]);
    await s.agent.handle(event('FillReport'));
    await s.agent.handle(event('FillReport'));
    expect(s.deferred).toHaveLength(1);
    expect(s.deferred[0]!.delayMs).toBe(700);
    s.deferred[0]!.fn();
    await expect.poll(() => s.risk.snapshotWrites, { timeout: 2_000 }).toBe(2);
    expect((await s.risk.getSnapshot())?.exposure.gross).toBe('37400.00');
  });

  it('a scheduled cycle joins a running one instead of starting a second', async () => {
    const s = await setup(false);
    const [a, b] = await Promise.all([s.agent.runScheduled(), s.agent.runScheduled()]);
    expect(a).toBe(b);
    expect(s.risk.snapshotWrites).toBe(1);
  });
});
