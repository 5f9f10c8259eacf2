import { describe, expect, it } from 'vitest';
import { runPretrade } from '../../../lib/app/pretrade/run-pretrade.js';
import { LocalWorkflowRunner } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { ClientOrderIdSchema } from '../../../lib/core/shared/ids.js';
import { InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import { anOrder } from '../../core/builders.js';
import type { WorkflowTaskHandler } from '../../../lib/ports/workflows.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function setup(risk: WorkflowTaskHandler, compliance: WorkflowTaskHandler) {
  const orders = new InMemoryOrderStore();
  const sent: OrderCommand[] = [];
  const commands = { sent, send: async (c: OrderCommand) => void sent.push(c) };
  const publisher = new RecordingPublisher();
  let n = 0;
  const deps = { workflows: new LocalWorkflowRunner({ root: ROOT, handlers: { RiskCheck: risk, ComplianceCheck: compliance } }), orders, commands, publisher, clock: new ManualClock(), newId: () => `e-${++n}`, logger: new MemoryLogger() };
  return { deps, orders, commands, publisher };
}
const pass: WorkflowTaskHandler = async () => ({ approved: true, reasons: [], warnings: [] });
const id = ClientOrderIdSchema.parse('CO-20261127-000001');
const proposed = () => anOrder({ clientOrderId: id, status: 'PROPOSED', brokerOrderId: undefined, version: 0 });

describe('runPretrade', () => {
  it('approves a proposed order, publishes OrderApproved and queues exactly one SubmitOrder', async () => {
    const t = setup(pass, pass);
    await t.orders.create(proposed());
    const r = await runPretrade(t.deps, id);
    expect(r.decision).toBe('APPROVED');
    expect((await t.orders.get(id))?.status).toBe('APPROVED');
    expect(t.publisher.ofType('OrderApproved')).toHaveLength(1);
    expect(t.commands.sent.map((c) => c.kind)).toEqual(['SubmitOrder']);
  });

  it('denies with every reason, the first one as the code, and queues nothing', async () => {
    const t = setup(async () => ({ approved: false, reasons: [{ code: 'RISK.MAX_ORDER_NOTIONAL', message: 'notional 120000 > 100000' }] }), async () => ({ approved: false, reasons: [{ code: 'COMPLIANCE.RESTRICTED_INSTRUMENT', message: 'AAPL is restricted' }] }));
    await t.orders.create(proposed());
    const r = await runPretrade(t.deps, id);
    expect(r.decision).toBe('DENIED');
    const stored = await t.orders.get(id);
    expect(stored).toMatchObject({ status: 'DENIED', reasonCode: 'RISK.MAX_ORDER_NOTIONAL' });
    expect(stored?.reason).toContain('COMPLIANCE.RESTRICTED_INSTRUMENT');
    expect(t.publisher.ofType('OrderDenied')[0]?.detail).toMatchObject({ deniedBy: 'pre-trade', reasonCode: 'RISK.MAX_ORDER_NOTIONAL' });
    expect(t.commands.sent).toEqual([]);
  });

  it('fails closed when a check errors', async () => {
    const t = setup(async () => {
      throw new Error('positions unreadable');
    }, pass);
    await t.orders.create(proposed());
    expect((await runPretrade(t.deps, id)).decision).toBe('DENIED');
    expect((await t.orders.get(id))?.reasonCode).toBe('PRETRADE.CHECK_FAILED');
    expect(t.commands.sent).toEqual([]);
  });

  it('does nothing twice: a redelivery of a decided order is skipped', async () => {
    const t = setup(pass, pass);
    await t.orders.create(proposed());
    await runPretrade(t.deps, id);
    expect((await runPretrade(t.deps, id)).decision).toBe('SKIPPED');
    expect(t.commands.sent).toHaveLength(1);
    expect(t.publisher.events).toHaveLength(1);
  });
});
