import { afterEach, describe, expect, it } from 'vitest';
import { LocalWorkflowRunner } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { bindWorkflowTasks } from '../../../lib/app/workflow-tasks.js';
import { createRiskCheckTask, type CheckTaskDeps } from '../../../lib/app/pretrade/check-tasks.js';
import { requestShutdown, requestStartup, resumeOpenDrain } from '../../../lib/app/lifecycle/request-lifecycle.js';
import { AccountSummarySchema } from '../../../lib/core/account/account-summary.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { StateStores } from '../../../lib/ports/state-stores.js';
import { MemoryLogger } from '../../support/doubles.js';
import { InMemoryAuditLog } from '../../../lib/adapters/memory/execution-stores.js';
import { poll } from '../../support/poll.js';
import { allInMemoryStores } from '../../support/memory-stores.js';
import { anOrder } from '../../core/builders.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const NOW = '2026-11-27T15:00:00.000Z';

function setup(options: { configOk?: boolean } = {}) {
  const clock = new ManualClock(NOW);
  const stores: StateStores = allInMemoryStores(clock);
  const handlers = bindWorkflowTasks({
    stores,
    clock,
    riskView: async () => undefined,
    policy: { limits: { maxOrderQuantity: 1, maxOrderNotional: '1', priceCollarBps: 1, maxPositionNotionalPerInstrument: '1', maxGrossExposure: '1', maxNetExposure: '1', dailyLossLimit: '1', varLimit: '1' }, compliance: {}, restrictedSymbols: [], noShortSymbols: [], blackoutWindows: [] },
    validateConfig: async () => (options.configOk === false ? { ok: false, summary: 'config/local.yaml: risk.limits.var: expected a decimal string' } : { ok: true, summary: 'config valid' }),
    brokerStaleAfterMs: 15_000,
  });
  const starter = new LocalWorkflowRunner({ root: ROOT, handlers, logger: new MemoryLogger() });
  let n = 0;
  const deps = { stores, starter, clock, newId: () => `01JDX7Q8ZK${String(++n).padStart(16, '0')}` };
  const healthyBroker = (reconciled = true) => stores.health.report({ component: 'broker', status: reconciled ? 'ok' : 'degraded', detail: { connected: true, reconciled, account: 'DU1234567' }, observedAt: clock.now().toISOString() });
  const account = () => stores.accounts.put(AccountSummarySchema.parse({ account: 'DU1234567', currency: 'USD', netLiquidation: '1000000', totalCash: '1000000', buyingPower: '2000000', grossPositionValue: '0', updatedAt: NOW }));
  return { clock, stores, starter, handlers, deps, healthyBroker, account };
}

let current: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await current?.starter.close();
  current = undefined;
});

describe('startup workflow (statemachines/startup.asl.json in the local interpreter)', () => {
  it('runs every step in order and marks READY; a stale proposal is cleared', async () => {
    // Prepare
    const t = (current = setup());
    await t.healthyBroker();
    await t.account();
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000009', status: 'PROPOSED', brokerOrderId: undefined, createdAt: '2026-11-27T14:00:00.000Z', updatedAt: '2026-11-27T14:00:00.000Z', version: 0 }));
    // Act
    const r = await requestStartup(t.deps, { by: 'jane', reason: 'morning' });
    await t.starter.idle();
    // Assess
    expect(r.ok).toBe(true);
    const rec = await t.stores.systemPhase.get();
    expect(rec).toMatchObject({ phase: 'READY', by: 'jane', startup: { status: 'SUCCEEDED' } });
    expect(rec?.startup?.steps.map((s) => s.step)).toEqual(['CheckBrokerConnection', 'ValidateConfig', 'ClearStaleLocks', 'ReconcileOrders', 'VerifyPositions', 'ReviewPendingAlerts']);
    expect(rec?.startup?.steps.find((s) => s.step === 'ClearStaleLocks')?.findings).toMatchObject({ cleared: ['CO-20261127-000009'] });
    expect(await t.stores.orders.get('CO-20261127-000009' as never)).toMatchObject({ status: 'DENIED', reasonCode: 'LIFECYCLE.STALE_PROPOSAL' });
  });

  it.each([
    { name: 'broker not reconciled', prepare: async (t: ReturnType<typeof setup>) => { await t.healthyBroker(false); await t.account(); }, failedStep: 'CheckBrokerConnection', code: 'STARTUP.BROKER_NOT_RECONCILED', configOk: true },
    { name: 'config invalid', prepare: async (t: ReturnType<typeof setup>) => { await t.healthyBroker(); await t.account(); }, failedStep: 'ValidateConfig', code: 'STARTUP.CONFIG_INVALID', configOk: false },
    {
      name: 'an UNRESOLVED order',
      prepare: async (t: ReturnType<typeof setup>) => {
        await t.healthyBroker();
        await t.account();
        await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000001', status: 'UNRESOLVED', createdAt: NOW, updatedAt: NOW, version: 0 }));
      },
      failedStep: 'ReconcileOrders',
      code: 'STARTUP.UNRESOLVED_ORDERS',
      configOk: true,
    },
    { name: 'no account from the broker', prepare: async (t: ReturnType<typeof setup>) => { await t.healthyBroker(); }, failedStep: 'VerifyPositions', code: 'STARTUP.NO_ACCOUNT', configOk: true },
    {
      name: 'a critical risk alert',
      prepare: async (t: ReturnType<typeof setup>) => {
        await t.healthyBroker();
        await t.account();
        await t.stores.risk.raiseIfInactive({ name: 'var_critical', metric: 'portfolio_var_utilization', severity: 'CRITICAL', value: 0.95, threshold: 0.9, message: 'VaR at 95 % of limit', raisedAt: NOW, holdUntilClear: false });
      },
      failedStep: 'ReviewPendingAlerts',
      code: 'STARTUP.CRITICAL_ALERTS',
      configOk: true,
    },
  ])('stops at the failing step ($name) and leaves the phase STARTING', async ({ prepare, failedStep, code, configOk }) => {
    const t = (current = setup({ configOk }));
    await prepare(t);
    await requestStartup(t.deps, { by: 'jane', reason: 'after incident' });
    await t.starter.idle();
    const rec = await t.stores.systemPhase.get();
    expect(rec).toMatchObject({ phase: 'STARTING', startup: { status: 'FAILED', failedStep, error: { code } } });
    expect(rec?.startup?.steps.at(-1)).toMatchObject({ step: failedStep, status: 'failed', code });
    // No later step ran.
    expect(rec?.startup?.steps.map((s) => s.step)).not.toContain('MarkReady');
  });
});

