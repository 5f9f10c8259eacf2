import { z } from 'zod';
import { DecimalStringSchema } from '../money/decimal-string.js';
import { OrderSideSchema } from '../orders/order.js';
import { err, ok, type Result } from '../shared/errors.js';
import { IsoTimestampSchema } from '../shared/ids.js';
import { fnv1a64 } from './alert-id.js';
import { AlertNoteRequiredError, IllegalAlertTransitionError, type SurveillanceError } from './errors.js';
import { ObservationKindSchema } from './observation.js';

/** What a surveillance alert is about (MAR Art 16 patterns and our own rule breaches). */
export const AlertType = {
  WASH_TRADE: 'WASH_TRADE',
  SPOOFING_LAYERING: 'SPOOFING_LAYERING',
  EXCESSIVE_ORDER_TO_TRADE: 'EXCESSIVE_ORDER_TO_TRADE',
  RESTRICTED_INSTRUMENT: 'RESTRICTED_INSTRUMENT',
  BLACKOUT_WINDOW: 'BLACKOUT_WINDOW',
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];
export const AlertTypeSchema = z.enum(Object.values(AlertType) as [AlertType, ...AlertType[]]);

/** Short codes used in alert ids (`MAR-<code>-<digest>`), so an id says what it is. */
const TYPE_CODE: Record<AlertType, string> = { WASH_TRADE: 'WASH', SPOOFING_LAYERING: 'SPOOF', EXCESSIVE_ORDER_TO_TRADE: 'OTR', RESTRICTED_INSTRUMENT: 'RESTR', BLACKOUT_WINDOW: 'BLACK' };

export const AlertSeverity = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
export const AlertSeveritySchema = z.enum(Object.values(AlertSeverity) as [AlertSeverity, ...AlertSeverity[]]);

export const AlertStatus = { NEW: 'new', UNDER_REVIEW: 'under_review', ESCALATED: 'escalated', CLOSED: 'closed' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];
export const AlertStatusSchema = z.enum(Object.values(AlertStatus) as [AlertStatus, ...AlertStatus[]]);

/**
 * THE alert workflow. Same-status moves are not transitions (an action that implies the current
 * status is recorded as a note). Anything else is an `IllegalAlertTransitionError`.
 */
export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  // escalated straight from new: an obvious case goes to the compliance officer without a review step;
  // closed straight from new: a clear false positive, with a note saying why
  new: ['under_review', 'escalated', 'closed'],
  under_review: ['escalated', 'closed'],
  escalated: ['closed'],
  // reopened on new information, only by the explicit `reopen` action (with a note)
  closed: ['under_review'],
};

export const canTransitionAlert = (from: AlertStatus, to: AlertStatus): boolean => from === to || ALERT_TRANSITIONS[from].includes(to);

/**
 * Evidence: the orders and fills behind the alert, with their times, and the figures the detector
 * measured (as decimal strings).
 */
export const AlertEvidenceSchema = z.strictObject({
  orders: z.array(z.strictObject({
    clientOrderId: z.string().optional(),
    brokerOrderId: z.string().optional(),
    event: ObservationKindSchema,
    side: OrderSideSchema,
    quantity: z.number().int().positive(),
    price: DecimalStringSchema.optional(),
    at: IsoTimestampSchema,
  })),
  fills: z.array(z.strictObject({
    execId: z.string(),
    clientOrderId: z.string().optional(),
    side: OrderSideSchema,
    quantity: z.number().int().positive(),
    price: DecimalStringSchema,
    at: IsoTimestampSchema,
  })),
  metrics: z.record(z.string(), z.string()),
});
export type AlertEvidence = z.infer<typeof AlertEvidenceSchema>;

export const AlertHistoryEntrySchema = z.strictObject({
  at: IsoTimestampSchema,
  actor: z.string().min(1),
  action: z.string().min(1).max(200),
  note: z.string().max(4000).optional(),
  from: AlertStatusSchema,
  to: AlertStatusSchema,
});
export type AlertHistoryEntry = z.infer<typeof AlertHistoryEntrySchema>;

/**
 * A compliance (MAR Art 16) alert with its evidence and every action taken on it.
 * @example
 * { alertId: 'MAR-WASH-3f2a…', type: 'WASH_TRADE', severity: 'HIGH', status: 'new', account: 'DU1234567', symbol: 'AAPL', summary: 'buy and sell of 100 AAPL within 2s at 187.2/187.21', evidence: { orders: [], fills: [...], metrics: { seconds: '2' } }, detectedAt: '…', raisedAt: '…', updatedAt: '…', history: [{ at: '…', actor: 'surveillance', action: 'raised', from: 'new', to: 'new' }], version: 0 }
 */
