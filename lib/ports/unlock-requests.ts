import type { UnlockRequest, UnlockStatus } from '../core/controls/unlock-request.js';

/**
 * Unlock requests (two-person unlock of a halted trading state). Every write is conditional:
 * `create` on absence, `update` on the stored `version`, so two approvals racing cannot both win
 * and an approval can never be written over an expiry or an execution. A lost write throws
 * `ConcurrencyError` (`UNLOCK.DUPLICATE` / `UNLOCK.VERSION_CONFLICT`); the caller re-reads and decides.
 * @example
 * const saved = await requests.create(req);              // version 1
 * await requests.update({ ...saved, approvals: [...] });  // iff still version 1 → version 2
 */
export interface UnlockRequestStore {
  create(req: UnlockRequest): Promise<UnlockRequest>;
  get(requestId: string): Promise<UnlockRequest | undefined>;
  /** Writes `req` with `version + 1` iff the stored version is `req.version`. */
  update(req: UnlockRequest): Promise<UnlockRequest>;
  /** Newest first; optionally only some statuses; at most `limit`. */
  list(query?: { statuses?: readonly UnlockStatus[] | undefined; limit?: number | undefined }): Promise<UnlockRequest[]>;
}
