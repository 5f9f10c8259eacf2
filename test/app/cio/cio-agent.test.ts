import { describe, expect, it } from 'vitest';
import { acceptSignal } from '../../../lib/app/cio/accept-signal.js';
import { CioAgentSkip, createCioAgent, proposeForSignal, type CioAgentDeps } from '../../../lib/app/cio/cio-agent.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import type { CioConfig } from '../../../lib/core/cio/config.js';
import { CioSkip } from '../../../lib/core/cio/decide.js';
import { proposalClientOrderId } from '../../../lib/core/cio/proposal-id.js';
import { createEvent } from '../../../lib/core/events/catalog.js';
import type { EventEnvelope } from '../../../lib/core/events/envelope.js';
import type { Order } from '../../../lib/core/orders/order.js';
import { PositionSchema } from '../../../lib/core/positions/position.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { createIdGenerator, seededRandomSource } from '../../../lib/core/shared/ids-gen.js';
import type { Signal } from '../../../lib/core/signals/signal.js';
import type { TradingMode } from '../../../lib/core/trading-state/trading-state.js';
import { anOrder } from '../../core/builders.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { RecordingPublisher } from '../../support/doubles.js';
import { aSignal } from '../../support/builders.js';
import { InMemorySignalStore } from '../../../lib/adapters/memory/signal-store.js';
import { InMemoryKillSwitchStore } from '../../../lib/adapters/memory/kill-switch-stores.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';

const config: CioConfig = {
  agentVersion: '1.0.0',
  riskBudgets: { 'momentum-1': 1, 'meanrev-1': 1 },
  defaultRiskBudget: 0,
  directionWeight: '0.05',
  maxWeightPerName: '0.10',
  instruments: { AAPL: { lotSize: 1, tickSize: '0.01' }, MSFT: { lotSize: 1, tickSize: '0.01' } },
  minOrderNotional: '100',
  capacity: 'buyingPower',
  capacityUsage: '1',
  orderType: 'LMT',
  limitCollar: '0.002',
};

async function setup(options: { mode?: TradingMode | undefined; position?: number; buyingPower?: string; quoteAt?: string } = {}) {
  const clock = new ManualClock('2026-11-26T15:30:00.000Z');
  const stores = inMemoryStores();
  const signals = new InMemorySignalStore();
  const publisher = new RecordingPublisher();
  const ids = createIdGenerator({ now: () => clock.now(), random: seededRandomSource(3) });
  if (options.mode !== undefined) await stores.tradingState.compareAndSet(-1, { mode: options.mode, changedAt: clock.now().toISOString(), changedBy: 'test', reason: 'test' });
  await stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '1000000', totalCash: '1000000', buyingPower: options.buyingPower ?? '4000000', grossPositionValue: '0', updatedAt: clock.now().toISOString() }));
  const at = options.quoteAt ?? '2026-11-26T15:29:59.000Z';
  await stores.quotes.putMany([
    { symbol: 'AAPL', bid: '199.99', ask: '200.01', at },
    { symbol: 'MSFT', bid: '399.99', ask: '400.01', at },
  ] as never);
  if (options.position !== undefined) {
    await stores.positions.replaceAccount('DU1', [PositionSchema.parse({ account: 'DU1', symbol: 'AAPL', quantity: options.position, avgCost: '190', currency: 'USD', realizedPnl: '0', updatedAt: clock.now().toISOString() })]);
  }
  const deps: CioAgentDeps = { ...stores, signals, publisher, clock, ids };
  const agent = createCioAgent(deps, { config, maxQuoteAgeMs: 60_000 });
  /** Accepts the signal like the API would, returning the SignalReceived event to deliver. */
  const receive = async (signal: Signal): Promise<EventEnvelope> => {
    const r = await acceptSignal({ signals, publisher, clock, ids }, signal);
    if (!r.ok) throw r.error;
    return publisher.events.find((e) => e.eventId === r.value.eventId)!;
  };
  const proposed = () => publisher.ofType<{ order: Order }>('OrderProposed');
  return { clock, stores, signals, publisher, deps, agent, receive, proposed, ids };
}

const signal = (o: Record<string, unknown> = {}) => aSignal({ createdAt: '2026-11-26T15:29:00.000Z', ...o });

