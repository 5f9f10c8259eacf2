import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom } from '../command.js';
import { table } from './risk-format.js';

interface VarBody {
  var?: string;
  limit?: string;
  utilization?: number;
  level?: string;
  alert?: string | null;
  method?: string;
  confidence?: number;
  window?: number;
  computedAt?: string;
  components?: Array<{ symbol: string; exposure: string; component: string; share: number | null; marginal: number }>;
  coverage?: { uncovered?: string[]; unmarked?: string[] };
  error?: string;
  message?: string;
}

/** Risk Limit Breach step 3: which positions contribute the VaR, largest first. */
export const varDecomposition: CliCommand = {
  name: 'var-decomposition',
  replaces: 'scripts/var_decomposition.py',
  summary: 'Portfolio VaR and each position\'s contribution (component VaR), largest first',
  usage: 'tradeops var-decomposition [--api URL] [--json]',
  options: { ...API_OPTION, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const reply = await apiFrom(values, io).get('/api/risk/var');
    const body = reply.body as VarBody;
    if (reply.status !== 200) {
      io.err(`VaR unavailable: ${body.error ?? `HTTP ${reply.status}`} ${body.message ?? ''}`.trim());
      return 1;
    }
    if (values['json'] === true) {
      io.out(JSON.stringify(body, null, 2));
      return 0;
    }
    const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
    io.out(`VaR ${pct(body.confidence)} 1-day (${body.method}, ${body.window} days): ${body.var} of limit ${body.limit} = ${pct(body.utilization)} [${body.level}${body.alert ? `, ${body.alert}` : ''}] at ${body.computedAt}`);
    const rows = [...(body.components ?? [])].sort((a, b) => Number(b.component) - Number(a.component) || a.symbol.localeCompare(b.symbol));
    if (rows.length > 0) {
      for (const line of table(['SYMBOL', 'EXPOSURE', 'COMPONENT VAR', 'SHARE', 'MARGINAL'], rows.map((c) => [c.symbol, c.exposure, c.component, pct(c.share), c.marginal.toFixed(4)]))) io.out(line);
    }
    const missing = [...(body.coverage?.uncovered ?? []), ...(body.coverage?.unmarked ?? [])];
    if (missing.length > 0) io.out(`Not in the VaR (no history or no price): ${missing.join(', ')}`);
    return 0;
  },
};
