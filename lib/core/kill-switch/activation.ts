import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

/**
 * The last whole-firm kill-switch activation: who, when, why, and the incident it opened. Written
 * after the conditional write that set HALTED; `stateVersion` ties it to that trading-state record,
 * so a later halt by another path (broker auto-halt, a live first start) is not mistaken for it.
 * @example { activatedBy: 'john.doe', activatedAt: '…', reason: 'Manual activation', incidentId: 'INC-…', stateVersion: 4, correlationId: 'c-1' }
 */
export const KillSwitchActivationSchema = z.strictObject({
  activatedBy: z.string().min(1),
  activatedAt: IsoTimestampSchema,
  reason: z.string().min(1),
  incidentId: z.string().min(1),
  stateVersion: z.number().int().nonnegative(),
  correlationId: z.string().min(1),
});
export type KillSwitchActivation = z.infer<typeof KillSwitchActivationSchema>;

/**
 * What the bridge found after a global cancel, checked against the broker's own open orders.
 * @example { correlationId: 'c-1', requestedBy: 'john.doe', complete: true, remaining: 0, attempts: 1, durationMs: 42, verifiedAt: '…', brokerOrderIds: [] }
 */
export const CancelVerificationSchema = z.strictObject({
  correlationId: z.string().min(1),
  requestedBy: z.string().min(1),
  complete: z.boolean(),
  remaining: z.number().int().nonnegative(),
  attempts: z.number().int().positive(),
  durationMs: z.number().int().nonnegative(),
  verifiedAt: IsoTimestampSchema,
  /** Broker order ids still open when the bridge gave up (empty when complete). */
  brokerOrderIds: z.array(z.string()),
});
export type CancelVerification = z.infer<typeof CancelVerificationSchema>;
