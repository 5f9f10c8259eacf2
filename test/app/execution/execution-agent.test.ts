import { beforeEach, describe, expect, it } from 'vitest';
import { createExecutionAgent } from '../../../lib/app/execution/execution-agent.js';
import { getExecutionStats } from '../../../lib/app/execution/execution-stats.js';
import { createEvent, type DetailType, type EventDetailInput } from '../../../lib/core/events/catalog.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { anOrder, aFill } from '../../core/builders.js';
import { CountingExecutionRecordStore } from '../../support/memory-stores.js';
import { InMemoryFillStore, InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';

let seq = 0;
const ev = <K extends DetailType>(type: K, detail: EventDetailInput<K>, tsEvent: string) => createEvent(type, detail, { eventId: `e-${++seq}`, now: new Date(tsEvent), tsEvent, correlationId: 'c-1' });

describe('execution agent', () => {
  let records: CountingExecutionRecordStore;
  let orders: InMemoryOrderStore;
  let fills: InMemoryFillStore;
  let publisher: RecordingPublisher;
  let handle: ReturnType<typeof createExecutionAgent>;
  const clock = new ManualClock('2026-11-26T15:00:00.000Z');

  beforeEach(async () => {
    records = new CountingExecutionRecordStore();
    orders = new InMemoryOrderStore();
    fills = new InMemoryFillStore();
    publisher = new RecordingPublisher();
    handle = createExecutionAgent({ records, orders, fills, publisher, ids: () => `q-${++seq}`, clock, logger: new MemoryLogger() });
    // the bridge's order (it owns status and fills): BUY 100 AAPL, arrival 100.00, strategy s1
    await orders.create(anOrder({ clientOrderId: 'CO-1', brokerOrderId: '1001', quantity: 100, arrivalPrice: '100', origin: { strategyId: 's1', agentId: 'cio', agentVersion: '1' }, createdAt: '2026-11-26T14:59:59.000Z' }));
  });

  const submitted = () => ev('OrderSubmitted', { clientOrderId: 'CO-1', brokerOrderId: '1001', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 100, type: 'LMT', limitPrice: '100.5' }, '2026-11-26T15:00:00.000Z');
  const fill = (execId: string, quantity: number, price: string, executedAt: string) => ev('FillReport', { fill: aFill({ execId, clientOrderId: 'CO-1', brokerOrderId: '1001', quantity, price, executedAt }) }, executedAt);

  it('tracks an order to FILLED and publishes its execution quality once', async () => {
    // Prepare: a fill arrives before the submission, and one fill twice
    const events: EventEnvelope[] = [fill('E1', 60, '100.1', '2026-11-26T15:00:00.200Z'), submitted(), fill('E2', 40, '100.2', '2026-11-26T15:00:01.000Z')];

    // Act
    for (const e of [...events, events[2]!, events[0]!]) await handle(e);

    // Assess
    const stats = await getExecutionStats({ records, clock }, { by: 'strategy' });
    expect(stats.overall).toMatchObject({ orders: 1, completedOrders: 1, fillRate: '1', avgSlippageBps: '14', p95SlippageBps: '14', alerts: ['execution_slippage_critical'] });
    expect(stats.byStrategy?.map((s) => s.key)).toEqual(['s1']);
    expect(stats.byInstrument).toBeUndefined();
    const published = publisher.ofType('ExecutionQualityUpdated');
    expect(published).toHaveLength(1);
    expect(published[0]!.detail).toMatchObject({ clientOrderId: 'CO-1', outcome: 'FILLED', slippageBps: '14', fillRatio: '1', timeToFirstFillMs: 200, timeToCompleteMs: 1000 });
    expect(records.writes).toBe(3);
  });

  it('writes nothing for a duplicate or a stale status report', async () => {
    await handle(submitted());
    await handle(ev('OrderStatusReport', { clientOrderId: 'CO-1', brokerOrderId: '1001', brokerStatus: 'Submitted', status: 'ACCEPTED', filled: 0, remaining: 100 }, '2026-11-26T15:00:00.100Z'));
    const before = records.writes;

    await handle(submitted());
    await handle(ev('OrderStatusReport', { clientOrderId: 'CO-1', brokerOrderId: '1001', brokerStatus: 'Submitted', status: 'ACCEPTED', filled: 0, remaining: 100 }, '2026-11-26T15:00:00.050Z'));

    expect(records.writes).toBe(before);
    expect((await records.get('CO-1' as ClientOrderId))!.lastStatusAt).toBe('2026-11-26T15:00:00.100Z');
  });

  it('attributes a commission to its order through the fill store and a status report through the broker id', async () => {
    await fills.recordIfNew(aFill({ execId: 'E1', clientOrderId: 'CO-1', brokerOrderId: '1001' }));

    await handle(ev('CommissionReport', { execId: 'E1', commission: '0.35', currency: 'USD' }, '2026-11-26T15:00:02.000Z'));
    await handle(ev('OrderStatusReport', { brokerOrderId: '1001', brokerStatus: 'Cancelled', status: 'CANCELLED', filled: 0, remaining: 100 }, '2026-11-26T15:00:03.000Z'));
    await handle(ev('CommissionReport', { execId: 'E-UNKNOWN', commission: '1', currency: 'USD' }, '2026-11-26T15:00:02.000Z'));

    const r = (await records.get('CO-1' as ClientOrderId))!;
    expect(r.commissions).toEqual([{ execId: 'E1', commission: '0.35' }]);
    expect(r.statusesSeen).toEqual(['CANCELLED']);
    expect(r.order?.strategyId).toBe('s1');
    expect(publisher.ofType('ExecutionQualityUpdated').map((e) => e.detail)).toEqual([expect.objectContaining({ outcome: 'CANCELLED', filledQuantity: 0 })]);
  });

  it('records a denial from the final gate as DENIED, outside the fill rate', async () => {
    await handle(ev('OrderDenied', { clientOrderId: 'CO-1', reasonCode: 'GATE.TRADING_HALTED', message: 'halted', deniedBy: 'final-gate' }, '2026-11-26T15:00:00.000Z'));

    const stats = await getExecutionStats({ records, clock }, { date: '2026-11-26' });
    expect(stats.overall).toMatchObject({ orders: 1, deniedOrders: 1, completedOrders: 0, fillRate: null });
  });

  it('merges one order\'s events delivered at once with one write each and no lost race', async () => {
    // Prepare: a store that counts reads and refused writes
    let reads = 0;
    let conflicts = 0;
    const counted = {
      get: (id: ClientOrderId) => {
        reads += 1;
        return records.get(id);
      },
      put: async (r: Parameters<typeof records.put>[0]) => {
        try {
          return await records.put(r);
        } catch (e) {
          conflicts += 1;
          throw e;
        }
      },
      listByDay: (day: string) => records.listByDay(day),
    };
    const agent = createExecutionAgent({ records: counted, orders, fills, publisher, ids: () => `q-${++seq}`, clock, logger: new MemoryLogger() });
    const events = [
      submitted(),
      ev('OrderStatusReport', { clientOrderId: 'CO-1', brokerOrderId: '1001', brokerStatus: 'Submitted', status: 'ACCEPTED', filled: 0, remaining: 100 }, '2026-11-26T15:00:00.050Z'),
      fill('E1', 60, '100.1', '2026-11-26T15:00:00.200Z'),
      ev('CommissionReport', { execId: 'E1', commission: '0.35', currency: 'USD' }, '2026-11-26T15:00:00.300Z'),
      fill('E2', 40, '100.2', '2026-11-26T15:00:01.000Z'),
      ev('OrderStatusReport', { clientOrderId: 'CO-1', brokerOrderId: '1001', brokerStatus: 'Filled', status: 'FILLED', filled: 100, remaining: 0 }, '2026-11-26T15:00:01.010Z'),
    ];

    // Act: all delivered concurrently, then once more (at-least-once)
    await Promise.all(events.map((e) => agent(e)));
    await Promise.all(events.map((e) => agent(e)));

    // Assess
    const r = (await records.get('CO-1' as ClientOrderId))!;
    expect(r.fills.map((f) => f.execId)).toEqual(['E1', 'E2']);
    expect(r.commissions).toEqual([{ execId: 'E1', commission: '0.35' }]);
    expect(r.statusesSeen).toEqual(['ACCEPTED', 'FILLED']);
    expect(r.submitted?.brokerOrderId).toBe('1001');
    expect(conflicts).toBe(0);
    expect(reads).toBe(1);
    expect(records.writes).toBe(events.length);
    expect(publisher.ofType('ExecutionQualityUpdated')).toHaveLength(1);
  });

  it('re-reads and merges when another writer changed the record since its last write', async () => {
    // Prepare: this agent wrote version 1; another process then adds a fill (version 2)
    await handle(submitted());
    const other = createExecutionAgent({ records, orders, fills, publisher, ids: () => `q-${++seq}`, clock, logger: new MemoryLogger() });
    await other(fill('E1', 60, '100.1', '2026-11-26T15:00:00.200Z'));

    // Act: this agent's next event is written on its stale version first
    await handle(fill('E2', 40, '100.2', '2026-11-26T15:00:01.000Z'));
    // and a fact the other writer already stored changes nothing
    const writes = records.writes;
    await handle(fill('E1', 60, '100.1', '2026-11-26T15:00:00.200Z'));

    // Assess
    const r = (await records.get('CO-1' as ClientOrderId))!;
    expect(r.fills.map((f) => f.execId)).toEqual(['E1', 'E2']);
    expect(r.version).toBe(3);
    expect(records.writes).toBe(writes);
  });

  it('attributes a commission to the order its FillReport named without reading the fill store', async () => {
    // Prepare: the fill store does not know E1 (the agent must not need it after the FillReport)
    await handle(fill('E1', 100, '100.1', '2026-11-26T15:00:00.200Z'));

    await handle(ev('CommissionReport', { execId: 'E1', commission: '0.35', currency: 'USD' }, '2026-11-26T15:00:00.300Z'));

    expect((await records.get('CO-1' as ClientOrderId))!.commissions).toEqual([{ execId: 'E1', commission: '0.35' }]);
  });
});
