import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom, stringFlag } from '../command.js';
import { operatorOf, table } from './risk-format.js';

interface ReduceBody {
  symbol?: string;
  currentQuantity?: number;
  resultingQuantity?: number;
  orders?: Array<{ symbol: string; side: string; quantity: number; estimatedNotional?: string; outcome: { status: string; clientOrderId?: string; reasonCode?: string; message?: string } | null }>;
  anyDenied?: boolean;
  error?: string;
  message?: string;
  issues?: Array<{ path: string; message: string }>;
}

const USAGE = 'tradeops reduce-position --symbol SYM --target FRACTION [--reason TEXT] [--operator NAME] [--api URL] [--json]';

/** Risk Limit Breach step 4: propose the orders that bring a position to a fraction of its size, through the pre-trade checks. */
export const reducePosition: CliCommand = {
  name: 'reduce-position',
  replaces: 'scripts/reduce_position.py',
  summary: 'Reduce a position to --target of its size (0.5 halves, 0 closes) via the pre-trade checks; exit 1 if any order is denied',
  usage: USAGE,
  options: { ...API_OPTION, symbol: { type: 'string' }, target: { type: 'string' }, reason: { type: 'string' }, operator: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const symbol = stringFlag(values, 'symbol');
    const targetText = stringFlag(values, 'target');
    const target = targetText === undefined || targetText.trim() === '' ? Number.NaN : Number(targetText);
    if (symbol === undefined || !(target >= 0 && target <= 1)) {
      io.err(`${symbol === undefined ? '--symbol is required' : `--target must be a fraction in [0, 1], got ${targetText ?? 'nothing'}`}\nusage: ${USAGE}`);
      return 2;
    }
    const body = { symbol, target, ...operatorOf(values), ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}) };
    const reply = await apiFrom(values, io).post('/api/risk/reduce_position', body);
    const r = reply.body as ReduceBody;
    if (reply.status !== 200) {
      const issues = (r.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ');
      io.err(`reduce-position ${symbol}: ${r.error ?? `HTTP ${reply.status}`} ${r.message ?? ''}${issues ? ` (${issues})` : ''}`.trim());
      return 1;
    }
    if (values['json'] === true) io.out(JSON.stringify(r, null, 2));
    else {
      const orders = r.orders ?? [];
      io.out(`${symbol}: ${r.currentQuantity} → ${r.resultingQuantity} (target ${target}); ${orders.length === 0 ? 'nothing to trade' : `${orders.length} order(s) proposed`}`);
      if (orders.length > 0) {
        const rows = orders.map((o) => [o.symbol, o.side, String(o.quantity), o.estimatedNotional ?? '-', o.outcome?.status ?? 'unknown', o.outcome?.clientOrderId ?? '-', [o.outcome?.reasonCode, o.outcome?.message].filter(Boolean).join(' ')]);
        for (const line of table(['SYMBOL', 'SIDE', 'QTY', 'NOTIONAL', 'OUTCOME', 'ORDER', 'REASON'], rows)) io.out(line);
      }
    }
    if (r.anyDenied === true) {
      io.err('at least one order was denied or could not be proposed: the position is not reduced as asked');
      return 1;
    }
    return 0;
  },
};
