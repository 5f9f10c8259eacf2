import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom, stringFlag } from '../command.js';
import { operatorOf, table } from './risk-format.js';

interface Difference {
  kind: string;
  account?: string;
  symbol?: string;
  clientOrderId?: string;
  ours: string;
  broker: string;
  message: string;
}
interface Reconciliation {
  status?: string;
  correlation_id?: string;
  aligned?: boolean;
  differences?: Difference[];
  adoptedExternal?: string[];
  resolvedOrders?: Array<{ clientOrderId: string; from: string; to: string; reason: string }>;
  fillsRecovered?: number;
  openOrders?: number;
  brokerPositions?: Array<{ account: string; symbol: string; quantity: number }>;
  positionsBaseline?: string;
  reconciledAt?: string;
  broker?: { connected?: boolean; broker_maintenance?: boolean; maintenance_window?: string };
  error?: string;
  message?: string;
}

const RECONCILE_USAGE = 'tradeops reconcile-orders [--timeout SECONDS] [--accept-broker-positions] [--operator NAME] [--api URL] [--json]';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Prints a reconciliation result as a person reads it; returns whether it is aligned. */
export function printReconciliation(r: Reconciliation, out: (line: string) => void): void {
  out(`Reconciliation ${r.aligned === true ? 'ALIGNED' : 'NOT ALIGNED'} at ${r.reconciledAt ?? '?'} (${r.openOrders ?? 0} open orders at the broker, ${r.fillsRecovered ?? 0} fills recovered, positions baseline: ${r.positionsBaseline ?? '?'})`);
  if ((r.adoptedExternal ?? []).length > 0) out(`Adopted as EXTERNAL: ${(r.adoptedExternal ?? []).join(', ')}`);
  for (const o of r.resolvedOrders ?? []) out(`Resolved ${o.clientOrderId}: ${o.from} → ${o.to} (${o.reason})`);
  const diffs = r.differences ?? [];
  if (diffs.length > 0) {
    out('Differences:');
    for (const line of table(['KIND', 'WHAT', 'OURS', 'BROKER', 'DETAIL'], diffs.map((d) => [d.kind, d.clientOrderId ?? `${d.account ?? ''} ${d.symbol ?? ''}`.trim(), d.ours, d.broker, d.message]))) out(line);
  }
}

/** Runbook "IB Gateway Disconnection" step 4 and "Restore Procedure": reconcile with the broker now, wait for the result. */
export const reconcileOrders: CliCommand = {
  name: 'reconcile-orders',
  replaces: 'scripts/reconcile_orders.py',
  summary: 'Ask the bridge to reconcile orders, executions and positions with IB, wait, print differences; exit 1 if not aligned',
  usage: RECONCILE_USAGE,
  options: { ...API_OPTION, timeout: { type: 'string' }, 'accept-broker-positions': { type: 'boolean' }, operator: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const timeoutText = typeof values['timeout'] === 'string' ? values['timeout'] : '30';
    const timeoutS = Number(timeoutText);
    if (!(timeoutS > 0 && timeoutS <= 600)) {
      io.err(`--timeout must be seconds in (0, 600], got ${timeoutText}\nusage: ${RECONCILE_USAGE}`);
      return 2;
    }
    const api = apiFrom(values, io);
    const body = { ...operatorOf(values), ...(values['accept-broker-positions'] === true ? { accept_broker_positions: true } : {}) };
    const asked = await api.post('/api/broker/reconcile', body);
    const a = asked.body as { correlation_id?: string; error?: string; message?: string };
    if (asked.status !== 202 || a.correlation_id === undefined) {
      io.err(`reconcile-orders: ${a.error ?? `HTTP ${asked.status}`} ${a.message ?? ''}`.trim());
      return 1;
    }
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const reply = await api.get(`/api/broker/reconciliation?correlation_id=${encodeURIComponent(a.correlation_id)}`);
      const r = reply.body as Reconciliation;
      if (reply.status === 200) {
        if (values['json'] === true) io.out(JSON.stringify(r, null, 2));
        else printReconciliation(r, (l) => io.out(l));
        if (r.aligned !== true) {
          io.err('NOT aligned: trading stays halted until the differences are resolved and reconcile-orders reports ALIGNED');
          return 1;
        }
        return 0;
      }
      if (reply.status !== 202) {
        io.err(`reconcile-orders: ${r.error ?? `HTTP ${reply.status}`} ${r.message ?? ''}`.trim());
        return 1;
      }
      if (Date.now() > deadline) {
        const b = r.broker;
        io.err(`reconcile-orders: no result within ${timeoutS} s (correlation ${a.correlation_id}); broker ${b?.connected === true ? 'connected' : 'NOT connected'}${b?.broker_maintenance === true ? `, in maintenance window ${b.maintenance_window ?? ''}` : ''}. The request stays queued: the next reconciliation answers it.`);
        return 1;
      }
      await sleep(250);
    }
  },
};

