import type { Order } from '../../../lib/core/orders/order.js';
import type { Fill } from '../../../lib/core/fills/fill.js';
import { OrderSchema } from '../../../lib/core/orders/order.js';
import { FillSchema } from '../../../lib/core/fills/fill.js';

export function anOrder(overrides: Partial<Record<keyof Order, unknown>> = {}): Order {
  return OrderSchema.parse({
    clientOrderId: 'CO-20261126-000001',
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 10,
    type: 'LMT',
    limitPrice: '187.20',
    status: 'APPROVED',
    correlationId: 'corr-1',
    createdAt: '2026-11-26T15:00:00.000Z',
    updatedAt: '2026-11-26T15:00:00.000Z',
    version: 0,
    ...overrides,
  });
}

export function aFill(overrides: Partial<Record<keyof Fill, unknown>> = {}): Fill {
  return FillSchema.parse({
    execId: '0000e0d5.00000001.01.01',
    clientOrderId: 'CO-20261126-000001',
    brokerOrderId: '1001',
    account: 'DU1234567',
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 10,
    price: '187.20',
    currency: 'USD',
    executedAt: '2026-11-26T15:00:01.000Z',
    ...overrides,
  });
}
