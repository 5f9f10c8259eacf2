import { describe, expect, it } from 'vitest';
import { acceptSignal } from '../../../lib/app/cio/accept-signal.js';
import { createCioAgent } from '../../../lib/app/cio/cio-agent.js';
import { MaCrossoverStrategy } from '../../../lib/app/strategies/ma-crossover.js';
import type { CioConfig } from '../../../lib/core/cio/config.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { createIdGenerator, seededRandomSource } from '../../../lib/core/shared/ids-gen.js';
import type { EventPublisher } from '../../../lib/ports/events.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { RecordingPublisher } from '../../support/doubles.js';
import { InMemorySignalStore } from '../../../lib/adapters/memory/signal-store.js';

const config: CioConfig = {
  agentVersion: '1.0.0',
  riskBudgets: { 'ma-crossover': 1, 'mean-reversion': 1 },
  defaultRiskBudget: 0,
  directionWeight: '0.05',
  maxWeightPerName: '0.10',
  instruments: { AAPL: { lotSize: 1, tickSize: '0.01' } },
  minOrderNotional: '100',
  capacity: 'buyingPower',
  capacityUsage: '0.95',
  orderType: 'LMT',
  limitCollar: '0.002',
};

describe('demo loop: strategy → acceptSignal → CIO agent', () => {
  it('turns a crossover in the market into a proposed order traced to the strategy', async () => {
    const clock = new ManualClock('2026-11-26T15:00:00.000Z');
    const stores = inMemoryStores({ tradingState: { mode: 'ACTIVE', version: 0, changedAt: clock.now().toISOString(), changedBy: 'test', reason: 'test' } });
    await stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '1000000', totalCash: '1000000', buyingPower: '2000000', grossPositionValue: '0', updatedAt: clock.now().toISOString() }));
    const signals = new InMemorySignalStore();
    const recorded = new RecordingPublisher();
    const ids = createIdGenerator({ now: () => clock.now(), random: seededRandomSource(9) });
    // A tiny synchronous bus: everything published is recorded and handed to the CIO.
    let cio: (e: EventEnvelope) => Promise<void> = async () => undefined;
    const bus: EventPublisher = {
      async publish(events) {
        await recorded.publish(events);
        for (const e of events) await cio(e);
      },
    };
    cio = createCioAgent({ ...stores, signals, publisher: bus, clock, ids }, { config });
    const strategy = new MaCrossoverStrategy({ clock, scheduler: { every: () => () => undefined }, accept: (s) => acceptSignal({ signals, publisher: bus, clock, ids }, s) }, { strategyId: 'ma-crossover', agentVersion: '1.0.0', fast: 2, slow: 4, band: 0.001 });

    for (const mid of [200, 200, 200, 204]) {
      clock.advance(1000);
      const q = QuoteSchema.parse({ symbol: 'AAPL', bid: (mid - 0.01).toFixed(2), ask: (mid + 0.01).toFixed(2), at: clock.now().toISOString() });
      await stores.quotes.putMany([q]);
      await strategy.onQuotes([q]);
    }

    const [proposed] = recorded.ofType<{ order: Order }>('OrderProposed');
    const [received] = recorded.ofType('SignalReceived');
    expect(proposed?.detail.order).toMatchObject({ symbol: 'AAPL', side: 'BUY', status: 'PROPOSED', origin: { strategyId: 'ma-crossover', agentId: 'cio-agent' }, correlationId: received!.correlationId });
    expect(proposed!.detail.order.quantity).toBeGreaterThan(0);
  });
});
