import type { OrderCommand } from '../../../lib/core/orders/commands.js';

export const submit = (id: string, issuedAt = '2026-11-26T14:30:00.000Z'): OrderCommand => ({ kind: 'SubmitOrder', clientOrderId: id, correlationId: `c-${id}`, issuedAt, issuedBy: 'execution-agent' }) as OrderCommand;
export const cancel = (id: string, issuedAt: string): OrderCommand => ({ kind: 'CancelOrder', clientOrderId: id, correlationId: `c-${id}`, issuedAt, issuedBy: 'ops' }) as OrderCommand;
export const label = (c: OrderCommand) => (c.kind === 'CancelAllOrders' ? 'cancel-all' : c.kind === 'Reconcile' ? `reconcile:${c.correlationId}` : `${c.kind === 'SubmitOrder' ? 'submit' : 'cancel'}:${c.clientOrderId}`);

/** Polls until `check` returns true or the deadline passes. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}
