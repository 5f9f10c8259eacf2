import { describe, expect, it } from 'vitest';
import { runRiskCycle, type RiskCycleDeps } from '../../../lib/app/risk/risk-cycle.js';
import { resetRiskAlert } from '../../../lib/app/risk/reset-alert.js';
import { historicalVar } from '../../../lib/core/risk/var-historical.js';
import { exposureVector } from '../../../lib/core/risk/metrics.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { Position } from '../../../lib/core/positions/position.js';
import type { RiskPolicy } from '../../../lib/ports/risk.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { InMemoryAccountStore, InMemoryPositionStore, InMemoryQuoteStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher, RecordingNotifier, RecordingProposer } from '../../support/doubles.js';
import { aPolicy, aPosition, testMatrix, testReturns } from '../../support/builders.js';
import { InMemoryRiskStore } from '../../../lib/adapters/memory/risk-store.js';

const BOOK = [aPosition('AAPL', 1000, '187.00'), aPosition('MSFT', 500, '400.00'), aPosition('SPY', 200, '450.00')];

async function harness(positions: Position[] = BOOK) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const stores = { positions: new InMemoryPositionStore(), quotes: new InMemoryQuoteStore(), accounts: new InMemoryAccountStore(), risk: new InMemoryRiskStore(), audit: new InMemoryAuditLog(() => clock.now()) };
  await stores.positions.replaceAccount('DU1', positions);
  const notifier = new RecordingNotifier();
  const proposer = new RecordingProposer();
  let n = 0;
  const deps: RiskCycleDeps = { stores, notifier, clock, logger: new MemoryLogger(), newId: () => `c-${++n}`, proposeOrders: proposer.propose };
  const run = (policy: RiskPolicy) => runRiskCycle(deps, { policy, returns: testReturns });
  return { clock, stores, notifier, proposer, deps, run };
}

/** The book's 99 % historical VaR computed directly, to set limits relative to it (no hard-coded figures). */
function bookVar(positions: Position[] = BOOK): number {
  const m = testMatrix(positions.map((p) => p.symbol));
  return historicalVar(m, exposureVector(m.symbols, positions).exposures, { confidence: 0.99, window: 250 }).var;
}

const limitFor = (utilization: number, positions?: Position[]) => (bookVar(positions) / utilization).toFixed(2);