describe('cio agent', () => {
  it('turns a SignalReceived into a stored PROPOSED order and an OrderProposed caused by it', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    const s = signal();
    const event = await t.receive(s);

    await t.agent(event);

    const order = await t.stores.orders.get(proposalClientOrderId(s));
    expect(order).toMatchObject({ status: 'PROPOSED', side: 'BUY', quantity: 250, account: 'DU1', correlationId: event.correlationId, origin: { signalIds: [s.signalId], agentId: 'cio-agent' } });
    const [proposedEvent] = t.proposed();
    expect(proposedEvent).toMatchObject({ correlationId: event.correlationId, causationId: event.eventId, detail: { order } });
  });

  it('creates one order for a redelivered signal, republishing it while still PROPOSED and not after', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    const event = await t.receive(signal());

    await t.agent(event);
    await t.agent(event);
    const [order] = [...t.stores.orders.orders.values()];
    await t.stores.orders.update({ ...order!, status: 'APPROVED' });
    await t.agent(event);

    expect(t.stores.orders.orders.size).toBe(1);
    expect(t.proposed().map((e) => e.detail.order.clientOrderId)).toEqual([order!.clientOrderId, order!.clientOrderId]);
  });

  it('creates one order when the same signal is delivered concurrently', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    const event = await t.receive(signal());

    await Promise.all([t.agent(event), t.agent(event), t.agent(event)]);

    expect(t.stores.orders.orders.size).toBe(1);
  });

  it('proposes nothing for a symbol with an order PROPOSED or working, and still trades other symbols', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    await t.agent(await t.receive(signal({ strategyId: 'momentum-1' })));

    await t.agent(await t.receive(signal({ strategyId: 'meanrev-1', targetWeight: '0.08' })));
    await t.agent(await t.receive(signal({ strategyId: 'momentum-1', symbol: 'MSFT' })));

    expect(t.proposed().map((e) => e.detail.order.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('takes the capacity committed by pending orders off the buying power', async () => {
    const t = await setup({ mode: 'ACTIVE', buyingPower: '60000' });
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261126-000001', symbol: 'MSFT', quantity: 100, limitPrice: '400', status: 'ACCEPTED' }));

    const outcome = await proposeForSignal(t.deps, { config }, signal(), { eventId: 'e-1', correlationId: 'c-1' });

    // 60,000 − 100 × 400 = 20,000 → 100 sh at 200
    expect(outcome).toMatchObject({ kind: 'proposed', order: { quantity: 100 } });
  });

  it.each([
    ['HALTED', 'HALTED' as const, CioSkip.HALTED],
    ['no trading-state record yet (treated as HALTED)', undefined, CioSkip.HALTED],
    ['REDUCING and flat', 'REDUCING' as const, CioSkip.REDUCING_ONLY],
  ])('proposes nothing when %s', async (_name, mode, code) => {
    const t = await setup({ mode });

    const outcome = await proposeForSignal(t.deps, { config }, signal(), { eventId: 'e-1', correlationId: 'c-1' });

    expect(outcome).toMatchObject({ kind: 'skipped', code });
    expect(t.publisher.ofType('OrderProposed')).toHaveLength(0);
  });

  it('only reduces under REDUCING', async () => {
    const t = await setup({ mode: 'REDUCING', position: 400 });

    const outcome = await proposeForSignal(t.deps, { config }, signal({ targetWeight: '0.09' }), { eventId: 'e-1', correlationId: 'c-1' });

    // 9 % → 450 sh would grow the 400 held; 5 % → 250 sh sells 150
    expect(outcome).toMatchObject({ kind: 'skipped', code: CioSkip.REDUCING_ONLY });
    const sell = await proposeForSignal(t.deps, { config }, signal({ targetWeight: '0.05' }), { eventId: 'e-2', correlationId: 'c-2' });
    expect(sell).toMatchObject({ kind: 'proposed', order: { side: 'SELL', quantity: 150 } });
  });

  it('does not size on a stale quote', async () => {
    const t = await setup({ mode: 'ACTIVE', quoteAt: '2026-11-26T15:00:00.000Z' });

    const outcome = await proposeForSignal(t.deps, { config, maxQuoteAgeMs: 60_000 }, signal(), { eventId: 'e-1', correlationId: 'c-1' });

    expect(outcome).toMatchObject({ kind: 'skipped', code: CioSkip.NO_PRICE });
  });

  it('waits for an account summary', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    t.deps.accounts = { put: async () => undefined, list: async () => [] };

    const outcome = await proposeForSignal(t.deps, { config }, signal(), { eventId: 'e-1', correlationId: 'c-1' });

    expect(outcome).toMatchObject({ kind: 'skipped', code: CioAgentSkip.NO_ACCOUNT });
  });

  it('ignores other event types', async () => {
    const t = await setup({ mode: 'ACTIVE' });
    const other = createEvent('GatewayHeartbeat', { connected: true, lastRoundTripMs: 1 }, { eventId: 'e-hb', now: t.clock.now(), correlationId: 'c-hb' });

    await t.agent(other);

    expect(t.publisher.events).toHaveLength(0);
  });

  // kill switch
  it('drops a halted strategy\'s signal with CIO.STRATEGY_HALTED (audited) while other strategies still propose', async () => {
    const { deps, agent, receive, proposed, clock } = await setup({ mode: 'ACTIVE' });
    const killSwitch = new InMemoryKillSwitchStore();
    const audit = new InMemoryAuditLog(() => clock.now());
    await killSwitch.haltStrategy({ strategyId: 'momentum-1', haltedBy: 'jane', haltedAt: clock.now().toISOString(), reason: 'runaway' });
    const halted = await receive(aSignal({ signalId: 'SIG-H', strategyId: 'momentum-1', symbol: 'AAPL', createdAt: clock.now().toISOString() }));
    const outcome = await proposeForSignal({ ...deps, killSwitch, audit }, { config }, (halted.detail as { signal: Signal }).signal, { eventId: halted.eventId, correlationId: halted.correlationId });
    expect(outcome).toMatchObject({ kind: 'skipped', code: CioAgentSkip.STRATEGY_HALTED });
    expect((await audit.read()).map((e) => [e.action, e.data['code']])).toEqual([['SIGNAL_DENIED', 'CIO.STRATEGY_HALTED']]);
    await agent(await receive(aSignal({ signalId: 'SIG-OK', strategyId: 'meanrev-1', symbol: 'MSFT', createdAt: clock.now().toISOString() })));
    expect(proposed().map((e) => e.detail.order.symbol)).toEqual(['MSFT']);
  });
});
