import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom, stringFlag } from '../command.js';

interface PositionRow {
  account: string;
  symbol: string;
  quantity: number;
  avgCost: string;
  marketPrice?: string;
  marketValue?: string;
  unrealizedPnl?: string;
  realizedPnl: string;
}
interface PositionsBody {
  asOf?: string;
  count?: number;
  positions?: PositionRow[];
  totals?: Record<string, { marketValue?: string; unrealizedPnl?: string; realizedPnl?: string; unmarked?: string[] }>;
}

/** Pre-market step 4: the overnight positions as the broker reports them, with P&L. */
export const showPositions: CliCommand = {
  name: 'show-positions',
  replaces: 'scripts/show_positions.py',
  summary: 'Broker-reported positions with market value and P&L',
  usage: 'tradeops show-positions [--api URL] [--symbol SYM] [--json]',
  options: { ...API_OPTION, symbol: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const api = apiFrom(values, io);
    const symbol = stringFlag(values, 'symbol');
    const reply = await api.get(`/api/positions${symbol ? `?symbol=${encodeURIComponent(symbol)}` : ''}`);
    if (reply.status !== 200) {
      io.err(`positions unavailable: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
      return 1;
    }
    const body = reply.body as PositionsBody;
    if (values['json'] === true) {
      io.out(JSON.stringify(body, null, 2));
      return 0;
    }
    const rows = body.positions ?? [];
    io.out(`Positions as of ${body.asOf ?? 'unknown'}: ${rows.length}`);
    if (rows.length > 0) {
      const table = [['ACCOUNT', 'SYMBOL', 'QTY', 'AVG COST', 'PRICE', 'MKT VALUE', 'UNREAL P&L', 'REAL P&L'], ...rows.map((p) => [p.account, p.symbol, String(p.quantity), p.avgCost, p.marketPrice ?? '-', p.marketValue ?? '-', p.unrealizedPnl ?? '-', p.realizedPnl])];
      const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
      for (const r of table) io.out(r.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '));
    }
    for (const [currency, t] of Object.entries(body.totals ?? {})) {
      io.out(`Totals ${currency}: market value ${t.marketValue ?? '-'}, unrealised ${t.unrealizedPnl ?? '-'}, realised ${t.realizedPnl ?? '-'}${t.unmarked?.length ? ` (no price for ${t.unmarked.join(', ')})` : ''}`);
    }
    return 0;
  },
};