describe('runRiskCycle', () => {
  it('computes historical and parametric VaR with components that sum to the total, and stores the snapshot', async () => {
    const h = await harness();
    const { snapshot } = await h.run(aPolicy());
    expect(Number(snapshot.var.var)).toBeCloseTo(bookVar(), 1);
    expect(snapshot.var.method).toBe('historical');
    expect(snapshot.parametric.method).toBe('parametric');
    expect(Number(snapshot.parametric.var)).toBeGreaterThan(0);
    const sum = snapshot.var.components.reduce((s, c) => s + Number(c.component), 0);
    expect(sum).toBeCloseTo(Number(snapshot.var.var), 0);
    expect(snapshot.var.components.map((c) => c.symbol).sort()).toEqual(['AAPL', 'MSFT', 'SPY']);
    expect(snapshot.exposure.gross).toBe('477000.00');
    expect(await h.stores.risk.getSnapshot()).toEqual(snapshot);
  });

  it('publishes the cycle\'s key metrics (VaR utilisation, leverage) for the dashboard and its alarms', async () => {
    const h = await harness();
    const publisher = new RecordingPublisher();
    h.deps.publisher = publisher;
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '1000000', totalCash: '500000', buyingPower: '2000000', grossPositionValue: '477000', updatedAt: '2026-11-27T14:59:00.000Z' }));
    const { snapshot } = await h.run(aPolicy({ varLimit: limitFor(0.5) }));
    const published = publisher.events.filter((e) => e.detailType === 'RiskMetricsComputed');
    expect(published).toHaveLength(1);
    expect(published[0]?.detail).toEqual({ computedAt: snapshot.computedAt, var: snapshot.var.var, limit: snapshot.var.limit, varUtilization: snapshot.var.utilization, leverage: snapshot.leverage.value, dailyLossUtilization: snapshot.utilization.dailyLoss });
    expect(snapshot.var.utilization).toBeCloseTo(0.5, 2);
  });

  it('reports positions without return history as uncovered instead of ignoring them silently', async () => {
    const h = await harness([...BOOK, aPosition('ZZZZ', 10, '5.00')]);
    const { snapshot } = await h.run(aPolicy());
    expect(snapshot.coverage.uncovered).toEqual(['ZZZZ']);
  });

  it('marks at the latest quote rather than the broker mark', async () => {
    const h = await harness([aPosition('AAPL', 100, '187.00')]);
    await h.stores.quotes.putMany([QuoteSchema.parse({ symbol: 'AAPL', bid: '189.99', ask: '190.01', at: '2026-11-27T14:59:00.000Z' })]);
    const { snapshot } = await h.run(aPolicy());
    expect(snapshot.exposure.gross).toBe('19000.00');
    expect(snapshot.pnl.unrealized).toBe('300.00');
  });

  it('computes leverage from net liquidation and leaves it unknown without an account summary', async () => {
    const h = await harness();
    expect((await h.run(aPolicy())).snapshot.leverage).toEqual({ value: null, level: 'unknown' });
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '300000', totalCash: '0', buyingPower: '0', grossPositionValue: '477000', updatedAt: '2026-11-27T15:00:00.000Z' }));
    const { snapshot, raised } = await h.run(aPolicy());
    expect(snapshot.leverage).toEqual({ value: 1.59, level: 'warning' });
    expect(raised.map((a) => a.name)).toEqual(['leverage_warning']);
  });

  it('measures daily P&L from the previous trading day\'s last snapshot', async () => {
    const h = await harness([aPosition('AAPL', 100, '187.00', { avgCost: '180.00' })]);
    await h.run(aPolicy()); // Friday 27 Nov: unrealised 700
    h.clock.set('2026-11-30T15:00:00.000Z');
    await h.stores.positions.replaceAccount('DU1', [aPosition('AAPL', 100, '150.00', { avgCost: '180.00' })]);
    const { snapshot, raised } = await h.run(aPolicy({ dailyLossLimit: '2000' }));
    expect(snapshot.startOfDay).toMatchObject({ day: '2026-11-30', unrealizedPnl: '700.00', source: 'previous_snapshot' });
    expect(snapshot.daily).toMatchObject({ total: '-3700.00', loss: '3700.00', breached: true });
    expect(raised.map((a) => a.name)).toContain('daily_loss_limit');
    expect(snapshot.drawdown).toMatchObject({ basis: 'pnl' });
  });

  it('tracks the intraday drawdown from the running peak', async () => {
    const h = await harness([aPosition('AAPL', 100, '100.00', { avgCost: '100.00' })]);
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '100000', totalCash: '0', buyingPower: '0', grossPositionValue: '0', updatedAt: '2026-11-27T15:00:00.000Z' }));
    await h.run(aPolicy());
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '110000', totalCash: '0', buyingPower: '0', grossPositionValue: '0', updatedAt: '2026-11-27T15:01:00.000Z' }));
    await h.run(aPolicy());
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '99000', totalCash: '0', buyingPower: '0', grossPositionValue: '0', updatedAt: '2026-11-27T15:02:00.000Z' }));
    await h.run(aPolicy());
    await h.stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1', currency: 'USD', netLiquidation: '105000', totalCash: '0', buyingPower: '0', grossPositionValue: '0', updatedAt: '2026-11-27T15:03:00.000Z' }));
    const { snapshot } = await h.run(aPolicy());
    expect(snapshot.drawdown).toEqual({ basis: 'netLiquidation', peak: '110000.00', current: '5000.00', currentFraction: 0.0455, max: '11000.00', maxFraction: 0.1 });
  });

  it('raises var_warning once, notifying oncall, and audits it', async () => {
    const h = await harness();
    const policy = aPolicy({ varLimit: limitFor(0.85) });
    const first = await h.run(policy);
    const second = await h.run(policy);
    expect(first.raised.map((a) => a.name)).toEqual(['var_warning']);
    expect(second.raised).toEqual([]);
    expect(h.notifier.sent).toHaveLength(1);
    expect(h.notifier.sent[0]).toMatchObject({ audience: ['oncall'], severity: 'WARNING' });
    expect(h.stores.audit.entries.filter((e) => e.action === 'RISK_ALERT_RAISED')).toHaveLength(1);
    expect(h.proposer.calls).toEqual([]);
  });

  it('on var_critical notifies oncall and the risk manager and proposes a reduction that brings VaR under the warning level', async () => {
    const h = await harness();
    const policy = aPolicy({ varLimit: limitFor(0.95) });
    const { raised, reduction } = await h.run(policy);
    expect(raised.map((a) => a.name).sort()).toEqual(['var_critical', 'var_warning']);
    expect(h.notifier.sent.find((n) => n.subject.includes('var_critical'))).toMatchObject({ audience: ['oncall', 'risk_manager'], severity: 'CRITICAL' });
    expect(h.proposer.calls).toHaveLength(1);
    const call = h.proposer.calls[0]!;
    expect(call.reason).toMatchObject({ source: 'var_critical', requestedBy: 'risk-agent' });
    expect(call.orders.length).toBeGreaterThan(0);
    for (const o of call.orders) {
      expect(o.reducesExposure).toBe(true);
      expect(o.quantity).toBeLessThanOrEqual(Math.abs(BOOK.find((p) => p.symbol === o.symbol)!.quantity));
    }
    expect(reduction!.plan.after.utilization).toBeLessThan(0.8);
    expect(h.stores.audit.entries.find((e) => e.action === 'RISK_REDUCE_POSITIONS')?.data).toMatchObject({ proposal: 'proposed', outcomes: expect.arrayContaining([expect.objectContaining({ status: 'approved' })]) });
    await h.run(policy);
    expect(h.proposer.calls).toHaveLength(1); // raised once: no second reduction while the alert is active
  });

  it('audits and escalates when the reduction cannot be proposed', async () => {
    const h = await harness();
    delete h.deps.proposeOrders;
    await h.run(aPolicy({ varLimit: limitFor(0.95) }));
    expect(h.stores.audit.entries.find((e) => e.action === 'RISK_REDUCE_POSITIONS')?.data).toMatchObject({ proposal: 'not_wired' });
    expect(h.notifier.sent.at(-1)).toMatchObject({ subject: '[CRITICAL] reduce_positions not executed' });
  });
});

