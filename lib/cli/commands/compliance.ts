import type { AlertEvidence } from '../../core/surveillance/alert.js';
import type { CliCommand } from '../command.js';
import { API_OPTION, apiFrom, stringFlag } from '../command.js';

interface AlertBody {
  alertId?: string;
  type?: string;
  severity?: string;
  status?: string;
  summary?: string;
  raisedAt?: string;
  evidence?: Partial<AlertEvidence>;
  history?: Array<{ at?: string; actor?: string; action?: string; note?: string }>;
  error?: string;
  message?: string;
}

const alertIdOf = (values: Record<string, unknown>): string | undefined => (typeof values['alert-id'] === 'string' ? values['alert-id'] : typeof values['alert_id'] === 'string' ? values['alert_id'] : undefined);

/** Compliance Alert runbook step 2: the alert, its evidence and what was done so far. */
export const reviewMarAlert: CliCommand = {
  name: 'review-mar-alert',
  replaces: 'scripts/review_mar_alert.py',
  summary: 'Show a surveillance (MAR) alert with its evidence and history',
  usage: 'tradeops review-mar-alert --alert-id ID [--api URL] [--json]',
  options: { ...API_OPTION, 'alert-id': { type: 'string' }, alert_id: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const id = alertIdOf(values);
    if (!id) {
      io.err('--alert-id is required\nusage: tradeops review-mar-alert --alert-id ID');
      return 2;
    }
    const reply = await apiFrom(values, io).get(`/api/compliance/alerts/${encodeURIComponent(id)}`);
    const a = reply.body as AlertBody;
    if (reply.status !== 200) {
      io.err(`alert ${id}: ${a.error ?? `HTTP ${reply.status}`} ${a.message ?? ''}`.trim());
      return 1;
    }
    if (values['json'] === true) {
      io.out(JSON.stringify(a, null, 2));
      return 0;
    }
    io.out(`${a.alertId} ${a.type} severity ${a.severity}, status ${a.status}, raised ${a.raisedAt}`);
    if (a.summary) io.out(a.summary);
    const fills = a.evidence?.fills ?? [];
    const orders = a.evidence?.orders ?? [];
    io.out(`Evidence (${fills.length} fill${fills.length === 1 ? '' : 's'}, ${orders.length} order${orders.length === 1 ? '' : 's'}):`);
    for (const f of fills) io.out(`  fill  ${f.at} ${f.side} ${f.quantity} @ ${f.price}  exec ${f.execId}${f.clientOrderId ? `  order ${f.clientOrderId}` : ''}`);
    for (const o of orders) io.out(`  order ${o.at} ${o.event} ${o.side} ${o.quantity}${o.price ? ` @ ${o.price}` : ''}${o.clientOrderId ? `  ${o.clientOrderId}` : ''}`);
    const metrics = Object.entries(a.evidence?.metrics ?? {});
    if (metrics.length > 0) io.out(`  measured: ${metrics.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    io.out(`History (${a.history?.length ?? 0}):`);
    for (const h of a.history ?? []) io.out(`  ${h.at} ${h.actor}: ${h.action}${h.note ? ` — ${h.note}` : ''}`);
    return 0;
  },
};

/** Compliance Alert runbook step 4: document every action taken (audited). */
export const logComplianceAction: CliCommand = {
  name: 'log-compliance-action',
  replaces: 'scripts/log_compliance_action.py',
  summary: 'Record an action on a surveillance alert (e.g. "Reviewed", "Escalate", "Close"); audited',
  usage: 'tradeops log-compliance-action --alert-id ID --action TEXT [--note TEXT] [--actor NAME] [--api URL]',
  options: { ...API_OPTION, 'alert-id': { type: 'string' }, alert_id: { type: 'string' }, action: { type: 'string' }, note: { type: 'string' }, actor: { type: 'string' } },
  async run(values, _p, io) {
    const id = alertIdOf(values);
    const action = stringFlag(values, 'action');
    if (!id || !action) {
      io.err('--alert-id and --action are required\nusage: tradeops log-compliance-action --alert-id ID --action TEXT [--note TEXT]');
      return 2;
    }
    // The actor is the token's user; --actor only asserts it (the API refuses a mismatch).
    const body = { action, ...(typeof values['actor'] === 'string' ? { actor: values['actor'] } : {}), ...(typeof values['note'] === 'string' ? { note: values['note'] } : {}) };
    const reply = await apiFrom(values, io).post(`/api/compliance/alerts/${encodeURIComponent(id)}/actions`, body);
    const a = reply.body as AlertBody & { issues?: Array<{ path: string; message: string }> };
    if (reply.status !== 200) {
      io.err(`not recorded: ${a.error ?? `HTTP ${reply.status}`} ${a.message ?? ''}${a.issues ? ` (${a.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : ''}`.trim());
      return 1;
    }
    io.out(`recorded "${action}" on ${a.alertId}; status now ${a.status}`);
    return 0;
  },
};