const VERIFY_USAGE = 'tradeops verify-positions [--expected-count N] [--api URL] [--json]';

/** Runbook "Restore Procedure": verify_positions.py --expected-count 50. */
export const verifyPositions: CliCommand = {
  name: 'verify-positions',
  replaces: 'scripts/verify_positions.py',
  summary: "Compare /api/positions with the broker's last position report (and --expected-count); exit 1 on any mismatch",
  usage: VERIFY_USAGE,
  options: { ...API_OPTION, 'expected-count': { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const expectedText = stringFlag(values, 'expected-count');
    const expected = expectedText === undefined ? undefined : Number(expectedText);
    if (expected !== undefined && !(Number.isInteger(expected) && expected >= 0)) {
      io.err(`--expected-count must be a whole number >= 0, got ${expectedText}\nusage: ${VERIFY_USAGE}`);
      return 2;
    }
    const api = apiFrom(values, io);
    const [pos, rec] = await Promise.all([api.get('/api/positions'), api.get('/api/broker/reconciliation')]);
    const p = pos.body as { positions?: Array<{ account: string; symbol: string; quantity: number }>; error?: string; message?: string };
    if (pos.status !== 200) {
      io.err(`verify-positions: /api/positions ${p.error ?? `HTTP ${pos.status}`} ${p.message ?? ''}`.trim());
      return 1;
    }
    const r = rec.body as Reconciliation;
    const ours = p.positions ?? [];
    const problems: string[] = [];
    if (rec.status !== 200) problems.push(`no broker position report to compare with: ${r.error ?? `HTTP ${rec.status}`} ${r.message ?? ''}`.trim());
    else {
      const key = (x: { account: string; symbol: string }): string => `${x.account} ${x.symbol}`;
      const brokerBook = new Map((r.brokerPositions ?? []).map((b) => [key(b), b.quantity]));
      const ourBook = new Map(ours.map((o) => [key(o), o.quantity]));
      for (const k of [...new Set([...brokerBook.keys(), ...ourBook.keys()])].sort()) {
        const a = ourBook.get(k) ?? 0;
        const b = brokerBook.get(k) ?? 0;
        if (a !== b) problems.push(`${k}: positions say ${a}, the broker's last report (${r.reconciledAt ?? '?'}) says ${b}`);
      }
      if (r.aligned !== true) problems.push(`the last reconciliation is NOT aligned (${(r.differences ?? []).length} difference(s)); run reconcile-orders`);
    }
    if (expected !== undefined && ours.length !== expected) problems.push(`expected ${expected} positions, found ${ours.length}`);
    if (values['json'] === true) io.out(JSON.stringify({ count: ours.length, expected, ok: problems.length === 0, problems }, null, 2));
    else {
      io.out(`Positions: ${ours.length}${expected === undefined ? '' : ` (expected ${expected})`}; broker report of ${r.reconciledAt ?? 'n/a'}`);
      for (const line of problems) io.err(`MISMATCH ${line}`);
      if (problems.length === 0) io.out('OK: positions match the broker');
    }
    return problems.length === 0 ? 0 : 1;
  },
};
