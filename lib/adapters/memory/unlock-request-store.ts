import { ConcurrencyError } from '../../core/shared/errors.js';
import { UnlockRequestSchema, type UnlockRequest, type UnlockStatus } from '../../core/controls/unlock-request.js';
import type { UnlockRequestStore } from '../../ports/unlock-requests.js';

/** UnlockRequestStore in memory, with the same conditional-write semantics as the DynamoDB one. */
export class InMemoryUnlockRequestStore implements UnlockRequestStore {
  private readonly items = new Map<string, UnlockRequest>();
  async create(req: UnlockRequest): Promise<UnlockRequest> {
    if (this.items.has(req.requestId)) throw new ConcurrencyError('UNLOCK.DUPLICATE', `unlock request ${req.requestId} already exists`);
    const r = UnlockRequestSchema.parse({ ...req, version: 1 });
    this.items.set(r.requestId, structuredClone(r));
    return structuredClone(r);
  }
  async get(id: string): Promise<UnlockRequest | undefined> {
    const r = this.items.get(id);
    return r === undefined ? undefined : structuredClone(r);
  }
  async update(req: UnlockRequest): Promise<UnlockRequest> {
    const cur = this.items.get(req.requestId);
    if (cur === undefined || cur.version !== req.version) throw new ConcurrencyError('UNLOCK.VERSION_CONFLICT', `unlock request ${req.requestId} is not at version ${req.version}`);
    const r = UnlockRequestSchema.parse({ ...req, version: req.version + 1 });
    this.items.set(r.requestId, structuredClone(r));
    return structuredClone(r);
  }
  async list(q: { statuses?: readonly UnlockStatus[] | undefined; limit?: number | undefined } = {}): Promise<UnlockRequest[]> {
    return [...this.items.values()]
      .filter((r) => q.statuses === undefined || q.statuses.includes(r.status))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.requestId < b.requestId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, q.limit ?? Infinity)
      .map((r) => structuredClone(r));
  }
}
