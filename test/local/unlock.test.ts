/**
 * Acceptance for the two-person unlock on the whole local system (dynalite, ib-sim over TCP, the
 * bridge, the bus, the unlock ASL in the local interpreter with callback emulation, HTTP with
 * bearer tokens). The kill switch route is another engineer's (issue 4, scope 2) and is not on
 * this branch, so the test halts trading by writing HALTED through the trading-state store's
 * conditional write, as the kill switch will.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { verifyChain } from '../../lib/core/audit/chain.js';

let system: LocalSystem;
const tokens: Record<string, string> = {};
const call = async (method: 'GET' | 'POST', path: string, as?: string, body?: unknown) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as !== undefined) headers['authorization'] = `Bearer ${tokens[as]}`;
  const r = await fetch(`${system.apiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  system = await startLocalSystem({ dataDir: mkdtempSync(join(tmpdir(), 'tradeops-unlock-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume() });
  tokens['john.doe'] = await system.tokens.mint('john.doe', ['operator']);
  tokens['jane.smith'] = await system.tokens.mint('jane.smith', ['risk_manager']);
  tokens['olga.ops'] = await system.tokens.mint('olga.ops', ['operator']);
  await poll('ready', async () => ((await call('GET', '/ready')).status === 200 ? true : undefined), 30_000);
  await poll('a reconciled broker heartbeat', async () => ((await system.api.stores.health.list()).some((h) => h.component === 'broker' && h.detail['reconciled'] === true) ? true : undefined), 30_000);
});

afterAll(async () => {
  await system?.stop();
});

describe('the two-person unlock on the local system', () => {
  it('lifts a halt after a second person approves: refusals and execution audited with identities, HALTED → ACTIVE once', async () => {
    // Prepare: halt, as the kill switch will (one conditional write).
    const before = (await system.api.stores.tradingState.get())!;
    const halt = await system.api.stores.tradingState.compareAndSet(before.version, { mode: 'HALTED', changedAt: new Date().toISOString(), changedBy: 'kim.halter', reason: 'Manual activation (acceptance test)' });
    const auditFrom = ((await system.api.stores.audit.head())?.seq ?? 0) + 1;

    // Act: the runbook's two curl calls, with tokens, plus two refused approvals.
    const req = await call('POST', '/api/system/unlock_request', 'john.doe', { requestor: 'john.doe', reason: 'incident resolved' });
    const id = req.body['request_id'] as string;
    const self = await call('POST', '/api/system/unlock_approve', 'john.doe', { approver: 'john.doe', request_id: id });
    const wrongRole = await call('POST', '/api/system/unlock_approve', 'olga.ops', { request_id: id });
    const approve = await call('POST', '/api/system/unlock_approve', 'jane.smith', { approver: 'jane.smith', request_id: id });
    const done = await poll('the unlock to execute', async () => {
      const r = await call('GET', `/api/system/unlock_requests/${id}`);
      return r.body['status'] === 'EXECUTED' ? r.body : undefined;
    }, 10_000, 50);

    // Assess
    expect(req.status).toBe(202);
    expect(req.body).toMatchObject({ request_id: expect.stringMatching(/^REQ-/), workflow: 'started' });
    expect(self.status).toBe(403);
    expect(self.body['error']).toBe('UNLOCK.SELF_APPROVAL');
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body['error']).toBe('UNLOCK.APPROVER_ROLE');
    expect(approve.status).toBe(200);
    expect(done).toMatchObject({ executed: { mode: 'ACTIVE', tradingStateVersion: halt.version + 1 }, preconditions: { ok: true } });
    const status = await call('GET', '/api/system/status');
    expect(status.body).toMatchObject({ kill_switch: false, trading_state: 'ACTIVE', version: halt.version + 1 });

    const entries = await system.api.stores.audit.read(auditFrom);
    const unlockSteps = entries.filter((e) => e.subject === `unlock:${id}`).map((e) => [e.action, e.actor]);
    expect(unlockSteps).toEqual([
      ['UNLOCK_REQUESTED', 'john.doe'],
      ['UNLOCK_APPROVAL_REFUSED', 'john.doe'],
      ['UNLOCK_APPROVAL_REFUSED', 'olga.ops'],
      ['UNLOCK_APPROVED', 'jane.smith'],
      ['UNLOCK_EXECUTED', 'system'],
    ]);
    await poll('TradingStateChanged in the audit chain', async () => ((await system.api.stores.audit.read(auditFrom)).some((e) => e.action === 'TRADING_STATE_CHANGED') ? true : undefined), 5_000, 50);
    expect(verifyChain(await system.api.stores.audit.read()).ok).toBe(true);
    const outbox = readFileSync(system.outboxFile, 'utf8');
    expect(outbox).toContain(`Unlock requested: ${id}`);
    expect(outbox).toContain(`Trading resumed (ACTIVE): ${id}`);
  });
});
