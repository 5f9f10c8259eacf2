import type { Incident, IncidentTimelineEntry } from '../core/kill-switch/incident.js';

/**
 * Incidents (runbook: Incident Response). The kill switch opens a SEV1; later steps of the
 * procedure append to its timeline. Implemented in DynamoDB in both runtimes.
 * @example
 * await incidents.open({ id: 'INC-01KB…', severity: 'SEV1', title: 'Kill switch activated', openedBy: 'john.doe', openedAt: now, status: 'open', trigger, timeline: [] });
 */
export interface IncidentStore {
  /** Creates the incident; throws ConcurrencyError `INCIDENT.DUPLICATE` if the id exists. */
  open(incident: Incident): Promise<Incident>;
  get(id: string): Promise<Incident | undefined>;
  /** Open incidents, oldest first. */
  listOpen(): Promise<Incident[]>;
  /** Appends one line to the timeline; `undefined` when there is no such incident. */
  appendTimeline(id: string, entry: IncidentTimelineEntry): Promise<Incident | undefined>;
  /**
   * Marks an open incident resolved with who, when and how, appending `entry` to its timeline, in
   * one conditional write; `undefined` when it does not exist or is no longer open.
   */
  resolve(id: string, resolution: { resolvedBy: string; resolvedAt: string; resolution: string }, entry: IncidentTimelineEntry): Promise<Incident | undefined>;
}
