import { describe, expect, it } from 'vitest';
import { OrderCommandSchema, commandRouting } from '../../../lib/core/orders/commands.js';

const base = { correlationId: 'c-1', issuedAt: '2026-11-26T14:30:00.000Z', issuedBy: 'execution-agent' };

describe('commandRouting', () => {
  it('deduplicates a submit by clientOrderId and groups it with the order', () => {
    const a = commandRouting(OrderCommandSchema.parse({ kind: 'SubmitOrder', clientOrderId: 'CO-20261126-000001', ...base }));
    const b = commandRouting(OrderCommandSchema.parse({ kind: 'SubmitOrder', clientOrderId: 'CO-20261126-000001', ...base, issuedAt: '2026-11-26T14:31:00.000Z' }));
    expect(a).toEqual({ groupId: 'CO-20261126-000001', dedupId: 'submit:CO-20261126-000001' });
    expect(b).toEqual(a);
  });

  it('keeps a cancel in the order group but lets a later cancel through', () => {
    const cancel = (issuedAt: string) => commandRouting(OrderCommandSchema.parse({ kind: 'CancelOrder', clientOrderId: 'CO-20261126-000001', ...base, issuedAt }));
    expect(cancel('2026-11-26T14:30:00.000Z').groupId).toBe('CO-20261126-000001');
    expect(cancel('2026-11-26T14:30:00.000Z').dedupId).not.toBe(cancel('2026-11-26T14:30:01.000Z').dedupId);
  });

  it('routes cancel-all in its own group', () => {
    expect(commandRouting(OrderCommandSchema.parse({ kind: 'CancelAllOrders', reason: 'kill switch', ...base })).groupId).toBe('cancel-all');
  });

  it('refuses a command with an unknown kind or extra field', () => {
    expect(OrderCommandSchema.safeParse({ kind: 'ModifyOrder', clientOrderId: 'CO-1', ...base }).success).toBe(false);
    expect(OrderCommandSchema.safeParse({ kind: 'SubmitOrder', clientOrderId: 'CO-1', quantity: 10, ...base }).success).toBe(false);
  });
});