describe('resetRiskAlert', () => {
  const reset = (h: Awaited<ReturnType<typeof harness>>, force?: boolean) =>
    resetRiskAlert({ risk: h.stores.risk, audit: h.stores.audit, clock: h.clock }, { alert: 'var_warning', operator: 'jane.doe', reason: 'reviewed', force, correlationId: 't' });

  it('refuses while the condition still holds, naming the metric', async () => {
    const h = await harness();
    await h.run(aPolicy({ varLimit: limitFor(0.85) }));
    const r = await reset(h);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('RISK.ALERT_CONDITION_HOLDS');
    expect(!r.ok && r.error.message).toMatch(/portfolio_var_utilization/);
    expect((await h.stores.risk.getAlert('var_warning'))?.resetAt).toBeUndefined();
  });

  it('resets once the condition cleared, audited; the alert can then be raised again', async () => {
    const h = await harness();
    const tight = aPolicy({ varLimit: limitFor(0.85) });
    await h.run(tight);
    await h.run(aPolicy({ varLimit: limitFor(0.5) }));
    const r = await reset(h);
    expect(r.ok && r.value).toMatchObject({ resetBy: 'jane.doe', resetReason: 'reviewed', forced: false });
    expect(h.stores.audit.entries.at(-1)).toMatchObject({ actor: 'jane.doe', action: 'RISK_ALERT_RESET', subject: 'risk-alert:var_warning' });
    expect((await h.run(tight)).raised.map((a) => a.name)).toEqual(['var_warning']);
  });

  it('refuses an alert that is not active', async () => {
    const h = await harness();
    await h.run(aPolicy());
    const r = await reset(h);
    expect(!r.ok && r.error.code).toBe('RISK.ALERT_NOT_ACTIVE');
  });

  it('with force resets while holding and stays quiet until the condition clears once', async () => {
    const h = await harness();
    const tight = aPolicy({ varLimit: limitFor(0.85) });
    await h.run(tight);
    const r = await reset(h, true);
    expect(r.ok && r.value).toMatchObject({ forced: true, holdUntilClear: true });
    expect((await h.run(tight)).raised).toEqual([]);
    expect((await h.run(aPolicy({ varLimit: limitFor(0.5) }))).rearmed).toEqual(['var_warning']);
    expect((await h.run(tight)).raised.map((a) => a.name)).toEqual(['var_warning']);
  });
});
