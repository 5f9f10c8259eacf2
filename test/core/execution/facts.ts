import { OrderDeniedSchema, OrderRejectedSchema, OrderStatusReportSchema, OrderSubmittedSchema } from '../../../lib/core/events/gateway-events.js';
import type { ExecutionFact } from '../../../lib/core/execution/record.js';
import type { ClientOrderId } from '../../../lib/core/shared/ids.js';
import { aFill, anOrder } from '../builders.js';

/** Facts of one order CO-1 (BUY 100 AAPL, arrival 100.00), for the execution tests. */
export const ID = 'CO-1' as ClientOrderId;

export const proposed = (overrides: Record<string, unknown> = {}): ExecutionFact => ({
  kind: 'order',
  order: anOrder({ clientOrderId: ID, brokerOrderId: undefined, status: 'PROPOSED', quantity: 100, arrivalPrice: '100', origin: { strategyId: 'momentum-1', agentId: 'cio', agentVersion: '1' }, createdAt: '2026-11-26T14:30:00.000Z', ...overrides }),
});

export const submitted = (at = '2026-11-26T14:30:01.000Z', overrides: Record<string, unknown> = {}): ExecutionFact => ({
  kind: 'submitted',
  at,
  detail: OrderSubmittedSchema.parse({ clientOrderId: ID, brokerOrderId: '1001', account: 'DU1234567', symbol: 'AAPL', side: 'BUY', quantity: 100, type: 'LMT', limitPrice: '100.5', ...overrides }),
});

export const fill = (execId: string, quantity: number, price: string, executedAt: string, overrides: Record<string, unknown> = {}): ExecutionFact => ({
  kind: 'fill',
  fill: aFill({ execId, clientOrderId: ID, brokerOrderId: '1001', quantity, price, executedAt, ...overrides }),
});

export const status = (s: string, filled: number, at: string): ExecutionFact => ({
  kind: 'status',
  at,
  detail: OrderStatusReportSchema.parse({ clientOrderId: ID, brokerOrderId: '1001', brokerStatus: s === 'CANCELLED' ? 'Cancelled' : s === 'FILLED' ? 'Filled' : 'Submitted', status: s, filled, remaining: 100 - filled }),
});

export const commission = (execId: string, amount: string): ExecutionFact => ({ kind: 'commission', clientOrderId: ID, execId, commission: amount });

export const rejected = (at = '2026-11-26T14:30:02.000Z'): ExecutionFact => ({ kind: 'rejected', at, detail: OrderRejectedSchema.parse({ clientOrderId: ID, brokerOrderId: '1001', code: 201, message: 'insufficient buying power' }) });

export const denied = (at = '2026-11-26T14:30:00.500Z'): ExecutionFact => ({ kind: 'denied', at, detail: OrderDeniedSchema.parse({ clientOrderId: ID, reasonCode: 'GATE.TRADING_HALTED', message: 'halted', deniedBy: 'final-gate' }) });
