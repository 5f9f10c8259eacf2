import { z } from 'zod';
import { createEvent } from '../../core/events/catalog.js';
import { ConcurrencyError, err, ok, type Result } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import { AlertSeveritySchema, AlertStatusSchema, AlertTypeSchema, applyAlertAction, type AlertSeverity, type AlertStatus, type AlertType, type ComplianceAlert } from '../../core/surveillance/alert.js';
import { AlertNotFoundError, type SurveillanceError } from '../../core/surveillance/errors.js';
import type { ComplianceAlertStore } from '../../ports/compliance-alerts.js';
import type { EventPublisher } from '../../ports/events.js';
import type { AuditLog } from '../../ports/stores.js';

const AlertIdSchema = z.string().regex(/^MAR-[A-Z]+-[0-9a-f]{16}$/, 'an alert id like MAR-WASH-0123456789abcdef');

/** Input of `review-mar-alert --alert-id`. */
export const ReviewAlertInputSchema = z.strictObject({ alertId: AlertIdSchema });
export type ReviewAlertInput = z.infer<typeof ReviewAlertInputSchema>;

/**
 * The alert with its evidence and history (`review-mar-alert --alert-id X`). Read only: reviewing
 * is recorded by logging the action "Reviewed".
 * @example
 * const r = await reviewMarAlert({ alerts }, { alertId: 'MAR-WASH-0123456789abcdef' });
 * if (!r.ok) exit(r.error.code); // SURVEILLANCE.ALERT_NOT_FOUND
 */
export async function reviewMarAlert(deps: { alerts: Pick<ComplianceAlertStore, 'get'> }, input: ReviewAlertInput): Promise<Result<ComplianceAlert, SurveillanceError>> {
  const alert = await deps.alerts.get(input.alertId);
  return alert === undefined ? err(new AlertNotFoundError(input.alertId)) : ok(alert);
}

/** Input of `log-compliance-action --alert-id X --action "Reviewed" [--note …]`; the actor is the authenticated user. */
export const LogComplianceActionInputSchema = z.strictObject({
  alertId: AlertIdSchema,
  action: z.string().trim().min(1).max(200),
  actor: z.string().trim().min(1).max(128),
  note: z.string().max(4000).optional(),
});
export type LogComplianceActionInput = z.infer<typeof LogComplianceActionInputSchema>;

export interface LogComplianceActionDeps {
  alerts: Pick<ComplianceAlertStore, 'get' | 'update'>;
  audit: AuditLog;
  /** Publishes ComplianceAlertUpdated; optional (the CLI may run without a bus). */
  publisher?: EventPublisher | undefined;
  ids: () => string;
  clock: Clock;
}

const MAX_ATTEMPTS = 3;

/**
 * Appends an action to an alert's history, moving its status when the action implies one
 * ("Reviewed" → under_review, "Escalate" → escalated, "Close" → closed (needs a note), "Reopen";
 * any other text is a note). Every action is also an audit-log entry (`COMPLIANCE_ALERT_ACTION`).
 * An unknown id or a move the workflow refuses is a returned error, not an exception.
 * @example
 * const r = await logComplianceAction(deps, { alertId, action: 'Reviewed', actor: 'jane.doe' });
 * // r.ok → r.value.status === 'under_review'; !r.ok → r.error.code 'SURVEILLANCE.ILLEGAL_TRANSITION' | 'SURVEILLANCE.NOTE_REQUIRED' | 'SURVEILLANCE.ALERT_NOT_FOUND'
 */
export async function logComplianceAction(deps: LogComplianceActionDeps, input: LogComplianceActionInput): Promise<Result<ComplianceAlert, SurveillanceError>> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.alerts.get(input.alertId);
    if (current === undefined) return err(new AlertNotFoundError(input.alertId));
    const at = deps.clock.now().toISOString();
    const applied = applyAlertAction(current, { actor: input.actor, action: input.action, note: input.note, at });
    if (!applied.ok) return applied;
    let stored: ComplianceAlert;
    try {
      stored = await deps.alerts.update(applied.value);
    } catch (e) {
      // someone else acted at the same moment: re-read and apply to their result
      if (e instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    const entry = stored.history.at(-1)!;
    await deps.audit.append({
      actor: input.actor,
      action: 'COMPLIANCE_ALERT_ACTION',
      subject: `compliance-alert:${stored.alertId}`,
      data: { alertId: stored.alertId, type: stored.type, action: entry.action, ...(entry.note === undefined ? {} : { note: entry.note }), from: entry.from, to: entry.to },
      at,
    });
    if (deps.publisher !== undefined) {
      await deps.publisher.publish([createEvent('ComplianceAlertUpdated', { alertId: stored.alertId, type: stored.type, severity: stored.severity, from: entry.from, to: entry.to, actor: input.actor, action: entry.action, at }, { eventId: deps.ids(), now: deps.clock.now(), correlationId: stored.alertId })]);
    }
    return ok(stored);
  }
}

