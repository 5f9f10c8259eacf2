/**
 * Acceptance for the kill switch on the whole local system (dynalite, ib-sim over TCP, bridge,
 * bus, agents, HTTP API with tokens): resting orders at the simulator are all cancelled, a new
 * signal and a new order are refused with the halted reason codes, the status says who and why,
 * the SEV1 notice is in the outbox and the audit chain verifies with the activation in it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { verifyChain } from '../../lib/core/audit/chain.js';
import { OrderSchema } from '../../lib/core/orders/order.js';

let system: LocalSystem;
let operatorToken = '';

const call = async (method: 'GET' | 'POST', path: string, body?: unknown, token = operatorToken) => {
  const r = await fetch(`${system.apiUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const simState = async () => (await (await fetch(`${system.ibSim?.adminUrl ?? ''}/state`)).json()) as { openOrders: Array<{ orderId: number; status: string }> };

/** An approved BUY limit far below the market (it rests at the simulator), sent through the real bridge. */
async function restingOrder(id: string): Promise<void> {
  const now = new Date().toISOString();
  await system.api.stores.orders.create(OrderSchema.parse({ clientOrderId: id, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'LMT', limitPrice: '1.00', status: 'APPROVED', correlationId: `c-${id}`, createdAt: now, updatedAt: now, version: 0, origin: { strategyId: 'acceptance', agentId: 'test', agentVersion: '1' } }));
  await system.commands.send({ kind: 'SubmitOrder', clientOrderId: id as never, correlationId: `c-${id}` as never, issuedAt: now, issuedBy: 'acceptance-test' });
}

beforeAll(async () => {
  system = await startLocalSystem({ dataDir: mkdtempSync(join(tmpdir(), 'tradeops-ks-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 300, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });
  operatorToken = await system.tokens.mint('john.doe', ['operator']);
  await poll('ready', async () => ((await fetch(`${system.apiUrl}/ready`)).status === 200 ? true : undefined), 30_000);
  await poll('account summary', async () => ((await system.api.stores.accounts.list()).length > 0 ? true : undefined));
  await poll('AAPL quote', async () => ((await system.api.stores.quotes.list()).some((q) => q.symbol === 'AAPL') ? true : undefined));
});

afterAll(async () => {
  await system?.stop();
});

describe('the kill switch on the local system', () => {
  it('halts, cancels every resting order at the broker, refuses new work, tells people and audits it', async () => {
    for (const n of [1, 2, 3]) await restingOrder(`CO-KS-ACC-${n}`);
    await poll('3 resting orders at ib-sim', async () => ((await simState()).openOrders.length === 3 ? true : undefined));

    const res = await call('POST', '/api/system/kill_switch', { reason: 'Manual activation', operator: 'john.doe' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kill_switch: true, trading_enabled: false, activated_by: 'john.doe', reason: 'Manual activation', cancel: { requested: true } });
    const incidentId = String(res.body['incident_id']);

    await poll('no open order at ib-sim', async () => ((await simState()).openOrders.length === 0 ? true : undefined), 5_000, 20);
    const status = await poll('the cancel verification in the status', async () => {
      const s = (await call('GET', '/api/system/status')).body;
      return (s['last_cancel_verification'] as { complete?: boolean } | null)?.complete === true ? s : undefined;
    });
    expect(status).toMatchObject({ kill_switch: true, trading_enabled: false, activated_by: 'john.doe', activation_reason: 'Manual activation', incident_id: incidentId, last_cancel_verification: { remaining: 0 } });

    // A new signal: the CIO refuses it (audited); a new approved order: the bridge's final gate refuses it.
    const signalId = `SIG-KS-${Date.now()}`;
    expect((await call('POST', '/api/signals', { signalId, strategyId: 'manual', agentId: 'desk', agentVersion: '1', symbol: 'AAPL', direction: 'LONG', strength: 1, targetWeight: '0.01', horizon: 'intraday', rationale: 'after the halt', createdAt: new Date().toISOString() })).status).toBe(202);
    await restingOrder('CO-KS-ACC-AFTER');
    const denied = await poll('the late order denied', async () => {
      const o = await system.api.stores.orders.get('CO-KS-ACC-AFTER' as never);
      return o?.status === 'DENIED' ? o : undefined;
    });
    expect(denied.reasonCode).toBe('TRADING_HALTED');
    const entries = await poll('the signal refusal in the audit log', async () => {
      const all = await system.api.stores.audit.read(1, 10_000);
      return all.some((e) => e.action === 'SIGNAL_DENIED' && e.subject === `signal:${signalId}`) ? all : undefined;
    });
    expect(entries.find((e) => e.action === 'SIGNAL_DENIED')?.data).toMatchObject({ code: 'CIO.HALTED' });
    expect((await simState()).openOrders).toEqual([]);

    // The SEV1 notice in the outbox, and the audit chain whole with the activation in it.
    const outbox = readFileSync(system.outboxFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { subject?: string; audience?: string[] });
    expect(outbox.find((n) => n.subject?.includes(`SEV1 ${incidentId}`))?.audience).toEqual(['oncall', 'risk_manager', 'compliance']);
    const chain = await poll('the verified cancel in the audit log', async () => {
      const all = await system.api.stores.audit.read(1, 10_000);
      return all.some((e) => e.action === 'GLOBAL_CANCEL_VERIFIED') ? all : undefined;
    });
    expect(verifyChain(chain)).toMatchObject({ ok: true });
    expect(chain.find((e) => e.action === 'KILL_SWITCH_ACTIVATED')).toMatchObject({ actor: 'john.doe', data: { incidentId } });
    expect(await system.api.stores.incidents.get(incidentId)).toMatchObject({ severity: 'SEV1', status: 'open', openedBy: 'john.doe' });
  });
});
