import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

export const TradingMode = { ACTIVE: 'ACTIVE', REDUCING: 'REDUCING', HALTED: 'HALTED' } as const;
export const TradingModeSchema = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
export type TradingMode = z.infer<typeof TradingModeSchema>;

/**
 * The one trading-state record. Every change is a conditional write on `version` and an audit entry.
 * @example
 * { mode: 'HALTED', version: 7, changedAt: '2026-11-26T14:30:00.000Z', changedBy: 'john.doe', reason: 'Manual activation' }
 */
export const TradingStateSchema = z.strictObject({
  mode: TradingModeSchema,
  version: z.number().int().nonnegative(),
  changedAt: IsoTimestampSchema,
  changedBy: z.string().min(1),
  reason: z.string(),
});
export type TradingState = z.infer<typeof TradingStateSchema>;
