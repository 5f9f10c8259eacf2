import { z } from 'zod';
import { ClientOrderIdSchema, CorrelationIdSchema, IsoTimestampSchema } from '../shared/ids.js';

/**
 * Commands to the broker bridge, carried by the command queue (SQS FIFO in AWS, deduplicated by
 * `dedupId`; an in-process queue locally). The bridge reads the order itself from the order store:
 * a command carries only the identity, so a forged or stale body cannot change what is sent.
 * @example
 * { kind: 'SubmitOrder', clientOrderId: 'CO-1', correlationId: 'c-1', issuedAt: '…', issuedBy: 'execution-agent' }
 */
export const SubmitOrderSchema = z.strictObject({
  kind: z.literal('SubmitOrder'),
  clientOrderId: ClientOrderIdSchema,
  correlationId: CorrelationIdSchema,
  issuedAt: IsoTimestampSchema,
  issuedBy: z.string().min(1),
});
export const CancelOrderSchema = z.strictObject({
  kind: z.literal('CancelOrder'),
  clientOrderId: ClientOrderIdSchema,
  correlationId: CorrelationIdSchema,
  issuedAt: IsoTimestampSchema,
  issuedBy: z.string().min(1),
});
export const CancelAllOrdersSchema = z.strictObject({
  kind: z.literal('CancelAllOrders'),
  reason: z.string().min(1),
  correlationId: CorrelationIdSchema,
  issuedAt: IsoTimestampSchema,
  issuedBy: z.string().min(1),
});
/**
 * Broker resilience (issue 4): reconcile with the broker now (runbook reconcile_orders.py). The
 * bridge answers with a `BrokerReconciled` event carrying this command's correlationId.
 * `acceptBrokerPositions`: the operator has checked a position difference and takes the broker's
 * positions as the new baseline (audited through the event's `requestedBy`).
 * @example
 * { kind: 'Reconcile', correlationId: 'c-1', issuedAt: '…', issuedBy: 'jane' }
 */
export const ReconcileSchema = z.strictObject({
  kind: z.literal('Reconcile'),
  correlationId: CorrelationIdSchema,
  issuedAt: IsoTimestampSchema,
  issuedBy: z.string().min(1),
  acceptBrokerPositions: z.boolean().optional(),
});
export const OrderCommandSchema = z.discriminatedUnion('kind', [SubmitOrderSchema, CancelOrderSchema, CancelAllOrdersSchema, ReconcileSchema]);
export type Reconcile = z.infer<typeof ReconcileSchema>;
export type SubmitOrder = z.infer<typeof SubmitOrderSchema>;
export type CancelOrder = z.infer<typeof CancelOrderSchema>;
export type CancelAllOrders = z.infer<typeof CancelAllOrdersSchema>;
export type OrderCommand = z.infer<typeof OrderCommandSchema>;

/** FIFO message group and deduplication id for a command (SQS FIFO semantics, also applied locally). */
export function commandRouting(cmd: OrderCommand): { groupId: string; dedupId: string } {
  switch (cmd.kind) {
    case 'SubmitOrder':
      return { groupId: cmd.clientOrderId, dedupId: `submit:${cmd.clientOrderId}` };
    case 'CancelOrder':
      return { groupId: cmd.clientOrderId, dedupId: `cancel:${cmd.clientOrderId}:${cmd.issuedAt}` };
    case 'CancelAllOrders':
      return { groupId: 'cancel-all', dedupId: `cancel-all:${cmd.issuedAt}` };
    case 'Reconcile':
      return { groupId: 'reconcile', dedupId: `reconcile:${cmd.correlationId}` };
  }
}
