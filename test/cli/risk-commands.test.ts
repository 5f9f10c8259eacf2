import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';

/** An io whose API answers from a table keyed by "GET /path" / "POST /path"; records what was asked. */
function io(replies: Record<string, ApiReply>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: Array<{ method: string; url: string; body?: unknown }> = [];
  const answer = (key: string) => replies[key] ?? { status: 404, body: { error: 'NOT_FOUND' } };
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    api: (base) => ({
      get: async (path) => {
        asked.push({ method: 'GET', url: `${base}${path}` });
        return answer(`GET ${path}`);
      },
      post: async (path, body) => {
        asked.push({ method: 'POST', url: `${base}${path}`, body });
        return answer(`POST ${path}`);
      },
    }),
  };
  return { value, out, err, asked };
}

const VAR = {
  var: '9500.00', limit: '10000.00', utilization: 0.95, level: 'critical', alert: 'var_critical', method: 'historical', confidence: 0.99, window: 250, computedAt: '2026-11-27T15:00:00.000Z',
  components: [
    { symbol: 'SPY', exposure: '90000.00', component: '1500.00', share: 0.1579, marginal: 0.0167 },
    { symbol: 'AAPL', exposure: '187000.00', component: '5000.00', share: 0.5263, marginal: 0.0267 },
    { symbol: 'MSFT', exposure: '200000.00', component: '3000.00', share: 0.3158, marginal: 0.015 },
  ],
  coverage: { uncovered: ['ZZZZ'], unmarked: [] },
};

describe('tradeops var-decomposition', () => {
  it('prints VaR against its limit and the components sorted by contribution', async () => {
    const t = io({ 'GET /api/risk/var': { status: 200, body: VAR } });
    expect(await runCli(['var-decomposition'], t.value)).toBe(0);
    expect(t.out[0]).toBe('VaR 99.0% 1-day (historical, 250 days): 9500.00 of limit 10000.00 = 95.0% [critical, var_critical] at 2026-11-27T15:00:00.000Z');
    const symbols = t.out.slice(2, 5).map((l) => l.split(/\s+/)[0]);
    expect(symbols).toEqual(['AAPL', 'MSFT', 'SPY']);
    expect(t.out[2]).toMatch(/^AAPL\s+187000\.00\s+5000\.00\s+52\.6%\s+0\.0267$/);
    expect(t.out.at(-1)).toBe('Not in the VaR (no history or no price): ZZZZ');
  });

  it('exits 1 with the API\'s reason before the first risk cycle', async () => {
    const t = io({ 'GET /api/risk/var': { status: 503, body: { error: 'RISK_NOT_COMPUTED', message: 'No risk figures yet' } } });
    expect(await runCli(['var-decomposition'], t.value)).toBe(1);
    expect(t.err[0]).toBe('VaR unavailable: RISK_NOT_COMPUTED No risk figures yet');
  });
});

