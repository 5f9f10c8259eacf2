import type { CliCommand, CliIo } from '../command.js';
import { API_OPTION, apiFailure, apiFrom, stringFlag } from '../command.js';

/**
 * The runbook's "Kill Switch Deactivation" as CLI commands over the API (the acting person is the
 * one in $TRADEOPS_TOKEN; `tradeops login --local --user U --role R` mints one locally).
 */

interface UnlockView {
  request_id: string;
  status: string;
  requestor: string;
  target_mode: string;
  expires_at: string;
  approvals: Array<{ approver: string; at: string }>;
  outstanding: string | null;
  halt: { version: number; activated_by: string; reason: string };
  preconditions: { ok: boolean; checkedAt: string; checks: Array<{ name: string; ok: boolean; message: string }> } | null;
  blocked: boolean;
  outcome: { code: string; message: string } | null;
}

function failed(io: CliIo, what: string, status: number, body: unknown): number {
  io.err(apiFailure(what, status, body));
  return 1;
}

function describe(r: UnlockView): string[] {
  const lines = [
    `${r.request_id}  ${r.status}${r.blocked ? ' (BLOCKED)' : ''}  → ${r.target_mode}`,
    `  requested by ${r.requestor}; lifts the halt v${r.halt.version} by ${r.halt.activated_by} (${r.halt.reason}); expires ${r.expires_at}`,
    `  approvals: ${r.approvals.length === 0 ? 'none' : r.approvals.map((a) => `${a.approver} at ${a.at}`).join(', ')}${r.outstanding ? `; ${r.outstanding}` : ''}`,
  ];
  if (r.preconditions) for (const c of r.preconditions.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  if (r.outcome) lines.push(`  ${r.outcome.code}: ${r.outcome.message}`);
  return lines;
}

const REQUEST_USAGE = 'tradeops unlock-request [--reason TEXT] [--mode ACTIVE|REDUCING] [--api URL] [--json]';
export const unlockRequest: CliCommand = {
  name: 'unlock-request',
  summary: 'Ask to lift the kill switch (person 1 of 2); prints the REQ- id the approver needs',
  usage: REQUEST_USAGE,
  options: { ...API_OPTION, reason: { type: 'string' }, mode: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const mode = stringFlag(values, 'mode')?.toUpperCase();
    if (mode !== undefined && mode !== 'ACTIVE' && mode !== 'REDUCING') {
      io.err(`--mode must be ACTIVE or REDUCING, got ${mode}\nusage: ${REQUEST_USAGE}`);
      return 2;
    }
    const reply = await apiFrom(values, io).post('/api/system/unlock_request', { ...(stringFlag(values, 'reason') === undefined ? {} : { reason: stringFlag(values, 'reason') }), ...(mode === undefined ? {} : { target_mode: mode }) });
    if (reply.status !== 202) return failed(io, 'unlock-request', reply.status, reply.body);
    const b = reply.body as { request_id: string; expires_at: string; outstanding: string | null; request: UnlockView };
    if (values['json'] === true) io.out(JSON.stringify(b, null, 2));
    else {
      io.out(`${b.request_id} requested; ${b.outstanding ?? ''} before ${b.expires_at}`);
      io.out(`approver: tradeops unlock-approve --request-id ${b.request_id}`);
    }
    return 0;
  },
};

const APPROVE_USAGE = 'tradeops unlock-approve --request-id REQ-… [--api URL] [--json]';
export const unlockApprove: CliCommand = {
  name: 'unlock-approve',
  summary: 'Approve an unlock request (not your own); trading resumes once approvals and preconditions hold',
  usage: APPROVE_USAGE,
  options: { ...API_OPTION, 'request-id': { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const id = stringFlag(values, 'request-id');
    if (id === undefined) {
      io.err(`--request-id is required\nusage: ${APPROVE_USAGE}`);
      return 2;
    }
    const reply = await apiFrom(values, io).post('/api/system/unlock_approve', { request_id: id });
    if (reply.status !== 200) return failed(io, `unlock-approve ${id}`, reply.status, reply.body);
    const b = reply.body as { status: string; executed: boolean; blocked_by: string | null; outstanding: string | null; request: UnlockView };
    if (values['json'] === true) io.out(JSON.stringify(b, null, 2));
    else {
      io.out(`${id}: ${b.status}${b.executed ? ' — trading resumed' : ''}${b.outstanding ? ` — ${b.outstanding}` : ''}`);
      if (b.blocked_by) io.out(`blocked: ${b.blocked_by}`);
      else if (b.status === 'APPROVED') io.out(`the unlock workflow resumes trading once the preconditions hold: tradeops unlock-status --request-id ${id}`);
    }
    return b.blocked_by ? 1 : 0;
  },
};

const STATUS_USAGE = 'tradeops unlock-status [--request-id REQ-…] [--retry] [--api URL] [--json]';
export const unlockStatus: CliCommand = {
  name: 'unlock-status',
  summary: 'Show unlock requests (or one, with its preconditions); --retry re-checks an approved, blocked one now',
  usage: STATUS_USAGE,
  options: { ...API_OPTION, 'request-id': { type: 'string' }, retry: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const id = stringFlag(values, 'request-id');
    const api = apiFrom(values, io);
    if (values['retry'] === true) {
      if (id === undefined) {
        io.err(`--retry needs --request-id\nusage: ${STATUS_USAGE}`);
        return 2;
      }
      const reply = await api.post(`/api/system/unlock_requests/${encodeURIComponent(id)}/retry`, {});
      if (reply.status !== 200) return failed(io, `unlock-status --retry ${id}`, reply.status, reply.body);
      const b = reply.body as { executed: boolean; blocked_by: string | null; request: UnlockView };
      if (values['json'] === true) io.out(JSON.stringify(b, null, 2));
      else for (const l of describe(b.request)) io.out(l);
      return b.request.status === 'EXECUTED' ? 0 : 1;
    }
    const reply = await api.get(id === undefined ? '/api/system/unlock_requests' : `/api/system/unlock_requests/${encodeURIComponent(id)}`);
    if (reply.status !== 200) return failed(io, 'unlock-status', reply.status, reply.body);
    const list = id === undefined ? (reply.body as { requests: UnlockView[] }).requests : [reply.body as UnlockView];
    if (values['json'] === true) io.out(JSON.stringify(id === undefined ? reply.body : list[0], null, 2));
    else if (list.length === 0) io.out('no unlock requests');
    else for (const r of list) for (const l of describe(r)) io.out(l);
    return 0;
  },
};

const CANCEL_USAGE = 'tradeops unlock-cancel --request-id REQ-… --reason TEXT [--api URL]';
export const unlockCancel: CliCommand = {
  name: 'unlock-cancel',
  summary: 'Withdraw an open unlock request (its requestor, or anyone who may approve it); trading stays HALTED',
  usage: CANCEL_USAGE,
  options: { ...API_OPTION, 'request-id': { type: 'string' }, reason: { type: 'string' } },
  async run(values, _p, io) {
    const id = stringFlag(values, 'request-id');
    const reason = stringFlag(values, 'reason');
    if (id === undefined || reason === undefined || reason.trim() === '') {
      io.err(`--request-id and --reason are required\nusage: ${CANCEL_USAGE}`);
      return 2;
    }
    const reply = await apiFrom(values, io).post(`/api/system/unlock_requests/${encodeURIComponent(id)}/cancel`, { reason });
    if (reply.status !== 200) return failed(io, `unlock-cancel ${id}`, reply.status, reply.body);
    io.out(`${id} CANCELLED: trading stays HALTED`);
    return 0;
  },
};
