/**
 * Acceptance for broker resilience on the whole local system (dynalite, ib-sim over TCP, bridge,
 * bus, broker-watch, HTTP API, outbox): the runbook's "IB Gateway Disconnection" as a product.
 * Drop the connection with ib-sim's fault API → trading HALTED by broker-watch and on-call paged
 * (outbox); the gateway comes back → reconciled, aligned, ACTIVE again without anyone; the CLI's
 * reconcile-orders and verify-positions agree.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from '../support/poll.js';
import { startLocalSystem, type LocalSystem } from '../../lib/local/runtime.js';
import { runCli } from '../../lib/cli/main.js';
import { createApiClient } from '../../lib/cli/api-client.js';

const REPO = new URL('../../', import.meta.url).pathname;
let system: LocalSystem;
let token = '';

const get = async (path: string) => {
  const r = await fetch(`${system.apiUrl}${path}`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const post = async (path: string, body: unknown, bearer = token) => {
  const r = await fetch(`${system.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const status = async () => (await get('/api/system/status')).body as { trading_state: string; changed_by: string; reason: string; broker: Record<string, unknown> };
const pages = (): Array<Record<string, unknown>> => (existsSync(system.outboxFile) ? readFileSync(system.outboxFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--api', system.apiUrl], { out: (l) => out.push(l), err: (l) => err.push(l), api: (url) => createApiClient(url, { token }) });
  return { code, out, err };
}

beforeAll(async () => {
  // The shipped local config without maintenance windows, so the test pages whatever the hour.
  const configDir = mkdtempSync(join(tmpdir(), 'tradeops-bd-config-'));
  const yaml = readFileSync(join(REPO, 'config/local.yaml'), 'utf8').replace(/ {2}maintenanceWindows:\n( {4}- .*\n)+/, '  maintenanceWindows: []\n').replace(/reconnect: \{[^}]*\}/, 'reconnect: { initialDelayMs: 100, maxDelayMs: 300 }');
  expect(yaml).toContain('maintenanceWindows: []');
  writeFileSync(join(configDir, 'local.yaml'), yaml);
  system = await startLocalSystem({ configDir, dataDir: mkdtempSync(join(tmpdir(), 'tradeops-bd-')), fresh: true, apiPort: 0, ibSimPort: 0, ibSimAdminPort: 0, heartbeatMs: 200, demoStrategies: false, logStream: new PassThrough().resume(), ibSim: { tickIntervalMs: 50 } });
  token = await system.tokens.mint('jane.ops', ['operator']);
  await poll('ready', async () => ((await get('/ready')).status === 200 ? true : undefined), 30_000);
  await poll('broker reconciled', async () => ((await status()).broker['reconciled'] === true ? true : undefined));
});

afterAll(async () => {
  await system?.stop();
});

describe('IB Gateway disconnection on the local system', () => {
  it('halts on the drop, pages on-call, and resumes ACTIVE by itself once reconciled and aligned', async () => {
    expect((await status()).trading_state).toBe('ACTIVE');
    const adminUrl = system.ibSim?.adminUrl;
    expect(adminUrl).toBeDefined();

    // Act 1: the gateway goes away for a moment (IB Gateway restart outside any window).
    const refused = await fetch(`${adminUrl}/faults/refuse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 1.5 }) });
    expect(refused.status).toBe(200);

    const halted = await poll('HALTED by broker-watch', async () => {
      const s = await status();
      return s.trading_state === 'HALTED' ? s : undefined;
    }, 10_000, 50);
    expect(halted.changed_by).toBe('system:broker-watch');
    expect(halted.reason).toMatch(/^broker_disconnect: .*\[resume: ACTIVE\]$/);
    const page = await poll('on-call page in the outbox', async () => pages().find((p) => (p['data'] as Record<string, unknown> | undefined)?.['alert'] === 'broker_disconnect'), 5_000, 50);
    expect(page).toMatchObject({ audience: ['oncall'], severity: 'CRITICAL' });

    // Act 2: the gateway is back → the bridge reconciles → broker-watch lifts its own halt.
    const resumed = await poll('ACTIVE again', async () => {
      const s = await status();
      return s.trading_state === 'ACTIVE' ? s : undefined;
    }, 15_000, 100);
    expect(resumed.changed_by).toBe('system:broker-watch');
    expect(resumed.broker).toMatchObject({ connected: true, reconciled: true, aligned: true, broker_maintenance: false });
    const rec = await get('/api/broker/reconciliation');
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ aligned: true, differences: [], trigger: 'login' });

    // The halt and the resume are in the audit chain (TradingStateChanged is audited).
    const audited = await poll('audit entries', async () => {
      const entries = await system.api.stores.audit.read(1, 100_000);
      const changes = entries.filter((e) => e.action === 'TRADING_STATE_CHANGED' && JSON.stringify(e.data).includes('system:broker-watch'));
      return changes.length >= 2 && entries.some((e) => e.action === 'BROKER_RECONCILED') ? changes : undefined;
    });
    expect(audited.length).toBeGreaterThanOrEqual(2);
  }, 45_000);

  it('reconcile-orders asks the bridge, waits and reports ALIGNED; verify-positions agrees; a viewer may not ask', async () => {
    const viewer = await system.tokens.mint('vic.viewer', ['viewer']);
    expect((await post('/api/broker/reconcile', {}, viewer)).status).toBe(403);
    const run = await cli(['reconcile-orders', '--timeout', '15']);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toContain('ALIGNED');
    const last = await get('/api/broker/reconciliation');
    expect(last.body).toMatchObject({ trigger: 'request', requestedBy: 'jane.ops', aligned: true });
    const verify = await cli(['verify-positions', '--expected-count', '0']);
    expect(verify.code).toBe(0);
    const wrongCount = await cli(['verify-positions', '--expected-count', '50']);
    expect(wrongCount.code).toBe(1);
    expect(wrongCount.err.join('\n')).toContain('expected 50 positions, found 0');
  }, 30_000);
});
