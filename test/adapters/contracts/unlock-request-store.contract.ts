import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnlockRequest } from '../../../lib/core/controls/unlock-request.js';
import { ConcurrencyError } from '../../../lib/core/shared/errors.js';
import { openOnce, type StoreBackend } from './backends.js';

const aRequest = (n: number, over: Partial<UnlockRequest> = {}): UnlockRequest => ({
  requestId: `REQ-01JDX7Q8ZK${String(n).padStart(16, '0')}`,
  requestor: 'john.doe',
  reason: 'broker back',
  targetMode: 'ACTIVE',
  status: 'PENDING',
  createdAt: `2026-11-27T15:00:0${n}.000Z`,
  expiresAt: '2026-11-27T15:30:00.000Z',
  approvalsRequired: 1,
  approvals: [],
  halt: { version: 7, activatedBy: 'kim.halter', activatedAt: '2026-11-27T14:55:00.000Z', reason: 'Manual activation' },
  version: 0,
  ...over,
});

/** The UnlockRequestStore port's contract, run against each backend. */
export function unlockRequestStoreContract(backend: StoreBackend): void {
  describe(`UnlockRequestStore contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });
    const store = () => h().stores.unlockRequests;

    it('creates a request once and reads it back', async () => {
      const created = await store().create(aRequest(1));

      await expect(store().create(aRequest(1))).rejects.toMatchObject({ code: 'UNLOCK.DUPLICATE' });
      expect(created.version).toBe(1);
      expect(await store().get(created.requestId)).toEqual(created);
    });

    it('lets exactly one of two racing approvals win on the version', async () => {
      const created = await store().create(aRequest(2));
      const approve = (approver: string) => store().update({ ...created, approvals: [{ approver, at: '2026-11-27T15:01:00.000Z', roles: ['risk_manager'] }], taskToken: 'token-1' });

      const results = await Promise.allSettled([approve('jane.smith'), approve('raj.risk')]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConcurrencyError);
      expect(lost.reason).toMatchObject({ code: 'UNLOCK.VERSION_CONFLICT' });
      expect((await store().get(created.requestId))!).toMatchObject({ version: 2, taskToken: 'token-1' });
    });

    it('refuses to update a request that does not exist', async () => {
      await expect(store().update({ ...aRequest(9), version: 1 })).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    });

    it('lists newest first, filtered by status', async () => {
      const r3 = await store().create(aRequest(3));
      await store().update({ ...r3, status: 'EXPIRED', outcome: { code: 'UNLOCK.EXPIRED', message: 'late', at: '2026-11-27T15:30:00.000Z' } });

      const all = await store().list();
      const expired = await store().list({ statuses: ['EXPIRED'] });

      expect(all.map((r) => r.requestId.slice(-1))).toEqual(['3', '2', '1']);
      expect(expired.map((r) => r.requestId.slice(-1))).toEqual(['3']);
      expect(await store().list({ limit: 1 })).toHaveLength(1);
    });
  });
}
