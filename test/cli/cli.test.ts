import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../lib/cli/main.js';
import { ApiUnreachableError, type ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';
import { AlertEvidenceSchema } from '../../lib/core/surveillance/alert.js';

/** An io whose API answers from a table (unit tests; the acceptance test runs the CLI against `npm start`'s system). */
function io(replies: Record<string, ApiReply | Error>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: (base) => ({
      get: async (path) => {
        asked.push(`${base}${path}`);
        const r = replies[path];
        if (r instanceof Error) throw r;
        if (!r) return { status: 404, body: { error: 'NOT_FOUND' } };
        return r;
      },
      post: async (path, body) => {
        asked.push(`POST ${base}${path} ${JSON.stringify(body)}`);
        const r = replies[`POST ${path}`];
        if (r instanceof Error) throw r;
        return r ?? { status: 404, body: { error: 'NOT_FOUND' } };
      },
    }),
  };
  return { value, out, err, asked };
}

describe('tradeops check-ib-connection', () => {
  it('prints "Connection: OK" and exits 0 when the broker component is ok', async () => {
    const t = io({ '/health': { status: 200, body: { status: 'ok', components: { broker: { status: 'ok', detail: { account: 'DU1', serverVersion: 193 } } } } } });
    expect(await runCli(['check-ib-connection'], t.value)).toBe(0);
    expect(t.out[0]).toMatch(/^Connection: OK/);
    expect(t.asked[0]).toBe('http://localhost:8080/health');
  });

  it('prints the reason and exits 1 when the broker is down, even if the API answers', async () => {
    const t = io({ '/health': { status: 503, body: { status: 'down', components: { broker: { status: 'down', detail: { reason: 'error 1100: connectivity between IB and the gateway lost' } } } } } });
    expect(await runCli(['check-ib-connection', '--api', 'https://ops.example.com'], t.value)).toBe(1);
    expect(t.out[0]).toBe('Connection: DOWN — error 1100: connectivity between IB and the gateway lost');
    expect(t.asked[0]).toBe('https://ops.example.com/health');
  });

  it('exits 1 with the reason when the API cannot be reached', async () => {
    const t = io({ '/health': new ApiUnreachableError('http://localhost:8080', new Error('ECONNREFUSED')) });
    expect(await runCli(['check-ib-connection'], t.value)).toBe(1);
    expect(t.err[0]).toMatch(/^Connection: DOWN — cannot reach the TradeOps API/);
  });
});

describe('tradeops show-positions', () => {
  it('prints a table of positions and totals', async () => {
    const t = io({ '/api/positions': { status: 200, body: { asOf: '2026-11-27T15:00:00.000Z', count: 1, positions: [{ account: 'DU1', symbol: 'AAPL', quantity: 100, avgCost: '187.25', marketPrice: '188.00', marketValue: '18800.00', unrealizedPnl: '75.00', realizedPnl: '0.00' }], totals: { USD: { marketValue: '18800.00', unrealizedPnl: '75.00', realizedPnl: '0.00' } } } } });
    expect(await runCli(['show-positions'], t.value)).toBe(0);
    expect(t.out.join('\n')).toMatch(/AAPL\s+100\s+187\.25\s+188\.00\s+18800\.00\s+75\.00/);
    expect(t.out.at(-1)).toBe('Totals USD: market value 18800.00, unrealised 75.00, realised 0.00');
  });

  it('exits 1 when the API refuses', async () => {
    const t = io({ '/api/positions': { status: 500, body: { error: 'INTERNAL' } } });
    expect(await runCli(['show-positions'], t.value)).toBe(1);
  });
});

describe('tradeops validate-config', () => {
  it('exits 0 for the shipped local config', async () => {
    const t = io({});
    expect(await runCli(['validate-config', '--env', 'local'], t.value)).toBe(0);
    expect(t.out[0]).toMatch(/local\.yaml: OK/);
  });

  it('exits 1 naming the file and the field of a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradeops-cfg-'));
    const good = readFileSync(new URL('../../config/local.yaml', import.meta.url), 'utf8');
    const file = join(dir, 'local.yaml');
    writeFileSync(file, good.replace('maxLeverage: "2"', 'maxLeverage: "two"'));
    const t = io({});
    expect(await runCli(['validate-config', '--file', file], t.value)).toBe(1);
    expect(t.err.join('\n')).toMatch(/local\.yaml.*limits\.maxLeverage/s);
  });
});