export const ComplianceAlertSchema = z.strictObject({
  alertId: z.string().regex(/^MAR-[A-Z]+-[0-9a-f]{16}$/, 'MAR-<TYPE>-<16 hex>'),
  type: AlertTypeSchema,
  severity: AlertSeveritySchema,
  status: AlertStatusSchema,
  account: z.string().min(1),
  symbol: z.string().min(1),
  strategyId: z.string().optional(),
  summary: z.string().min(1),
  evidence: AlertEvidenceSchema,
  /** Time of the latest event in the evidence (when the pattern was complete). */
  detectedAt: IsoTimestampSchema,
  raisedAt: IsoTimestampSchema,
  updatedAt: IsoTimestampSchema,
  history: z.array(AlertHistoryEntrySchema).min(1),
  version: z.number().int().nonnegative(),
});
export type ComplianceAlert = z.infer<typeof ComplianceAlertSchema>;

/** What a detector finds; `evidenceKey` names the evidence that makes it this alert and no other. */
export interface AlertCandidate {
  type: AlertType;
  severity: AlertSeverity;
  account: string;
  symbol: string;
  strategyId?: string | undefined;
  evidenceKey: string;
  summary: string;
  evidence: AlertEvidence;
  detectedAt: string;
}

/**
 * The deterministic id of an alert: the same evidence key always gives the same id, so analysing
 * the same events again (redelivery, replay) never raises a second alert.
 * @example alertIdOf('WASH_TRADE', 'DU1|AAPL|E2') // 'MAR-WASH-…16 hex…'
 */
export const alertIdOf = (type: AlertType, evidenceKey: string): string => `MAR-${TYPE_CODE[type]}-${fnv1a64(`${type}|${evidenceKey}`)}`;

/** The actor that raises alerts; its entry opens every alert's history. */
export const SURVEILLANCE_ACTOR = 'surveillance-agent';

/** A new alert from a detector's candidate. */
export function newAlert(c: AlertCandidate, raisedAt: string): ComplianceAlert {
  return {
    alertId: alertIdOf(c.type, c.evidenceKey),
    type: c.type,
    severity: c.severity,
    status: AlertStatus.NEW,
    account: c.account,
    symbol: c.symbol,
    ...(c.strategyId === undefined ? {} : { strategyId: c.strategyId }),
    summary: c.summary,
    evidence: c.evidence,
    detectedAt: c.detectedAt,
    raisedAt,
    updatedAt: raisedAt,
    history: [{ at: raisedAt, actor: SURVEILLANCE_ACTOR, action: 'raised', note: c.summary.slice(0, 4000), from: AlertStatus.NEW, to: AlertStatus.NEW }],
    version: 0,
  };
}

/**
 * Free-text actions (`log-compliance-action --action "Reviewed"`) that imply a status. Matched on
 * the lower-cased, trimmed action; any other text is recorded as a note without moving the alert.
 */
export const ACTION_STATUS: Readonly<Record<string, AlertStatus>> = {
  review: 'under_review',
  reviewed: 'under_review',
  'under review': 'under_review',
  'start review': 'under_review',
  investigating: 'under_review',
  reopen: 'under_review',
  reopened: 'under_review',
  escalate: 'escalated',
  escalated: 'escalated',
  'notify compliance officer': 'escalated',
  'notified compliance officer': 'escalated',
  'stor filed': 'escalated',
  close: 'closed',
  closed: 'closed',
  dismiss: 'closed',
  dismissed: 'closed',
  'false positive': 'closed',
  'no further action': 'closed',
  resolved: 'closed',
};

/** The status an action implies, if any. @example impliedStatus(' Reviewed ') // 'under_review' */
export const impliedStatus = (action: string): AlertStatus | undefined => ACTION_STATUS[action.trim().toLowerCase()];

const REOPEN_ACTIONS = new Set(['reopen', 'reopened']);

export interface AlertAction {
  actor: string;
  action: string;
  note?: string | undefined;
  at: string;
}

/**
 * Applies an action to an alert: appends it to the history and moves the status when the action
 * implies one (and the workflow allows it). Closing and reopening need a note. Pure.
 * @example
 * const r = applyAlertAction(alert, { actor: 'jane.doe', action: 'Reviewed', at: now });
 * if (r.ok) await alerts.update(r.value);
 */
export function applyAlertAction(alert: ComplianceAlert, a: AlertAction): Result<ComplianceAlert, SurveillanceError> {
  const implied = impliedStatus(a.action);
  const from = alert.status;
  let to = implied ?? from;
  // "reviewed" on a closed alert is a note, not a reopening: only `reopen` reopens
  if (from === AlertStatus.CLOSED && to === AlertStatus.UNDER_REVIEW && !REOPEN_ACTIONS.has(a.action.trim().toLowerCase())) to = from;
  if (!canTransitionAlert(from, to)) return err(new IllegalAlertTransitionError(alert.alertId, from, to));
  const note = a.note?.trim();
  if (to !== from && (to === AlertStatus.CLOSED || from === AlertStatus.CLOSED) && (note === undefined || note === '')) return err(new AlertNoteRequiredError(alert.alertId, to));
  const entry: AlertHistoryEntry = { at: a.at, actor: a.actor, action: a.action.trim(), ...(note === undefined || note === '' ? {} : { note }), from, to };
  return ok({ ...alert, status: to, updatedAt: a.at > alert.updatedAt ? a.at : alert.updatedAt, history: [...alert.history, entry] });
}
