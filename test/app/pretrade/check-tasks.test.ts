import { describe, expect, it } from 'vitest';
import { createComplianceCheckTask, createRiskCheckTask, type CheckTaskDeps } from '../../../lib/app/pretrade/check-tasks.js';
import { runPretrade } from '../../../lib/app/pretrade/run-pretrade.js';
import { LocalWorkflowRunner } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { ClientOrderIdSchema } from '../../../lib/core/shared/ids.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import { inMemoryStores } from '../../support/memory-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import { anOrder } from '../../core/builders.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

async function setup(policy: Partial<CheckTaskDeps['policy']> = {}) {
  const clock = new ManualClock('2026-11-27T15:00:00.000Z');
  const stores = inMemoryStores();
  const at = clock.now().toISOString();
  await stores.tradingState.compareAndSet(-1, { mode: 'ACTIVE', changedAt: at, changedBy: 'system', reason: 'test' });
  await stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1234567', currency: 'USD', netLiquidation: '1000000', totalCash: '1000000', buyingPower: '2000000', grossPositionValue: '0', updatedAt: at }));
  await stores.quotes.putMany([QuoteSchema.parse({ symbol: 'AAPL', bid: '187.20', ask: '187.30', last: '187.25', at })]);
  const deps: CheckTaskDeps = {
    stores,
    riskView: async () => undefined,
    clock,
    policy: {
      limits: { maxOrderQuantity: 1000, maxOrderNotional: '100000', priceCollarBps: 500, maxPositionNotionalPerInstrument: '250000', maxGrossExposure: '1000000', maxNetExposure: '500000', dailyLossLimit: '25000', varLimit: '50000' },
      compliance: {},
      restrictedSymbols: [],
      noShortSymbols: [],
      blackoutWindows: [],
      ...policy,
    },
  };
  const sent: OrderCommand[] = [];
  let n = 0;
  const pretrade = { workflows: new LocalWorkflowRunner({ root: ROOT, handlers: { RiskCheck: createRiskCheckTask(deps), ComplianceCheck: createComplianceCheckTask(deps) } }), orders: stores.orders, commands: { send: async (c: OrderCommand) => void sent.push(c) }, publisher: new RecordingPublisher(), clock, newId: () => `e${++n}`, logger: new MemoryLogger() };
  return { stores, deps, pretrade, sent, clock };
}
const id = (n: number) => ClientOrderIdSchema.parse(`CO-20261127-00000${n}`);
const proposed = (n: number, o: Record<string, unknown> = {}) => anOrder({ clientOrderId: id(n), status: 'PROPOSED', brokerOrderId: undefined, version: 0, quantity: 100, limitPrice: '187.30', createdAt: '2026-11-27T15:00:00.000Z', updatedAt: '2026-11-27T15:00:00.000Z', ...o });

describe('pre-trade check tasks over the stores, through the real workflow', () => {
  it('approves an order inside every limit and queues it', async () => {
    const t = await setup();
    await t.stores.orders.create(proposed(1));
    expect((await runPretrade(t.pretrade, id(1))).decision).toBe('APPROVED');
    expect(t.sent).toHaveLength(1);
  });

  it('denies an order over the maximum quantity with RISK.MAX_ORDER_QUANTITY', async () => {
    const t = await setup();
    await t.stores.orders.create(proposed(2, { quantity: 1001 }));
    await runPretrade(t.pretrade, id(2));
    expect(await t.stores.orders.get(id(2))).toMatchObject({ status: 'DENIED', reasonCode: 'RISK.MAX_ORDER_QUANTITY' });
    expect(t.sent).toHaveLength(0);
  });

  it('denies a restricted instrument in the compliance branch', async () => {
    const t = await setup({ restrictedSymbols: ['AAPL'] });
    await t.stores.orders.create(proposed(3));
    const verdict = (await createComplianceCheckTask(t.deps)({ clientOrderId: id(3) })) as { approved: boolean; reasons: Array<{ code: string }> };
    expect(verdict.approved).toBe(false);
    expect(verdict.reasons.map((r) => r.code)).toContain('COMPLIANCE.RESTRICTED_INSTRUMENT');
  });

  it('counts the order’s marginal VaR: an order that would take VaR past 90 % of the limit is denied', async () => {
    const t = await setup();
    // VaR 40,000 of 50,000 (80 %); AAPL's marginal 0.5 per unit of exposure: +0.5 × 100 × 187.30 = +9,365 → 98.7 %.
    t.deps.riskView = async () => ({ var: '40000', marginal: { AAPL: 0.5 } });
    await t.stores.orders.create(proposed(6));
    await runPretrade(t.pretrade, id(6));
    expect(await t.stores.orders.get(id(6))).toMatchObject({ status: 'DENIED', reasonCode: 'RISK.VAR_CRITICAL' });
    // The same order with a hedging marginal lowers VaR and passes.
    t.deps.riskView = async () => ({ var: '40000', marginal: { AAPL: -0.5 } });
    await t.stores.orders.create(proposed(7, { quantity: 100 }));
    expect((await runPretrade(t.pretrade, id(7))).decision).toBe('APPROVED');
  });

  it('denies everything while HALTED', async () => {
    const t = await setup();
    const s = await t.stores.tradingState.get();
    await t.stores.tradingState.compareAndSet(s!.version, { mode: 'HALTED', changedAt: t.clock.now().toISOString(), changedBy: 'risk', reason: 'test' });
    await t.stores.orders.create(proposed(4));
    await runPretrade(t.pretrade, id(4));
    expect((await t.stores.orders.get(id(4)))?.status).toBe('DENIED');
  });

  it('fails closed when the broker has not reported the account yet', async () => {
    const t = await setup();
    (t.stores.accounts as unknown as { list: () => Promise<unknown[]> }).list = async () => [];
    await t.stores.orders.create(proposed(5));
    await runPretrade(t.pretrade, id(5));
    expect(await t.stores.orders.get(id(5))).toMatchObject({ status: 'DENIED', reasonCode: 'PRETRADE.CHECK_FAILED' });
  });
});

describe('pretradePolicyFromConfig', () => {
  it('maps every shipped config into limits the core accepts, with the runbook thresholds', async () => {
    const { pretradePolicyFromConfig } = await import('../../../lib/app/pretrade/policy.js');
    const { loadConfig, ENV_NAMES } = await import('../../../lib/config/index.js');
    const { RiskLimitsSchema, ComplianceRulesSchema } = await import('../../../lib/core/pretrade/limits.js');
    for (const env of ENV_NAMES) {
      const p = pretradePolicyFromConfig(loadConfig(env));
      const limits = RiskLimitsSchema.parse(p.limits);
      ComplianceRulesSchema.parse(p.compliance);
      expect(limits).toMatchObject({ leverageWarning: '1.5', leverageCritical: '1.8', varWarningUtilization: '0.8', varCriticalUtilization: '0.9' });
    }
  });
});
