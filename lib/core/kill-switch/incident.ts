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
});
export type Incident = z.infer<typeof IncidentSchema>;

/** @example incidentIdFromUlid('01KB2Z5W8Q6Y7T1M3N4P5R6S7V') // 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V' */
export const incidentIdFromUlid = (ulid: string): IncidentId => IncidentIdSchema.parse(`INC-${ulid}`);
