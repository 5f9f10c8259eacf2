import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';

/** An io whose API answers from a table; a list answers one reply per call (polling). */
function io(replies: Record<string, ApiReply | ApiReply[]>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const next = (key: string): ApiReply => {
    const r = replies[key];
    if (Array.isArray(r)) return (r.length > 1 ? r.shift() : r[0]) ?? { status: 404, body: {} };
    return r ?? { status: 404, body: { error: 'NOT_FOUND' } };
  };
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: () => ({
      get: async (path) => {
        asked.push(path);
        return next(path);
      },
      post: async (path, body) => {
        asked.push(`POST ${path} ${JSON.stringify(body)}`);
        return next(`POST ${path}`);
      },
    }),
  };
  return { value, out, err, asked };
}

const ALIGNED = { status: 'done', aligned: true, differences: [], adoptedExternal: ['EXT-7'], resolvedOrders: [], fillsRecovered: 2, openOrders: 1, brokerPositions: [{ account: 'DU1', symbol: 'AAPL', quantity: 10 }], positionsBaseline: 'ledger', reconciledAt: '2026-11-27T15:00:00.000Z' };
const POLL = '/api/broker/reconciliation?correlation_id=reconcile-1';

describe('tradeops reconcile-orders', () => {
  it('asks, polls until the result of its own request, prints it and exits 0 when aligned', async () => {
    const t = io({ 'POST /api/broker/reconcile': { status: 202, body: { correlation_id: 'reconcile-1' } }, [POLL]: [{ status: 202, body: { status: 'pending' } }, { status: 200, body: ALIGNED }] });
    expect(await runCli(['reconcile-orders', '--operator', 'jane'], t.value)).toBe(0);
    expect(t.asked[0]).toBe('POST /api/broker/reconcile {"operator":"jane"}');
    expect(t.out.join('\n')).toContain('ALIGNED');
    expect(t.out.join('\n')).toContain('EXT-7');
  });

  it('prints the differences and exits 1 when not aligned', async () => {
    const diff = { kind: 'position', account: 'DU1', symbol: 'AAPL', ours: '10', broker: '20', message: 'broker holds 10 more AAPL' };
    const t = io({ 'POST /api/broker/reconcile': { status: 202, body: { correlation_id: 'reconcile-1' } }, [POLL]: { status: 200, body: { ...ALIGNED, aligned: false, differences: [diff] } } });
    expect(await runCli(['reconcile-orders', '--accept-broker-positions'], t.value)).toBe(1);
    expect(t.asked[0]).toBe('POST /api/broker/reconcile {"accept_broker_positions":true}');
    expect(t.out.join('\n')).toContain('broker holds 10 more AAPL');
    expect(t.err.join('\n')).toContain('NOT aligned');
  });

  it('exits 1 with the reason when the API refuses, 2 on a bad --timeout', async () => {
    const t = io({ 'POST /api/broker/reconcile': { status: 403, body: { error: 'AUTH.FORBIDDEN', message: 'needs operator' } } });
    expect(await runCli(['reconcile-orders'], t.value)).toBe(1);
    expect(t.err.join('\n')).toContain('AUTH.FORBIDDEN');
    expect(await runCli(['reconcile-orders', '--timeout', '0'], io({}).value)).toBe(2);
  });
});

describe('tradeops verify-positions', () => {
  const positions = (rows: Array<{ symbol: string; quantity: number }>) => ({ status: 200, body: { positions: rows.map((r) => ({ account: 'DU1', ...r })) } });

  it('exits 0 when positions equal the broker report and the expected count', async () => {
    const t = io({ '/api/positions': positions([{ symbol: 'AAPL', quantity: 10 }]), '/api/broker/reconciliation': { status: 200, body: ALIGNED } });
    expect(await runCli(['verify-positions', '--expected-count', '1'], t.value)).toBe(0);
    expect(t.out.join('\n')).toContain('OK');
  });

  it('exits 1 naming each mismatch: a quantity, the count', async () => {
    const t = io({ '/api/positions': positions([{ symbol: 'AAPL', quantity: 12 }]), '/api/broker/reconciliation': { status: 200, body: ALIGNED } });
    expect(await runCli(['verify-positions', '--expected-count', '50'], t.value)).toBe(1);
    expect(t.err.join('\n')).toContain('DU1 AAPL: positions say 12');
    expect(t.err.join('\n')).toContain('expected 50 positions, found 1');
  });

  it('exits 1 without a broker report, 2 on a bad --expected-count', async () => {
    const t = io({ '/api/positions': positions([]) });
    expect(await runCli(['verify-positions'], t.value)).toBe(1);
    expect(await runCli(['verify-positions', '--expected-count', 'x'], io({}).value)).toBe(2);
  });
});
