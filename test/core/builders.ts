import { FillSchema, type Fill } from '../../lib/core/fills/fill.js';
import { OrderSchema, type Order } from '../../lib/core/orders/order.js';

/** Test data builders: a valid record, overridable field by field (parsed, so brands are real). */
export function anOrder(overrides: Partial<Record<keyof Order, unknown>> = {}): Order {
  return OrderSchema.parse({
    clientOrderId: 'CO-20261126-000001',
    brokerOrderId: '1001',
    account: 'DU1234567',
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 100,
    type: 'LMT',
    limitPrice: '187.20',
    tif: 'DAY',
    status: 'ACCEPTED',
    filledQuantity: 0,
    correlationId: 'c-1',
    createdAt: '2026-11-26T14:30:00.000Z',
    updatedAt: '2026-11-26T14:30:00.000Z',
    version: 3,
    ...overrides,
  });
}

let execSeq = 0;
export function aFill(overrides: Partial<Record<keyof Fill, unknown>> = {}): Fill {
  execSeq += 1;
  return FillSchema.parse({
    execId: `0000e0d5.0000000${execSeq}.01.01`,
    clientOrderId: 'CO-20261126-000001',
    brokerOrderId: '1001',
    account: 'DU1234567',
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 10,
    price: '187.20',
    currency: 'USD',
    executedAt: '2026-11-26T14:31:00.000Z',
    ...overrides,
  });
}
