import { z } from 'zod';
import { IsoTimestampSchema, SymbolSchema } from '../shared/ids.js';
import { DecimalStringSchema } from '../money/decimal-string.js';

/**
 * A trading signal from a strategy (an AI agent or a person): what it wants, how sure it is, and
 * who produced it — model, agent and version — so every order can be traced back to it
 * (MiFID II RTS 6 Art 12(3)). Either a direction or a target weight, or both.
 * @example
 * { signalId: 'SIG-1', strategyId: 'momentum-1', agentId: 'momentum-agent', agentVersion: '1.4.0', modelId: 'mom-lstm', modelVersion: '2026-11-01',
 *   symbol: 'AAPL', direction: 'LONG', targetWeight: '0.05', strength: 0.7, horizon: '1d', rationale: '20d breakout on volume', createdAt: '…' }
 */
export const SignalSchema = z
  .strictObject({
    signalId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    strategyId: z.string().min(1).max(64),
    agentId: z.string().min(1).max(64),
    agentVersion: z.string().min(1).max(64),
    modelId: z.string().min(1).max(128).optional(),
    modelVersion: z.string().min(1).max(64).optional(),
    symbol: SymbolSchema,
    /** FLAT: close the position. */
    direction: z.enum(['LONG', 'SHORT', 'FLAT']).optional(),
    /** Fraction of net liquidation, signed: "0.05" = 5 % long, "-0.02" = 2 % short. */
    targetWeight: DecimalStringSchema.refine((s) => Math.abs(Number(s)) <= 1, 'between -1 and 1').optional(),
    /** Confidence in [0, 1]. */
    strength: z.number().min(0).max(1),
    horizon: z.enum(['intraday', '1d', '1w', '1m']),
    rationale: z.string().min(1).max(2000),
    createdAt: IsoTimestampSchema,
  })
  .refine((s) => s.direction !== undefined || s.targetWeight !== undefined, { message: 'give a direction or a targetWeight', path: ['direction'] });
export type Signal = z.infer<typeof SignalSchema>;
