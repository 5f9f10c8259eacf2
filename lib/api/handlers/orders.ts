import { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { SymbolSchema } from '../../core/shared/ids.js';

export const PendingOrdersQuerySchema = z.strictObject({
  symbol: SymbolSchema.optional(),
});

/**
 * `GET /api/orders/pending` — working orders (`{"count": N, "orders": [...]}`); the graceful
 * shutdown waits on `.count` reaching 0, so UNRESOLVED orders count as pending too.
 */
export async function pendingOrders(input: { query: z.infer<typeof PendingOrdersQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  const working = await deps.stores.orders.listWorking();
  const orders = (input.query.symbol ? working.filter((o) => o.symbol === input.query.symbol) : working).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { status: 200, body: { count: orders.length, orders } };
}
