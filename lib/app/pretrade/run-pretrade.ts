import { z } from 'zod';
import { createEvent } from '../../core/events/catalog.js';
import { transition } from '../../core/orders/lifecycle.js';
import type { Order } from '../../core/orders/order.js';
import type { Clock } from '../../core/shared/clock.js';
import type { ClientOrderId } from '../../core/shared/ids.js';
import type { CommandQueue } from '../../ports/command-queue.js';
import type { EventPublisher } from '../../ports/events.js';
import type { Logger } from '../../ports/logger.js';
import type { OrderStore } from '../../ports/stores.js';
import type { WorkflowRunner } from '../../ports/workflows.js';

/** One check's verdict, as the RiskCheck and ComplianceCheck tasks return it. */
export const CheckVerdictSchema = z.object({
  approved: z.boolean(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })).default([]),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).default([]),
});
export type CheckVerdict = z.infer<typeof CheckVerdictSchema>;

/** The pre-trade workflow's output (statemachines/pretrade.asl.json). */
export const PretradeOutcomeSchema = z.object({
  decision: z.enum(['APPROVED', 'DENIED']),
  clientOrderId: z.string(),
  checks: z.object({ risk: CheckVerdictSchema, compliance: CheckVerdictSchema }).optional(),
  failure: z.unknown().optional(),
});
export type PretradeOutcome = z.infer<typeof PretradeOutcomeSchema>;

export interface PretradeDeps {
  workflows: WorkflowRunner;
  orders: OrderStore;
  commands: CommandQueue;
  publisher: EventPublisher;
  clock: Clock;
  newId: () => string;
  logger: Logger;
}

/**
 * Puts one PROPOSED order through the pre-trade workflow (risk ∥ compliance) and acts on the
 * verdict: APPROVED → order APPROVED, `OrderApproved`, `SubmitOrder` to the gateway queue;
 * DENIED → order DENIED with the first reason's code and every reason in the message, `OrderDenied`.
 * Called directly by the CIO agent after it proposes, so the order path has no bus hop here.
 * Idempotent: an order no longer PROPOSED is left alone (a redelivery decided it already).
 */
export async function runPretrade(deps: PretradeDeps, clientOrderId: ClientOrderId): Promise<{ decision: 'APPROVED' | 'DENIED' | 'SKIPPED'; order?: Order }> {
  const order = await deps.orders.get(clientOrderId);
  if (!order || order.status !== 'PROPOSED') return { decision: 'SKIPPED', ...(order ? { order } : {}) };
  const raw = await deps.workflows.runSync('pretrade', { clientOrderId });
  const outcome = PretradeOutcomeSchema.parse(raw);
  const now = deps.clock.now();
  const log = deps.logger.child({ correlationId: order.correlationId, clientOrderId });

  if (outcome.decision === 'APPROVED') {
    const approved = transition(order, 'APPROVED', now);
    const stored = await deps.orders.update({ ...approved, version: order.version });
    await deps.publisher.publish([
      createEvent('OrderApproved', { clientOrderId, checks: [{ check: 'risk', passed: true }, { check: 'compliance', passed: true }] }, { eventId: deps.newId(), now, correlationId: order.correlationId }),
    ]);
    await deps.commands.send({ kind: 'SubmitOrder', clientOrderId, correlationId: order.correlationId, issuedAt: now.toISOString(), issuedBy: 'pretrade' });
    log.info('order approved', { warnings: [...(outcome.checks?.risk.warnings ?? []), ...(outcome.checks?.compliance.warnings ?? [])].map((w) => w.code) });
    return { decision: 'APPROVED', order: stored };
  }

  const reasons = [...(outcome.checks?.risk.reasons ?? []), ...(outcome.checks?.compliance.reasons ?? [])];
  const reasonCode = reasons[0]?.code ?? 'PRETRADE.CHECK_FAILED';
  const message = reasons.length > 0 ? reasons.map((r) => `${r.code}: ${r.message}`).join('; ') : `a pre-trade check failed, so the order is denied (fail closed): ${JSON.stringify(outcome.failure ?? null)}`;
  const denied = transition(order, 'DENIED', now, { reason: message, reasonCode });
  const stored = await deps.orders.update({ ...denied, version: order.version });
  await deps.publisher.publish([createEvent('OrderDenied', { clientOrderId, reasonCode, message, deniedBy: 'pre-trade' }, { eventId: deps.newId(), now, correlationId: order.correlationId })]);
  log.info('order denied', { reasonCode, reasons: reasons.map((r) => r.code) });
  return { decision: 'DENIED', order: stored };
}
