import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';

function io(replies: Record<string, ApiReply>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: Array<{ url: string; body?: unknown }> = [];
  const answer = (key: string) => replies[key] ?? { status: 404, body: { error: 'NOT_FOUND' } };
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: (base) => ({
      get: async (path) => answer(`GET ${path}`),
      post: async (path, body) => {
        asked.push({ url: `${base}${path}`, body });
        return answer(`POST ${path}`);
      },
    }),
  };
  return { value, out, err, asked };
}

const ACTIVATED: ApiReply = { status: 200, body: { kill_switch: true, already_active: false, activated_by: 'john.doe', activated_at: '2026-11-27T15:00:00.000Z', reason: 'r', incident_id: 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V', severity: 'SEV1', cancel: { requested: true, command: 'CancelAllOrders' } } };
const VERIFIED: ApiReply = { status: 200, body: { verified: true, verification: { complete: true, remaining: 0, attempts: 1, durationMs: 30, brokerOrderIds: [] } } };
const NOTIFIED: ApiReply = { status: 200, body: { notified: true, audience: ['oncall', 'risk_manager', 'compliance', 'management'] } };

describe('tradeops kill-switch / cancel-all-orders / notify-emergency', () => {
  it('needs a reason, a --force and a message (exit 2) before asking the API anything', async () => {
    for (const argv of [['kill-switch'], ['cancel-all-orders'], ['notify-emergency']]) {
      const t = io({});
      expect(await runCli(argv, t.value)).toBe(2);
      expect(t.asked).toEqual([]);
    }
  });

  it('activates for one strategy and prints who, the incident and the cancel', async () => {
    const t = io({ 'POST /api/system/kill_switch': ACTIVATED });
    expect(await runCli(['kill-switch', '--reason', 'runaway', '--strategy', 'ma-crossover'], t.value)).toBe(0);
    expect(t.asked[0]?.body).toEqual({ reason: 'runaway', scope: { strategyId: 'ma-crossover' } });
    expect(t.out.join('\n')).toMatch(/INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V/);
  });

  it('fails (exit 1) on a refused activation and on an unverified cancel', async () => {
    expect(await runCli(['kill-switch', '--reason', 'x'], io({ 'POST /api/system/kill_switch': { status: 403, body: { error: 'AUTH.FORBIDDEN' } } }).value)).toBe(1);
    const unverified = io({ 'POST /api/orders/cancel_all': { status: 200, body: { verified: false, verification: { complete: false, remaining: 2, attempts: 6, durationMs: 3000, brokerOrderIds: ['17', '18'] } } } });
    expect(await runCli(['cancel-all-orders', '--force'], unverified.value)).toBe(1);
    expect(unverified.err.join('\n')).toMatch(/17, 18/);
  });
});

describe('tradeops emergency-shutdown', () => {
  const STOPPING = { 'POST /api/system/shutdown': { status: 202, body: { phase: 'DRAINING' } }, 'GET /api/system/state': { status: 200, body: { phase: 'STOPPED', pending_orders: 0 } } };

  it('runs kill switch, cancel all, notify and the lifecycle stop in order, exit 0', async () => {
    const t = io({ 'POST /api/system/kill_switch': ACTIVATED, 'POST /api/orders/cancel_all': VERIFIED, 'POST /api/system/notify_emergency': NOTIFIED, ...STOPPING });
    expect(await runCli(['emergency-shutdown'], t.value)).toBe(0);
    expect(t.asked.map((a) => a.url)).toEqual(['http://localhost:8080/api/system/kill_switch', 'http://localhost:8080/api/orders/cancel_all', 'http://localhost:8080/api/system/notify_emergency', 'http://localhost:8080/api/system/shutdown']);
    expect(t.asked[3]?.body).toMatchObject({ reason: 'Emergency shutdown', timeout_s: 30 });
    expect(t.out.filter((l) => l.startsWith('step '))).toHaveLength(4);
    expect(t.out).toContain('  system STOPPED');
  });

  it('still cancels, notifies and stops when the kill switch call fails, and exits 1', async () => {
    const t = io({ 'POST /api/system/kill_switch': { status: 503, body: { error: 'X' } }, 'POST /api/orders/cancel_all': VERIFIED, 'POST /api/system/notify_emergency': NOTIFIED, ...STOPPING });
    expect(await runCli(['emergency-shutdown', '--reason', 'market chaos'], t.value)).toBe(1);
    expect(t.asked).toHaveLength(4);
  });

  it('counts a system already stopped as stopped, and a refused shutdown as a failed step', async () => {
    const stopped = io({ 'POST /api/system/kill_switch': ACTIVATED, 'POST /api/orders/cancel_all': VERIFIED, 'POST /api/system/notify_emergency': NOTIFIED, 'POST /api/system/shutdown': { status: 409, body: { error: 'LIFECYCLE.ALREADY_STOPPED' } } });
    expect(await runCli(['emergency-shutdown'], stopped.value)).toBe(0);
    const refused = io({ 'POST /api/system/kill_switch': ACTIVATED, 'POST /api/orders/cancel_all': VERIFIED, 'POST /api/system/notify_emergency': NOTIFIED, 'POST /api/system/shutdown': { status: 403, body: { error: 'AUTH.FORBIDDEN', message: 'viewer may not' } } });
    expect(await runCli(['emergency-shutdown'], refused.value)).toBe(1);
    expect(refused.err.join('\n')).toContain('shutdown NOT started');
  });
});

describe('tradeops incidents / resolve-incident', () => {
  const OPEN = { status: 200, body: { count: 1, incidents: [{ id: 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V', severity: 'SEV1', title: 'Kill switch activated', openedBy: 'john.doe', openedAt: '2026-11-27T15:00:00.000Z', status: 'open', timeline: [{ at: '2026-11-27T15:00:00.000Z', by: 'john.doe', event: 'KILL_SWITCH_ACTIVATED' }] }] } };

  it('lists open incidents with their timelines', async () => {
    const t = io({ 'GET /api/incidents': OPEN });
    expect(await runCli(['incidents'], t.value)).toBe(0);
    expect(t.out.join('\n')).toMatch(/INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V {2}SEV1 {2}Kill switch activated[\s\S]*john.doe: KILL_SWITCH_ACTIVATED/);
  });

  it('resolves (exit 0), says why not while the halt holds (exit 1), and needs both flags (exit 2)', async () => {
    const path = 'POST /api/incidents/INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V/resolve';
    const ok = io({ [path]: { status: 200, body: { id: 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V', resolvedBy: 'jane.smith', resolvedAt: '2026-11-27T16:00:00.000Z' } } });
    expect(await runCli(['resolve-incident', '--incident-id', 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V', '--resolution', 'fixed'], ok.value)).toBe(0);
    expect(ok.asked[0]?.body).toEqual({ resolution: 'fixed' });
    const held = io({ [path]: { status: 409, body: { error: 'INCIDENT.STILL_HALTED', message: 'lift it with the two-person unlock first' } } });
    expect(await runCli(['resolve-incident', '--incident-id', 'INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V', '--resolution', 'fixed'], held.value)).toBe(1);
    expect(held.err.join('\n')).toContain('INCIDENT.STILL_HALTED');
    const usage = io({});
    expect(await runCli(['resolve-incident', '--incident-id', 'INC-1'], usage.value)).toBe(2);
    expect(usage.asked).toEqual([]);
  });
});