describe('tradeops usage', () => {
  it('exits 2 on an unknown command or flag, with usage', async () => {
    const a = io({});
    expect(await runCli(['frobnicate'], a.value)).toBe(2);
    expect(a.err[0]).toMatch(/unknown command: frobnicate/);
    const b = io({});
    expect(await runCli(['show-positions', '--nope'], b.value)).toBe(2);
    expect(b.err[0]).toMatch(/--nope/);
  });
});

describe('tradeops review-mar-alert / log-compliance-action', () => {
  it('shows an alert with its evidence and history', async () => {
    // The evidence in the shape the API serves (the alert schema's), not a stand-in.
    const evidence = AlertEvidenceSchema.parse({
      orders: [{ clientOrderId: 'CO-1', event: 'ORDER_PLACED', side: 'BUY', quantity: 100, price: '50.00', at: '2026-11-27T14:59:58.000Z' }],
      fills: [
        { execId: 'E2', clientOrderId: 'CO-2', side: 'SELL', quantity: 100, price: '50.00', at: '2026-11-27T15:00:00.000Z' },
        { execId: 'E1', clientOrderId: 'CO-1', side: 'BUY', quantity: 100, price: '50.01', at: '2026-11-27T14:59:59.000Z' },
      ],
      metrics: { matches: '1', gapMs: '1000' },
    });
    const t = io({ '/api/compliance/alerts/MAR-WASH-0123456789abcdef': { status: 200, body: { alertId: 'MAR-WASH-0123456789abcdef', type: 'WASH_TRADE', severity: 'HIGH', status: 'new', raisedAt: '2026-11-27T15:00:00.000Z', evidence, history: [] } } });
    expect(await runCli(['review-mar-alert', '--alert-id', 'MAR-WASH-0123456789abcdef'], t.value)).toBe(0);
    const text = t.out.join('\n');
    expect(text).toMatch(/WASH_TRADE severity HIGH, status new/);
    expect(text).toMatch(/Evidence \(2 fills, 1 order\)/);
    expect(text).toMatch(/fill {2}2026-11-27T15:00:00.000Z SELL 100 @ 50.00 {2}exec E2 {2}order CO-2/);
    expect(text).toMatch(/order 2026-11-27T14:59:58.000Z ORDER_PLACED BUY 100 @ 50.00 {2}CO-1/);
    expect(text).toMatch(/measured: matches 1, gapMs 1000/);
  });

  it('exits 1 for an unknown alert and 2 without --alert-id', async () => {
    const t = io({ '/api/compliance/alerts/MAR-X': { status: 404, body: { error: 'SURVEILLANCE.ALERT_NOT_FOUND', message: 'no alert MAR-X' } } });
    expect(await runCli(['review-mar-alert', '--alert-id', 'MAR-X'], t.value)).toBe(1);
    expect(t.err[0]).toMatch(/SURVEILLANCE.ALERT_NOT_FOUND/);
    expect(await runCli(['review-mar-alert'], io({}).value)).toBe(2);
  });

  it('posts the action with the actor and reports the new status', async () => {
    const t = io({ 'POST /api/compliance/alerts/MAR-1/actions': { status: 200, body: { alertId: 'MAR-1', status: 'under_review' } } });
    expect(await runCli(['log-compliance-action', '--alert-id', 'MAR-1', '--action', 'Reviewed', '--actor', 'jane.doe', '--note', 'checked fills'], t.value)).toBe(0);
    expect(t.asked[0]).toBe('POST http://localhost:8080/api/compliance/alerts/MAR-1/actions {"action":"Reviewed","actor":"jane.doe","note":"checked fills"}');
    expect(t.out[0]).toBe('recorded "Reviewed" on MAR-1; status now under_review');
  });
});
