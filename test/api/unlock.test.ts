import { describe, expect, it } from 'vitest';
import { as } from './api-harness.js';
import { halted } from './unlock-harness.js';

describe('POST /api/system/unlock_request and /unlock_approve', () => {
  it('answers 202 with a REQ- id and binds the requestor to the token', async () => {
    const h = await halted();

    const res = await h.post('/api/system/unlock_request', { requestor: 'john.doe' });
    const spoofed = await h.post('/api/system/unlock_request', { requestor: 'jane.smith' });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ request_id: expect.stringMatching(/^REQ-/), status: 'PENDING', expires_at: '2026-11-27T15:30:00.000Z', request: { requestor: 'john.doe', halt: { activated_by: 'kim.halter' } } });
    expect(spoofed.status).toBe(403);
    expect(spoofed.body).toMatchObject({ error: 'AUTH.IDENTITY_MISMATCH' });
  });

  it('answers 403 to an approver without an approver role (route role or config role)', async () => {
    const h = await halted();
    const id = await h.request();

    const operator = await h.post('/api/system/unlock_approve', { request_id: id }, as('olga.ops', 'operator'));
    const viewer = await h.post('/api/system/unlock_approve', { request_id: id }, as('vic.viewer', 'viewer'));

    expect(operator.status).toBe(403);
    expect(operator.body).toMatchObject({ error: 'UNLOCK.APPROVER_ROLE' });
    expect(viewer.status).toBe(403);
    expect((await h.stores.tradingState.get())!.mode).toBe('HALTED');
  });

  it('answers 403 to self-approval and 409 to a replayed approval', async () => {
    const h = await halted();
    const res = await h.post('/api/system/unlock_request', {}, as('jane.smith', 'risk_manager'));
    const id = (res.body as { request_id: string }).request_id;

    const self = await h.post('/api/system/unlock_approve', { approver: 'jane.smith', request_id: id }, as('jane.smith', 'risk_manager'));
    const ok = await h.post('/api/system/unlock_approve', { request_id: id }, as('raj.risk', 'risk_manager'));
    const replay = await h.post('/api/system/unlock_approve', { request_id: id }, as('raj.risk', 'risk_manager'));

    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ error: 'UNLOCK.SELF_APPROVAL' });
    expect(ok.status).toBe(200);
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: 'UNLOCK.REQUEST_CLOSED' });
  });

  it('answers 410 to an approval after expiry', async () => {
    const h = await halted();
    const id = await h.request();
    h.clock.advance(31 * 60_000);

    const res = await h.post('/api/system/unlock_approve', { request_id: id }, as('jane.smith', 'risk_manager'));

    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ error: 'UNLOCK.EXPIRED' });
  });

  it('executes on approval and shows the request without its task token', async () => {
    const h = await halted();
    const id = await h.request();

    const res = await h.post('/api/system/unlock_approve', { approver: 'jane.smith', request_id: id }, as('jane.smith', 'risk_manager'));
    const one = await h.call('GET', `/api/system/unlock_requests/${id}`);
    const list = await h.call('GET', '/api/system/unlock_requests?status=EXECUTED');

    expect(res.body).toMatchObject({ status: 'EXECUTED', executed: true, approvals: ['jane.smith'] });
    expect(one.body).toMatchObject({ request_id: id, status: 'EXECUTED', executed: { mode: 'ACTIVE', tradingStateVersion: 2 } });
    expect(JSON.stringify(one.body)).not.toContain('taskToken');
    expect(list.body).toMatchObject({ count: 1 });
    expect((await h.stores.tradingState.get())!.mode).toBe('ACTIVE');
  });

  it('answers 400 naming the field for a malformed request id, and 404 for an unknown one', async () => {
    const h = await halted();

    const bad = await h.post('/api/system/unlock_approve', { request_id: 'REQ-123' }, as('jane.smith', 'risk_manager'));
    const unknown = await h.call('GET', '/api/system/unlock_requests/REQ-01JDX7Q8ZK9999999999999999');

    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('request_id');
    expect(unknown.status).toBe(404);
  });

  it('withdraws a request for its requestor or an approver (200), refuses anyone else (403) and a finished one (409), naming a missing reason (400)', async () => {
    const h = await halted();
    const id = await h.request();
    expect((await h.post(`/api/system/unlock_requests/${id}/cancel`, {})).status).toBe(400);
    const stranger = await h.post(`/api/system/unlock_requests/${id}/cancel`, { reason: 'x' }, as('olga.ops', 'operator'));
    expect(stranger.status).toBe(403);
    expect(stranger.body).toMatchObject({ error: 'UNLOCK.CANCEL_NOT_ALLOWED' });
    const ok = await h.post(`/api/system/unlock_requests/${id}/cancel`, { reason: 'positions not verified' }, as('jane.smith', 'risk_manager'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ request_id: id, status: 'CANCELLED' });
    expect((await h.post(`/api/system/unlock_requests/${id}/cancel`, { reason: 'again' })).status).toBe(409);
  });
});
