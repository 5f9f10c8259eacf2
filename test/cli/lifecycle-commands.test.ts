import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';

/** An io whose API answers from a table keyed by "GET /path" / "POST /path" (a list is answered in turn, its last entry repeating). */
function io(replies: Record<string, ApiReply | ApiReply[]>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: Array<{ method: string; path: string; body?: unknown }> = [];
  const answer = (key: string): ApiReply => {
    const r = replies[key];
    if (r === undefined) return { status: 404, body: { error: 'NOT_FOUND' } };
    if (!Array.isArray(r)) return r;
    return (r.length > 1 ? r.shift() : r[0]) ?? { status: 500, body: {} };
  };
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: () => ({
      get: async (path) => (asked.push({ method: 'GET', path }), answer(`GET ${path}`)),
      post: async (path, body) => (asked.push({ method: 'POST', path, body }), answer(`POST ${path}`)),
    }),
  };
  return { value, out, err, asked };
}

const HEALTHY = { status: 200, body: { status: 'ok', components: { broker: { status: 'ok', detail: { account: 'DU1' } } } } };
const state = (over: Record<string, unknown>) => ({ status: 200, body: { phase: 'STARTING', since: '2026-11-27T13:00:00.000Z', by: 'jane', reason: 'x', pending_orders: 0, trading_state: 'ACTIVE', drain: null, startup: null, ...over } });

describe('tradeops startup', () => {
  it('exits 1 naming the failing step and its reason', async () => {
    const t = io({
      'GET /health': HEALTHY,
      'POST /api/system/startup': { status: 202, body: { run_id: 'STARTUP-1' } },
      'GET /api/system/state': state({
        startup: { run_id: 'STARTUP-1', status: 'FAILED', failed_step: 'ReconcileOrders', error: { code: 'STARTUP.UNRESOLVED_ORDERS', message: '1 working order unknown' }, steps: [{ step: 'CheckBrokerConnection', status: 'ok', summary: 'connected', code: null }, { step: 'ReconcileOrders', status: 'failed', summary: '1 working order unknown', code: 'STARTUP.UNRESOLVED_ORDERS' }] },
      }),
    });
    expect(await runCli(['startup', '--env', 'local', '--interval', '0.01'], t.value)).toBe(1);
    expect(t.err.join('\n')).toMatch(/startup failed at ReconcileOrders: STARTUP.UNRESOLVED_ORDERS/);
    expect(t.out.join('\n')).toMatch(/✗ ReconcileOrders/);
  });

  it('exits 1 before starting anything when the broker is down', async () => {
    const t = io({ 'GET /health': { status: 503, body: { components: { broker: { status: 'down', detail: { reason: 'not logged in' } } } } } });
    expect(await runCli(['startup'], t.value)).toBe(1);
    expect(t.asked.some((a) => a.method === 'POST')).toBe(false);
  });

  it('exits 2 on a bad --timeout', async () => {
    expect(await runCli(['startup', '--timeout', 'soon'], io({}).value)).toBe(2);
  });
});

describe('tradeops shutdown', () => {
  it('exits 1 when the drain times out, listing the working orders, and does not archive', async () => {
    const drain = { drain_id: 'DRAIN-1', deadline: '2026-11-27T21:05:00.000Z', timed_out: false, working_orders: [] };
    const t = io({
      'POST /api/system/shutdown': { status: 202, body: { phase: 'DRAINING', drain } },
      'GET /api/system/state': [state({ phase: 'DRAINING', pending_orders: 2, drain }), state({ phase: 'DRAINING', pending_orders: 1, drain: { ...drain, timed_out: true, working_orders: ['CO-1'] } })],
    });
    expect(await runCli(['shutdown', '--interval', '0.01', '--timeout', '60'], t.value)).toBe(1);
    expect(t.out.join('\n')).toMatch(/Pending orders: 2[\s\S]*Pending orders: 1/);
    expect(t.err.join('\n')).toMatch(/timed out after 60 s with 1 order\(s\) working: CO-1/);
    expect(t.asked.some((a) => a.path === '/api/system/archive_session')).toBe(false);
    expect(t.asked[0]).toMatchObject({ method: 'POST', path: '/api/system/shutdown', body: { timeout_s: 60 } });
  });

  it('exits 0 once STOPPED and archives the session', async () => {
    const drain = { drain_id: 'DRAIN-1', deadline: '2026-11-27T21:05:00.000Z', timed_out: false, working_orders: [] };
    const t = io({
      'POST /api/system/shutdown': { status: 202, body: { phase: 'DRAINING', drain } },
      'GET /api/system/state': state({ phase: 'STOPPED', drain }),
      'POST /api/system/archive_session': { status: 201, body: { date: '2026-11-27', manifest_key: 'sessions/2026-11-27/x/manifest.json', files: [{ key: 'sessions/2026-11-27/x/orders.json', sha256: 'ab', bytes: 2, records: 0 }], audit_head: null } },
    });
    expect(await runCli(['shutdown', '--interval', '0.01'], t.value)).toBe(0);
    expect(t.out.join('\n')).toContain('sessions/2026-11-27/x/manifest.json');
  });

  it('exits 1 with the reason when the shutdown is refused', async () => {
    const t = io({ 'POST /api/system/shutdown': { status: 409, body: { error: 'LIFECYCLE.ALREADY_STOPPED', message: 'already STOPPED' } } });
    expect(await runCli(['shutdown'], t.value)).toBe(1);
    expect(t.err.join('\n')).toContain('LIFECYCLE.ALREADY_STOPPED');
  });
});

describe('tradeops review-pending-alerts and archive-session', () => {
  it('exits 1 when a critical alert is open, 0 when only non-critical ones are', async () => {
    const alert = (critical: boolean) => ({ source: 'risk', id: 'var_warning', severity: critical ? 'CRITICAL' : 'WARNING', status: 'active', summary: 'VaR', raisedAt: '2026-11-27T14:00:00.000Z', critical });
    const crit = io({ 'GET /api/system/pending_alerts': { status: 200, body: { compliance: [], risk: [alert(true)], critical: [alert(true)] } } });
    const warn = io({ 'GET /api/system/pending_alerts': { status: 200, body: { compliance: [], risk: [alert(false)], critical: [] } } });
    expect(await runCli(['review-pending-alerts'], crit.value)).toBe(1);
    expect(await runCli(['review-pending-alerts'], warn.value)).toBe(0);
    expect(warn.out.join('\n')).toMatch(/1 risk alert\(s\) active, 0 critical/);
  });

  it('exits 2 on a malformed --date', async () => {
    expect(await runCli(['archive-session', '--date', '27/11/2026'], io({}).value)).toBe(2);
  });
});