/** Query of `GET /api/compliance/alerts?status=&severity=&type=&limit=`. */
export const ListAlertsQuerySchema = z.strictObject({
  status: AlertStatusSchema.optional(),
  severity: AlertSeveritySchema.optional(),
  type: AlertTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type ListAlertsQuery = z.infer<typeof ListAlertsQuerySchema>;

/** An alert in a list: everything but the evidence and history (ask `review-mar-alert` for those). */
export type AlertSummary = Omit<ComplianceAlert, 'evidence' | 'history'> & { evidenceCount: number; actions: number };

/**
 * Alerts, newest first, filtered.
 * @example await listComplianceAlerts({ alerts }, { status: 'new' }) // { alerts: [{ alertId, type, severity, status, symbol, summary, … }] }
 */
export async function listComplianceAlerts(deps: { alerts: Pick<ComplianceAlertStore, 'list'> }, query: ListAlertsQuery = {}): Promise<{ alerts: AlertSummary[] }> {
  const all = await deps.alerts.list({ status: query.status, limit: query.severity === undefined && query.type === undefined ? query.limit : undefined });
  const filtered = all.filter((a) => (query.severity === undefined || a.severity === query.severity) && (query.type === undefined || a.type === query.type));
  return { alerts: filtered.slice(0, query.limit ?? Infinity).map(summarise) };
}

function summarise(a: ComplianceAlert): AlertSummary {
  const { evidence, history, ...rest } = a;
  return { ...rest, evidenceCount: evidence.orders.length + evidence.fills.length, actions: history.length - 1 };
}

/** `GET /api/compliance/status`: the surveillance picture in one object. */
export interface ComplianceStatus {
  /** False while a CRITICAL alert is open (not closed). */
  ok: boolean;
  open: number;
  openCritical: number;
  byStatus: Record<AlertStatus, number>;
  /** Open alerts per severity and per type. */
  openBySeverity: Record<AlertSeverity, number>;
  openByType: Partial<Record<AlertType, number>>;
  oldestOpenRaisedAt: string | null;
  oldestOpenAgeMs: number | null;
  lastRaisedAt: string | null;
}

/**
 * Counts of alerts by status, severity and type, and the age of the oldest open one.
 * @example await getComplianceStatus({ alerts, clock }) // { ok: true, open: 2, openCritical: 0, byStatus: { new: 1, under_review: 1, escalated: 0, closed: 7 }, … }
 */
export async function getComplianceStatus(deps: { alerts: Pick<ComplianceAlertStore, 'list'>; clock: Clock }): Promise<ComplianceStatus> {
  const all = await deps.alerts.list();
  const open = all.filter((a) => a.status !== 'closed');
  const byStatus: Record<AlertStatus, number> = { new: 0, under_review: 0, escalated: 0, closed: 0 };
  for (const a of all) byStatus[a.status] += 1;
  const openBySeverity: Record<AlertSeverity, number> = { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
  const openByType: Partial<Record<AlertType, number>> = {};
  for (const a of open) {
    openBySeverity[a.severity] += 1;
    openByType[a.type] = (openByType[a.type] ?? 0) + 1;
  }
  const oldest = open.reduce<string | null>((m, a) => (m === null || a.raisedAt < m ? a.raisedAt : m), null);
  const last = all.reduce<string | null>((m, a) => (m === null || a.raisedAt > m ? a.raisedAt : m), null);
  return {
    ok: openBySeverity.CRITICAL === 0,
    open: open.length,
    openCritical: openBySeverity.CRITICAL,
    byStatus,
    openBySeverity,
    openByType,
    oldestOpenRaisedAt: oldest,
    oldestOpenAgeMs: oldest === null ? null : Math.max(0, deps.clock.now().getTime() - Date.parse(oldest)),
    lastRaisedAt: last,
  };
}
