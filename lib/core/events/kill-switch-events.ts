import { z } from 'zod';

/** Details of the events the bridge publishes about a cancel-all (kill switch, `cancel-all-orders`). */

/**
 * The bridge sent reqGlobalCancel and then saw, from the broker's own open orders
 * (reqAllOpenOrders … openOrderEnd), that none remain. `attempts` counts global cancels sent.
 * @example
 * { remaining: 0, attempts: 1, durationMs: 38, requestedBy: 'john.doe', correlationId: 'c-1', reason: 'Manual activation' }
 */
export const GlobalCancelVerifiedSchema = z.strictObject({
  remaining: z.literal(0),
  attempts: z.number().int().positive(),
  durationMs: z.number().int().nonnegative(),
  requestedBy: z.string().min(1),
  correlationId: z.string().min(1),
  reason: z.string().min(1),
});
export type GlobalCancelVerified = z.infer<typeof GlobalCancelVerifiedSchema>;

/**
 * The bridge gave up verifying a global cancel: after `attempts` global cancels the broker still
 * lists `remaining` open orders (or could not be asked: `error`). On-call is paged; the trading
 * state stays as it is (HALTED refuses every new order regardless).
 * @example
 * { remaining: 2, attempts: 6, durationMs: 3100, requestedBy: 'john.doe', correlationId: 'c-1', reason: 'Manual activation', brokerOrderIds: ['17', '18'] }
 */
export const GlobalCancelIncompleteSchema = z.strictObject({
  remaining: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
  requestedBy: z.string().min(1),
  correlationId: z.string().min(1),
  reason: z.string().min(1),
  brokerOrderIds: z.array(z.string()),
  error: z.string().optional(),
});
export type GlobalCancelIncomplete = z.infer<typeof GlobalCancelIncompleteSchema>;
