import { ConcurrencyError } from '../../core/shared/errors.js';
import { UnlockRequestSchema, type UnlockRequest, type UnlockStatus } from '../../core/controls/unlock-request.js';
import type { UnlockRequestStore } from '../../ports/unlock-requests.js';
import type { DynamoTableRef } from './client.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of unlock requests in the `state` table (beside keys.ts's table of the rest):
 *
 * | record         | pk                          | sk        | gsi1pk            | gsi1sk                    |
 * | -------------- | --------------------------- | --------- | ----------------- | ------------------------- |
 * | unlock request | `UNLOCK_REQUEST#<requestId>`| `REQUEST` | `UNLOCK_REQUESTS` | `<createdAt>#<requestId>` |
 *
 * Unlock requests are rare (one per halt, a few per year), so they share one GSI partition and
 * `list` is one query, newest first.
 */
export const UnlockKeys = {
  request: (requestId: string) => ({ pk: `UNLOCK_REQUEST#${requestId}`, sk: 'REQUEST' }),
  requestGsi: (createdAt: string, requestId: string) => ({ gsi1pk: UNLOCK_REQUESTS_GSI_PK, gsi1sk: `${createdAt}#${requestId}` }),
} as const;
export const UNLOCK_REQUESTS_GSI_PK = 'UNLOCK_REQUESTS';

/**
 * Unlock requests in DynamoDB: `create` is a conditional put on absence, `update` a conditional put
 * on the stored `version` — two approvals racing, or an approval racing the expiry, cannot both win.
 * @example
 * const store = new DynamoDbUnlockRequestStore({ doc, tableName });
 * const saved = await store.create(req); await store.update({ ...saved, status: 'APPROVED' });
 */
export class DynamoDbUnlockRequestStore implements UnlockRequestStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async create(req: UnlockRequest): Promise<UnlockRequest> {
    const record = UnlockRequestSchema.parse({ ...req, version: 1 });
    const ok = await this.table.put(this.item(record), { ConditionExpression: 'attribute_not_exists(pk)' });
    if (!ok) throw new ConcurrencyError('UNLOCK.DUPLICATE', `unlock request ${req.requestId} already exists`, { details: { requestId: req.requestId } });
    return record;
  }

  async get(requestId: string): Promise<UnlockRequest | undefined> {
    const item = await this.table.get(UnlockKeys.request(requestId));
    return item === undefined ? undefined : this.parse(item);
  }

  async update(req: UnlockRequest): Promise<UnlockRequest> {
    const record = UnlockRequestSchema.parse({ ...req, version: req.version + 1 });
    const ok = await this.table.put(this.item(record), { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': req.version } });
    if (ok) return record;
    const current = await this.table.get(UnlockKeys.request(req.requestId));
    if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `unlock request ${req.requestId} does not exist`, { details: { requestId: req.requestId } });
    throw new ConcurrencyError('UNLOCK.VERSION_CONFLICT', `unlock request ${req.requestId} is not at version ${req.version}`, { details: { requestId: req.requestId, expectedVersion: req.version, actualVersion: current['version'] } });
  }

  async list(query: { statuses?: readonly UnlockStatus[] | undefined; limit?: number | undefined } = {}): Promise<UnlockRequest[]> {
    const items = await this.table.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': UNLOCK_REQUESTS_GSI_PK }, ScanIndexForward: false });
    const all = items.map((i) => this.parse(i)).filter((r) => query.statuses === undefined || query.statuses.includes(r.status));
    return all.slice(0, query.limit ?? Infinity);
  }

  private item(r: UnlockRequest): Record<string, unknown> {
    return { ...UnlockKeys.request(r.requestId), ...UnlockKeys.requestGsi(r.createdAt, r.requestId), ...r };
  }

  private parse(item: Record<string, unknown>): UnlockRequest {
    return parseRecord(UnlockRequestSchema, stripKeys(item), `unlock request ${String(item['pk'])}`);
  }
}
