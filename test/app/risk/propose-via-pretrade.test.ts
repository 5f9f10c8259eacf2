import { describe, expect, it } from 'vitest';
import { createPretradeProposer } from '../../../lib/app/risk/propose-via-pretrade.js';
import { LocalWorkflowRunner } from '../../../lib/adapters/workflows/local-workflow-runner.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import type { OrderCommand } from '../../../lib/core/orders/commands.js';
import type { PlannedOrder } from '../../../lib/core/risk/reduce.js';
import type { WorkflowTaskHandler } from '../../../lib/ports/workflows.js';
import { InMemoryOrderStore } from '../../../lib/adapters/memory/gateway-stores.js';
import { MemoryLogger, RecordingPublisher } from '../../support/doubles.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const pass: WorkflowTaskHandler = async () => ({ approved: true, reasons: [], warnings: [] });
/** Denies the second order checked (orders are proposed one after another: AAPL, the plan's second). */
function denySecond(): WorkflowTaskHandler {
  let calls = 0;
  return async () => (++calls === 2 ? { approved: false, reasons: [{ code: 'RISK.PRICE_COLLAR', message: 'no reference price' }] } : { approved: true, reasons: [], warnings: [] });
}

function setup(risk: WorkflowTaskHandler) {
  const orders = new InMemoryOrderStore();
  const sent: OrderCommand[] = [];
  const publisher = new RecordingPublisher();
  let n = 0;
  const deps = { workflows: new LocalWorkflowRunner({ root: ROOT, handlers: { RiskCheck: risk, ComplianceCheck: pass } }), orders, commands: { send: async (c: OrderCommand) => void sent.push(c) }, publisher, clock: new ManualClock('2026-11-27T15:00:00.000Z'), newId: () => `e-${++n}`, logger: new MemoryLogger() };
  return { propose: createPretradeProposer(deps, { accountId: 'DU1', agentVersion: '1.0.0' }), orders, sent, publisher };
}

const plan: PlannedOrder[] = [
  { symbol: 'MSFT', side: 'SELL', quantity: 250, reducesExposure: true, estimatedNotional: '100000.00', reason: 'cut MSFT' },
  { symbol: 'AAPL', side: 'SELL', quantity: 100, reducesExposure: true, reason: 'cut AAPL' },
];
const reason = { source: 'var_critical' as const, requestedBy: 'risk-agent', note: 'var_critical: reduce_positions', correlationId: 'corr-1' };

describe('createPretradeProposer', () => {
  it('sends each planned order through pre-trade: approved ones are queued, denied ones say why', async () => {
    const t = setup(denySecond());
    const outcomes = await t.propose(plan, reason);
    expect(outcomes.map((o) => [o.symbol, o.status, o.reasonCode])).toEqual([['MSFT', 'approved', undefined], ['AAPL', 'denied', 'RISK.PRICE_COLLAR']]);
    expect(t.sent.map((c) => c.kind)).toEqual(['SubmitOrder']);
    const msft = await t.orders.get(outcomes[0]!.clientOrderId! as never);
    expect(msft).toMatchObject({ type: 'MKT', side: 'SELL', quantity: 250, account: 'DU1', arrivalPrice: '400', origin: { strategyId: 'risk:var_critical', agentId: 'risk-agent' } });
    expect(t.publisher.ofType('OrderProposed')).toHaveLength(2);
  });

  it('does not create or send a second order when the same reduction is retried', async () => {
    const t = setup(pass);
    const first = await t.propose(plan, reason);
    const again = await t.propose(plan, reason);
    expect(again.map((o) => o.clientOrderId)).toEqual(first.map((o) => o.clientOrderId));
    expect(t.orders.orders.size).toBe(2);
    expect(t.sent).toHaveLength(2);
  });
});
