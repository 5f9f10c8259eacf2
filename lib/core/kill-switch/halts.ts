import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

/** Strategy ids as the signals carry them (`ma-crossover`). */
export const StrategyIdSchema = z.string().trim().min(1, 'a strategy id such as ma-crossover').max(64).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/**
 * One strategy halted by a scoped kill switch (FIA: the kill switch is granular, per trading
 * system). While the record exists, the CIO drops the strategy's signals and the bridge's final gate
 * refuses its orders; the rest of the firm trades on.
 * @example { strategyId: 'ma-crossover', haltedBy: 'jane.doe', haltedAt: '…', reason: 'runaway signals', incidentId: 'INC-…' }
 */
export const StrategyHaltSchema = z.strictObject({
  strategyId: StrategyIdSchema,
  haltedBy: z.string().min(1),
  haltedAt: IsoTimestampSchema,
  reason: z.string().min(1),
  incidentId: z.string().min(1).optional(),
  correlationId: z.string().min(1).optional(),
});
export type StrategyHalt = z.infer<typeof StrategyHaltSchema>;

/** Denial code of a signal or order whose strategy is halted (CIO, pre-trade and the final gate). */
export const STRATEGY_HALTED = 'STRATEGY_HALTED' as const;

/**
 * Whether an order or signal of `strategyId` is refused by a strategy halt; `undefined` when it may go on.
 * Orders without a strategy (risk reductions, EXTERNAL) are never refused here: a strategy halt
 * must not block the firm's own risk reduction.
 * @example strategyHaltDenial('ma-crossover', [halt]) // { code: 'STRATEGY_HALTED', message: 'strategy ma-crossover is halted by jane.doe: runaway signals' }
 */
export function strategyHaltDenial(strategyId: string | undefined, halts: ReadonlyArray<Pick<StrategyHalt, 'strategyId' | 'haltedBy' | 'reason'>>): { code: typeof STRATEGY_HALTED; message: string } | undefined {
  if (strategyId === undefined) return undefined;
  const halt = halts.find((h) => h.strategyId === strategyId);
  return halt === undefined ? undefined : { code: STRATEGY_HALTED, message: `strategy ${strategyId} is halted by ${halt.haltedBy}: ${halt.reason}` };
}