describe('shutdown workflow (statemachines/shutdown.asl.json in the local interpreter)', () => {
  it('stays DRAINING while an order works and goes STOPPED once it is filled', async () => {
    const t = (current = setup());
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000002', status: 'ACCEPTED', createdAt: NOW, updatedAt: NOW, version: 0 }));
    const r = await requestShutdown(t.deps, { by: 'jane', reason: 'end of day', timeoutS: 300, pollSeconds: 1 });
    expect(r.ok && r.value.record.phase).toBe('DRAINING');
    expect((await t.stores.systemPhase.get())?.phase).toBe('DRAINING');
    const o = (await t.stores.orders.get('CO-20261127-000002' as never))!;
    await t.stores.orders.update({ ...o, status: 'FILLED', filledQuantity: o.quantity });
    await poll('STOPPED', async () => ((await t.stores.systemPhase.get())?.phase === 'STOPPED' ? true : undefined), 10_000);
    expect(t.stores.audit instanceof InMemoryAuditLog && t.stores.audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['SYSTEM_SHUTDOWN_REQUESTED', 'SYSTEM_STOPPED']));
  });

  it('reports a timed-out drain: still DRAINING, timed_out, the working orders listed', async () => {
    const t = (current = setup());
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000003', status: 'ACCEPTED', createdAt: NOW, updatedAt: NOW, version: 0 }));
    await requestShutdown(t.deps, { by: 'jane', reason: 'eod', timeoutS: 60, pollSeconds: 1 });
    t.clock.advance(61_000);
    await poll('drain timed out', async () => ((await t.stores.systemPhase.get())?.drain?.timedOut === true ? true : undefined), 10_000);
    expect(await t.stores.systemPhase.get()).toMatchObject({ phase: 'DRAINING', drain: { timedOut: true, workingOrders: ['CO-20261127-000003'] } });
  });
});

describe('a drain after a restart', () => {
  it('gets its monitor back: the open drain goes STOPPED once nothing works', async () => {
    const t = (current = setup());
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000005', status: 'ACCEPTED', createdAt: NOW, updatedAt: NOW, version: 0 }));
    await requestShutdown(t.deps, { by: 'jane', reason: 'eod', timeoutS: 300, pollSeconds: 1 });
    await t.starter.close(); // the process stops mid-drain
    const o = (await t.stores.orders.get('CO-20261127-000005' as never))!;
    await t.stores.orders.update({ ...o, status: 'CANCELLED' });
    const restarted = new LocalWorkflowRunner({ root: ROOT, handlers: t.handlers, logger: new MemoryLogger() });
    try {
      const drainId = await resumeOpenDrain({ stores: t.stores, starter: restarted, clock: t.clock }, { pollSeconds: 1, restartId: 'R1' });
      expect(drainId).toMatch(/^DRAIN-/);
      await poll('STOPPED', async () => ((await t.stores.systemPhase.get())?.phase === 'STOPPED' ? true : undefined), 10_000);
      expect(await resumeOpenDrain({ stores: t.stores, starter: restarted, clock: t.clock }, { pollSeconds: 1, restartId: 'R2' })).toBeUndefined();
    } finally {
      await restarted.close();
    }
  });
});

describe('pre-trade admission', () => {
  it('denies a new order with SYSTEM.DRAINING while the system drains', async () => {
    const t = (current = setup());
    await t.stores.orders.create(anOrder({ clientOrderId: 'CO-20261127-000004', status: 'PROPOSED', createdAt: NOW, updatedAt: NOW, version: 0 }));
    await requestShutdown(t.deps, { by: 'jane', reason: 'eod', timeoutS: 60, pollSeconds: 1 });
    const risk = createRiskCheckTask({ stores: t.stores, clock: t.clock, riskView: async () => undefined, policy: {} as CheckTaskDeps['policy'] });
    const verdict = (await risk({ clientOrderId: 'CO-20261127-000004' })) as { approved: boolean; reasons: Array<{ code: string }> };
    expect(verdict.approved).toBe(false);
    expect(verdict.reasons[0]?.code).toBe('SYSTEM.DRAINING');
  });
});
