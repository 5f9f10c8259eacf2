import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom } from '../command.js';

interface MetricsBody {
  computedAt?: string;
  tradingDay?: string;
  pnl?: { realized: string; unrealized: string; total: string };
  daily?: { realized: string; unrealized: string; total: string; loss: string; limit: string; breached: boolean };
  drawdown?: { current: string; max: string; maxFraction: number | null };
  activeAlerts?: Array<{ name: string; severity: string; message: string }>;
  error?: string;
  message?: string;
}

/** End-of-day step: today's P&L against the daily loss limit; exit 1 when the loss exceeds it ("Escalate if loss > daily limit"). */
export const dailyPnlReport: CliCommand = {
  name: 'daily-pnl-report',
  replaces: 'scripts/daily_pnl_report.py',
  summary: 'Today\'s realised / unrealised / total P&L vs the daily loss limit; exit 1 when the loss exceeds it',
  usage: 'tradeops daily-pnl-report [--api URL] [--json]',
  options: { ...API_OPTION, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const reply = await apiFrom(values, io).get('/api/risk/metrics');
    const m = reply.body as MetricsBody;
    if (reply.status !== 200 || m.daily === undefined) {
      io.err(`daily P&L unavailable: ${m.error ?? `HTTP ${reply.status}`} ${m.message ?? ''}`.trim());
      return 1;
    }
    const d = m.daily;
    if (values['json'] === true) io.out(JSON.stringify(m, null, 2));
    else {
      io.out(`Daily P&L ${m.tradingDay} (as of ${m.computedAt})`);
      io.out(`  realised    ${d.realized}`);
      io.out(`  unrealised  ${d.unrealized}`);
      io.out(`  total       ${d.total}`);
      io.out(`  loss limit  ${d.limit}${d.breached ? '' : ` (loss ${d.loss}: within the limit)`}`);
      if (m.drawdown) io.out(`  drawdown    ${m.drawdown.current} now, ${m.drawdown.max} max today`);
      for (const a of m.activeAlerts ?? []) io.out(`  ALERT ${a.name} [${a.severity}]: ${a.message}`);
    }
    if (d.breached) {
      io.err(`DAILY LOSS LIMIT EXCEEDED: loss ${d.loss} > limit ${d.limit} — escalate to the risk manager`);
      return 1;
    }
    return 0;
  },
};
