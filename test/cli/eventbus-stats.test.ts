import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import type { ApiReply } from '../../lib/cli/api-client.js';
import type { CliIo } from '../../lib/cli/command.js';

function io(reply: ApiReply) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), api: () => ({ get: async () => reply, post: async () => reply }) };
  return { value, out, err };
}

const consumer = (name: string, backlog: number | null) => ({ consumer: name, status: 'ok', backlog, oldest_age_ms: backlog === null ? null : 12, in_flight: 1, delivered: 40, failed: 0, latency_ms: backlog === null ? null : { p50: 2, p99: 9 }, dlq_depth: 0 });

describe('tradeops eventbus-stats', () => {
  it('prints one row per consumer and exits 0 under the threshold', async () => {
    const t = io({ status: 200, body: { runtime: 'local', backlog_total: 7, backlog_threshold: 1000, totals: { dlq_depth: 0 }, consumers: [consumer('audit-recorder', 5), consumer('risk-agent', 2)], unavailable: {} } });

    expect(await runCli(['eventbus-stats'], t.value)).toBe(0);
    expect(t.out[0]).toMatch(/^consumer\s+status\s+backlog/);
    expect(t.out.find((l) => l.startsWith('audit-recorder'))).toMatch(/\s5\s/);
    expect(t.out.join('\n')).toContain('backlog_total: 7 (threshold 1000)');
  });

  it('exits 1 and suggests clear_stale when the backlog is over 1000', async () => {
    const t = io({ status: 200, body: { runtime: 'local', backlog_total: 1001, backlog_threshold: 1000, totals: { dlq_depth: 0 }, consumers: [consumer('risk-agent', 1001)], unavailable: {} } });

    expect(await runCli(['eventbus-stats'], t.value)).toBe(1);
    expect(t.out.join('\n')).toContain('clear_stale');
  });

  it('shows n/a for what AWS cannot measure, and exits 0 without a backlog figure', async () => {
    const t = io({ status: 200, body: { runtime: 'aws', backlog_total: null, totals: { dlq_depth: 3 }, consumers: [consumer('risk-agent', null)], unavailable: { backlog: 'EventBridge keeps no queue' } } });

    expect(await runCli(['eventbus-stats'], t.value)).toBe(0);
    expect(t.out.find((l) => l.startsWith('risk-agent'))).toContain('n/a');
    expect(t.out.join('\n')).toContain('dlq_depth: 3');
  });

  it('exits 1 naming the status when the API refuses', async () => {
    const t = io({ status: 503, body: { error: 'BUS.OPERATIONS_UNAVAILABLE' } });

    expect(await runCli(['eventbus-stats'], t.value)).toBe(1);
    expect(t.err.join('\n')).toContain('503');
  });
});
