import type { z } from 'zod';
import type { ApiResponse, RequestContext } from '../route-spec.js';
import { getExecutionStats, ExecutionStatsQuerySchema } from '../../app/execution/execution-stats.js';

export { ExecutionStatsQuerySchema };

/** `GET /api/execution/stats?by=strategy|instrument&date=today|YYYY-MM-DD` — fill rate, avg/p95 slippage bps, time to fill, with the runbook's alert levels. */
export async function executionStats(input: { query: z.infer<typeof ExecutionStatsQuerySchema> }, { deps }: RequestContext): Promise<ApiResponse> {
  return { status: 200, body: await getExecutionStats({ records: deps.stores.executions, clock: deps.clock }, input.query) };
}
