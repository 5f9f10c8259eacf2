import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom } from '../command.js';

interface ConsumerRow {
  consumer?: string;
  status?: string;
  backlog?: number | null;
  oldest_age_ms?: number | null;
  in_flight?: number | null;
  delivered?: number | null;
  failed?: number | null;
  latency_ms?: { p50?: number; p99?: number } | null;
  dlq_depth?: number | null;
}

interface StatsBody {
  runtime?: string;
  backlog_total?: number | null;
  backlog_threshold?: number;
  totals?: { dlq_depth?: number | null };
  consumers?: ConsumerRow[];
  unavailable?: Record<string, string>;
}

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : String(v));

/**
 * Runbook "Issue: Event Bus Backlog", step 1 as a command: the per-consumer table from
 * `GET /api/eventbus/stats`; exit 1 when the backlog is over the runbook's 1000 (consider
 * `clear_stale`), so it can gate a script. `n/a` marks what the runtime cannot measure (AWS).
 */
export const eventbusStats: CliCommand = {
  name: 'eventbus-stats',
  summary: 'Per-consumer backlog, oldest age, latency p50/p99 and DLQ depth; exit 1 if backlog_total > 1000',
  usage: 'tradeops eventbus-stats [--api URL]',
  options: { ...API_OPTION },
  async run(values, _positionals, io) {
    const api = apiFrom(values, io);
    const reply = await api.get('/api/eventbus/stats');
    if (reply.status !== 200) {
      io.err(`GET /api/eventbus/stats answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      return 1;
    }
    const body = reply.body as StatsBody;
    const header = ['consumer', 'status', 'backlog', 'oldest_ms', 'in_flight', 'delivered', 'failed', 'p50_ms', 'p99_ms', 'dlq'];
    const rows = (body.consumers ?? []).map((c) => [c.consumer ?? '?', c.status ?? '?', cell(c.backlog), cell(c.oldest_age_ms), cell(c.in_flight), cell(c.delivered), cell(c.failed), cell(c.latency_ms?.p50), cell(c.latency_ms?.p99), cell(c.dlq_depth)]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    io.out(line(header));
    for (const r of rows) io.out(line(r));
    const threshold = body.backlog_threshold ?? 1000;
    const total = body.backlog_total;
    io.out(`backlog_total: ${cell(total)} (threshold ${threshold}), dlq_depth: ${cell(body.totals?.dlq_depth)}, runtime: ${body.runtime ?? '?'}`);
    if (body.unavailable !== undefined && Object.keys(body.unavailable).length > 0) io.out(`n/a in this runtime: ${Object.keys(body.unavailable).join(', ')} (see "unavailable" in the API answer)`);
    if (total !== null && total !== undefined && total > threshold) {
      io.out(`Backlog over ${threshold}: consider POST /api/eventbus/clear_stale (drops only stale market data, archived first)`);
      return 1;
    }
    return 0;
  },
};
