import { IncidentSchema, IncidentTimelineEntrySchema, type Incident, type IncidentTimelineEntry } from '../../core/kill-switch/incident.js';
import { ConcurrencyError } from '../../core/shared/errors.js';
import type { IncidentStore } from '../../ports/incidents.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of incidents in the `state` table:
 *
 * | record   | pk              | sk         | gsi1pk (while open) | gsi1sk            |
 * | -------- | --------------- | ---------- | ------------------- | ----------------- |
 * | incident | `INCIDENT#<id>` | `INCIDENT` | `INCIDENTS#OPEN`    | `<openedAt>#<id>` |
 *
 * Open incidents sit in one sparse GSI partition (few), so `listOpen` is one query.
 */
export const IncidentKeys = {
  incident: (id: string) => ({ pk: `INCIDENT#${id}`, sk: 'INCIDENT' }),
  openGsi: (openedAt: string, id: string) => ({ gsi1pk: OPEN_INCIDENTS_GSI_PK, gsi1sk: `${openedAt}#${id}` }),
} as const;
export const OPEN_INCIDENTS_GSI_PK = 'INCIDENTS#OPEN';

export class DynamoDbIncidentStore implements IncidentStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async open(incident: Incident): Promise<Incident> {
    const record = IncidentSchema.parse(incident);
    const item = { ...IncidentKeys.incident(record.id), ...(record.status === 'open' ? IncidentKeys.openGsi(record.openedAt, record.id) : {}), ...record };
    if (!(await this.table.put(item, { ConditionExpression: 'attribute_not_exists(pk)' }))) {
      throw new ConcurrencyError('INCIDENT.DUPLICATE', `incident ${record.id} exists already`, { details: { id: record.id } });
    }
    return record;
  }

  async get(id: string): Promise<Incident | undefined> {
    return this.table.getRecord(IncidentKeys.incident(id), IncidentSchema, `incident ${id}`);
  }

  async listOpen(): Promise<Incident[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': OPEN_INCIDENTS_GSI_PK } });
    return items.map((i) => parseRecord(IncidentSchema, stripKeys(i), `incident ${String(i['pk'])}`));
  }

  async appendTimeline(id: string, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const line = IncidentTimelineEntrySchema.parse(entry);
    // One atomic list_append: concurrent writers (API, bridge) never lose each other's lines.
    const updated = await this.table.update({
      Key: IncidentKeys.incident(id),
      UpdateExpression: 'SET timeline = list_append(timeline, :line)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':line': [line] },
      ReturnValues: 'ALL_NEW',
    });
    return updated === false ? undefined : parseRecord(IncidentSchema, stripKeys(updated), `incident ${id}`);
  }

  async resolve(id: string, r: { resolvedBy: string; resolvedAt: string; resolution: string }, entry: IncidentTimelineEntry): Promise<Incident | undefined> {
    const line = IncidentTimelineEntrySchema.parse(entry);
    // Leaving the sparse open-incidents index is part of the same write.
    const updated = await this.table.update({
      Key: IncidentKeys.incident(id),
      UpdateExpression: 'SET #status = :resolved, resolvedBy = :by, resolvedAt = :at, resolution = :how, timeline = list_append(timeline, :line) REMOVE gsi1pk, gsi1sk',
      ConditionExpression: 'attribute_exists(pk) AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':by': r.resolvedBy, ':at': r.resolvedAt, ':how': r.resolution, ':line': [line] },
      ReturnValues: 'ALL_NEW',
    });
    return updated === false ? undefined : parseRecord(IncidentSchema, stripKeys(updated), `incident ${id}`);
  }
}
