import { z } from 'zod';
import { ExecutionOutcome } from '../execution/quality.js';
import { DecimalStringSchema } from '../money/decimal-string.js';
import { ClientOrderIdSchema, IsoTimestampSchema } from '../shared/ids.js';
import { AlertSeveritySchema, AlertStatusSchema, AlertTypeSchema, ComplianceAlertSchema } from '../surveillance/alert.js';

/** Details of the execution and surveillance agents' events (source `tradeops.trading`). */

/**
 * The surveillance agent raised a compliance alert (once per alert id). Notify compliance.
 * @example
 * { alert: { alertId: 'MAR-WASH-1f0c…', type: 'WASH_TRADE', severity: 'HIGH', status: 'new', account: 'DU1234567', symbol: 'AAPL', summary: '…', evidence: { orders: [], fills: [...], metrics: {} }, … } }
 */
export const ComplianceAlertRaisedSchema = z.strictObject({ alert: ComplianceAlertSchema });
export type ComplianceAlertRaised = z.infer<typeof ComplianceAlertRaisedSchema>;

/**
 * Someone acted on a compliance alert (`log-compliance-action`); `from`/`to` equal when the action
 * was a note.
 * @example
 * { alertId: 'MAR-WASH-1f0c…', type: 'WASH_TRADE', severity: 'HIGH', from: 'new', to: 'under_review', actor: 'jane.doe', action: 'Reviewed', at: '2026-11-26T15:10:00.000Z' }
 */
export const ComplianceAlertUpdatedSchema = z.strictObject({
  alertId: z.string().min(1),
  type: AlertTypeSchema,
  severity: AlertSeveritySchema,
  from: AlertStatusSchema,
  to: AlertStatusSchema,
  actor: z.string().min(1),
  action: z.string().min(1),
  at: IsoTimestampSchema,
});
export type ComplianceAlertUpdated = z.infer<typeof ComplianceAlertUpdatedSchema>;

/**
 * An order's execution finished (or its outcome changed, e.g. a late fill completed a cancelled
 * order): its execution quality. Slippage in bps against the arrival price, positive = cost.
 * @example
 * { clientOrderId: 'CO-20261126-000001', strategyId: 'momentum-1', symbol: 'AAPL', outcome: 'FILLED', orderedQuantity: 100, filledQuantity: 100, fillRatio: '1', avgFillPrice: '187.22', arrivalPrice: '187.2', slippageBps: '1.07', timeToFirstFillMs: 120, timeToCompleteMs: 950 }
 */
export const ExecutionQualityUpdatedSchema = z.strictObject({
  clientOrderId: ClientOrderIdSchema,
  strategyId: z.string().optional(),
  symbol: z.string().optional(),
  outcome: z.enum(Object.values(ExecutionOutcome) as [ExecutionOutcome, ...ExecutionOutcome[]]),
  orderedQuantity: z.number().int().positive().optional(),
  filledQuantity: z.number().int().nonnegative(),
  fillRatio: DecimalStringSchema.optional(),
  avgFillPrice: DecimalStringSchema.optional(),
  arrivalPrice: DecimalStringSchema.optional(),
  slippageBps: DecimalStringSchema.optional(),
  timeToFirstFillMs: z.number().int().nonnegative().optional(),
  timeToCompleteMs: z.number().int().nonnegative().optional(),
});
export type ExecutionQualityUpdated = z.infer<typeof ExecutionQualityUpdatedSchema>;
