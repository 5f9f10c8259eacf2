import { ConcurrencyError } from '../../core/shared/errors.js';
import { UnlockRequestSchema, type UnlockRequest, type UnlockStatus } from '../../core/controls/unlock-request.js';
import type { UnlockRequestStore } from '../../ports/unlock-requests.js';
import { StoreError, StoreErrorCode } from '../../ports/store-errors.js';
import { copy } from './copy.js';

/** UnlockRequestStore in memory, with the same conditional-write semantics as the DynamoDB one. */
export class InMemoryUnlockRequestStore implements UnlockRequestStore {
  private readonly items = new Map<string, UnlockRequest>();
  async create(req: UnlockRequest): Promise<UnlockRequest> {
    const record = UnlockRequestSchema.parse({ ...req, version: 1 });
    if (this.items.has(record.requestId)) throw new ConcurrencyError('UNLOCK.DUPLICATE', `unlock request ${req.requestId} already exists`, { details: { requestId: req.requestId } });
    this.items.set(record.requestId, record);
    return copy(record);
  }
  async get(id: string): Promise<UnlockRequest | undefined> {
    return copy(this.items.get(id));
  }
  async update(req: UnlockRequest): Promise<UnlockRequest> {
    const record = UnlockRequestSchema.parse({ ...req, version: req.version + 1 });
    const current = this.items.get(req.requestId);
    if (current === undefined) throw new StoreError(StoreErrorCode.NOT_FOUND, `unlock request ${req.requestId} does not exist`, { details: { requestId: req.requestId } });
    if (current.version !== req.version) {
      throw new ConcurrencyError('UNLOCK.VERSION_CONFLICT', `unlock request ${req.requestId} is not at version ${req.version}`, { details: { requestId: req.requestId, expectedVersion: req.version, actualVersion: current.version } });
    }
    this.items.set(record.requestId, record);
    return copy(record);
  }
  /** Newest first (createdAt, then requestId, descending), as the DynamoDB GSI read backwards. Requests are rare: a filter. */
  async list(q: { statuses?: readonly UnlockStatus[] | undefined; limit?: number | undefined } = {}): Promise<UnlockRequest[]> {
    return [...this.items.values()]
      .filter((r) => q.statuses === undefined || q.statuses.includes(r.status))
      .sort((a, b) => {
        const ka = `${a.createdAt}#${a.requestId}`;
        const kb = `${b.createdAt}#${b.requestId}`;
        return ka < kb ? 1 : ka > kb ? -1 : 0;
      })
      .slice(0, q.limit ?? Infinity)
      .map(copy);
  }
}