describe('tradeops reduce-position', () => {
  const approved = { symbol: 'AAPL', currentQuantity: 1000, resultingQuantity: 500, anyDenied: false, orders: [{ symbol: 'AAPL', side: 'SELL', quantity: 500, estimatedNotional: '93500.00', reducesExposure: true, outcome: { status: 'approved', clientOrderId: '20261127-000042' } }] };

  it('posts symbol, target and operator and prints what happened to each order', async () => {
    const t = io({ 'POST /api/risk/reduce_position': { status: 200, body: approved } });
    expect(await runCli(['reduce-position', '--symbol', 'AAPL', '--target', '0.5', '--operator', 'jane.doe'], t.value)).toBe(0);
    expect(t.asked[0]).toEqual({ method: 'POST', url: 'http://localhost:8080/api/risk/reduce_position', body: { symbol: 'AAPL', target: 0.5, operator: 'jane.doe' } });
    expect(t.out[0]).toBe('AAPL: 1000 → 500 (target 0.5); 1 order(s) proposed');
    expect(t.out[2]).toMatch(/^AAPL\s+SELL\s+500\s+93500\.00\s+approved\s+20261127-000042$/);
  });

  it('exits 1 and says so when an order is denied', async () => {
    const denied = { ...approved, anyDenied: true, orders: [{ ...approved.orders[0]!, outcome: { status: 'denied', reasonCode: 'RISK.PRICE_COLLAR', message: 'limit too far' } }] };
    const t = io({ 'POST /api/risk/reduce_position': { status: 200, body: denied } });
    expect(await runCli(['reduce-position', '--symbol', 'AAPL', '--target', '0.5'], t.value)).toBe(1);
    expect(t.out.join('\n')).toMatch(/denied\s+-\s+RISK\.PRICE_COLLAR limit too far/);
    expect(t.err[0]).toMatch(/denied/);
  });

  it('exits 2 on a missing symbol or a target outside [0, 1], without calling the API', async () => {
    for (const args of [['--target', '0.5'], ['--symbol', 'AAPL', '--target', '1.5'], ['--symbol', 'AAPL', '--target', 'half'], ['--symbol', 'AAPL']]) {
      const t = io({});
      expect(await runCli(['reduce-position', ...args], t.value)).toBe(2);
      expect(t.asked).toEqual([]);
    }
  });

  it('exits 1 with the API\'s refusal (no position)', async () => {
    const t = io({ 'POST /api/risk/reduce_position': { status: 404, body: { error: 'RISK.REDUCE_NO_POSITION', message: 'no open position in TSLA' } } });
    expect(await runCli(['reduce-position', '--symbol', 'TSLA', '--target', '0'], t.value)).toBe(1);
    expect(t.err[0]).toBe('reduce-position TSLA: RISK.REDUCE_NO_POSITION no open position in TSLA');
  });
});

describe('tradeops daily-pnl-report', () => {
  const metrics = (total: string, loss: string, breached: boolean) => ({
    status: 200,
    body: { computedAt: '2026-11-27T20:55:00.000Z', tradingDay: '2026-11-27', daily: { realized: '-4000.00', unrealized: (Number(total) + 4000).toFixed(2), total, loss, limit: '10000.00', breached }, drawdown: { current: '0.00', max: '1200.00', maxFraction: null }, activeAlerts: breached ? [{ name: 'daily_loss_limit', severity: 'CRITICAL', message: 'daily loss exceeds the limit' }] : [] },
  });

  it('prints realised, unrealised and total against the limit and exits 0 within it', async () => {
    const t = io({ 'GET /api/risk/metrics': metrics('-2500.00', '2500.00', false) });
    expect(await runCli(['daily-pnl-report'], t.value)).toBe(0);
    expect(t.out).toContain('  realised    -4000.00');
    expect(t.out).toContain('  unrealised  1500.00');
    expect(t.out).toContain('  total       -2500.00');
    expect(t.out).toContain('  loss limit  10000.00 (loss 2500.00: within the limit)');
    expect(t.err).toEqual([]);
  });

  it('exits 1 and says so when the loss exceeds the daily limit', async () => {
    const t = io({ 'GET /api/risk/metrics': metrics('-12500.00', '12500.00', true) });
    expect(await runCli(['daily-pnl-report'], t.value)).toBe(1);
    expect(t.err[0]).toBe('DAILY LOSS LIMIT EXCEEDED: loss 12500.00 > limit 10000.00 — escalate to the risk manager');
    expect(t.out.join('\n')).toMatch(/ALERT daily_loss_limit \[CRITICAL\]/);
  });

  it('exits 1 when the figures are unavailable', async () => {
    const t = io({ 'GET /api/risk/metrics': { status: 503, body: { error: 'RISK_NOT_COMPUTED', message: 'No risk figures yet' } } });
    expect(await runCli(['daily-pnl-report'], t.value)).toBe(1);
  });
});
