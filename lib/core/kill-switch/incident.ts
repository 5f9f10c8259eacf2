import { z } from 'zod';
import { IsoTimestampSchema } from '../shared/ids.js';

/** The runbook's severity levels (Incident Response > Severity Levels). */
export const IncidentSeveritySchema = z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
export type IncidentSeverity = z.infer<typeof IncidentSeveritySchema>;

export const IncidentStatusSchema = z.enum(['open', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** `INC-` + a ULID: sortable by opening time, unique without a counter. */
export const IncidentIdSchema = z.string().regex(/^INC-[0-9A-HJKMNP-TV-Z]{26}$/, 'INC- followed by a 26-character ULID');
export type IncidentId = z.infer<typeof IncidentIdSchema>;

/**
 * One line of an incident's timeline (runbook SEV1 step 5: "Document timeline").
 * @example { at: '2026-11-27T15:00:00.000Z', by: 'john.doe', event: 'KILL_SWITCH_ACTIVATED', detail: { reason: 'Manual activation' } }
 */
export const IncidentTimelineEntrySchema = z.strictObject({
  at: IsoTimestampSchema,
  by: z.string().min(1),
  event: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'UPPER_SNAKE event name'),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type IncidentTimelineEntry = z.infer<typeof IncidentTimelineEntrySchema>;

/** What opened the incident: a kill switch (whole firm or one strategy) or a person by hand. */
export const IncidentTriggerSchema = z.strictObject({
  kind: z.enum(['kill_switch', 'strategy_halt', 'manual']),
  reason: z.string().min(1),
  strategyId: z.string().min(1).optional(),
  /** The trading-state version the kill switch wrote (whole-firm halts). */
  stateVersion: z.number().int().nonnegative().optional(),
});
export type IncidentTrigger = z.infer<typeof IncidentTriggerSchema>;

/**
 * An incident record (runbook: Incident Response). Opened by the kill switch as SEV1; its timeline
 * grows as the procedure goes on (cancel verified, strategy resumed, unlock …).
 * @example
 * { id: 'INC-01KB…', severity: 'SEV1', title: 'Kill switch activated', openedBy: 'john.doe', openedAt: '…', status: 'open', trigger: { kind: 'kill_switch', reason: 'Manual activation', stateVersion: 4 }, timeline: [...] }
 */
export const IncidentSchema = z.strictObject({
  id: IncidentIdSchema,
  severity: IncidentSeveritySchema,
  title: z.string().min(1).max(200),
  openedBy: z.string().min(1),
  openedAt: IsoTimestampSchema,
  status: IncidentStatusSchema,
  trigger: IncidentTriggerSchema,
  correlationId: z.string().min(1).optional(),
  timeline: z.array(IncidentTimelineEntrySchema),
  /** Set when resolved (runbook SEV1 steps 6-7: fix, recover); the post-mortem (step 8) follows. */
  resolvedBy: z.string().min(1).optional(),
  resolvedAt: IsoTimestampSchema.optional(),
  resolution: z.string().min(1).max(2000).optional(),
});
export type Incident = z.infer<typeof IncidentSchema>;

/** @example incidentIdFromUlid('01KB2Z5W8Q6Y7T1M3N4P5R6S7V') // 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V' */
export const incidentIdFromUlid = (ulid: string): IncidentId => IncidentIdSchema.parse(`INC-${ulid}`);

export const IncidentCode = {
  NOT_FOUND: 'INCIDENT.NOT_FOUND',
  ALREADY_RESOLVED: 'INCIDENT.ALREADY_RESOLVED',
  STILL_HALTED: 'INCIDENT.STILL_HALTED',
} as const;

/**
 * Whether an incident may be resolved now. A kill-switch incident stays open while the halt it
 * was opened for is still in force (same HALTED version): recovery — the two-person unlock — comes
 * first, so "resolved" never describes a firm that is still halted.
 * @example resolutionRefusal(incident, { mode: 'HALTED', version: 4 }) // { code: 'INCIDENT.STILL_HALTED', … } when trigger.stateVersion is 4
 */
export function resolutionRefusal(incident: Incident, tradingState: { mode: string; version: number } | undefined): { code: string; message: string } | undefined {
  if (incident.status === 'resolved') return { code: IncidentCode.ALREADY_RESOLVED, message: `${incident.id} was resolved by ${incident.resolvedBy ?? 'someone'} at ${incident.resolvedAt ?? 'an earlier time'}` };
  if (incident.trigger.kind === 'kill_switch' && tradingState?.mode === 'HALTED' && tradingState.version === incident.trigger.stateVersion) {
    return { code: IncidentCode.STILL_HALTED, message: `trading is still HALTED by the activation that opened ${incident.id}: lift it with the two-person unlock first (POST /api/system/unlock_request)` };
  }
  return undefined;
}
