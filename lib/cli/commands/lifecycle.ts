import type { CliCommand } from '../command.js';
import { API_OPTION, apiFailure, apiFrom } from '../command.js';
import { checkIbConnection } from './check-ib-connection.js';
import { validateConfig } from './validate-config.js';
import { operatorOf } from './risk-format.js';

/*
 * The runbook's startup.sh, shutdown.sh, review_pending_alerts.py and archive_session.py as
 * commands over the API, so they work the same against `npm start` and AWS. The waiting is done
 * by the system's workflows; these commands only watch `/api/system/state` and report.
 */

interface StepBody {
  step: string;
  status: string;
  summary: string;
  code: string | null;
}
interface StateBody {
  phase: string | null;
  since: string | null;
  by: string | null;
  reason: string | null;
  pending_orders?: number;
  trading_state?: string;
  drain: { drain_id: string; deadline: string; timed_out: boolean; working_orders: string[] } | null;
  startup: { run_id: string; status: string; failed_step: string | null; error: { code: string; message: string } | null; steps: StepBody[] } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A positive number of seconds from a flag, or the default; undefined when the flag is not one. */
function seconds(values: Record<string, unknown>, name: string, fallback: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const mark = (s: string) => (s === 'ok' ? '✓' : s === 'warn' ? '!' : '✗');

/** Runbook "Standard Startup" + "Startup After Incident": exit 0 once READY and /ready says so, 1 with the failing step. */
export const startup: CliCommand = {
  name: 'startup',
  replaces: 'startup.sh',
  summary: 'Check the IB connection, validate config, run the startup workflow (stale locks, orders, positions, alerts → READY), wait for /ready, show the agents; exit 1 with the failing step',
  usage: 'tradeops startup [--reason TEXT] [--env NAME] [--timeout SECONDS] [--interval SECONDS] [--api URL]',
  options: { ...API_OPTION, reason: { type: 'string' }, env: { type: 'string' }, timeout: { type: 'string' }, interval: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _positionals, io) {
    const timeout = seconds(values, 'timeout', 120);
    const interval = seconds(values, 'interval', 1);
    if (timeout === undefined || interval === undefined) {
      io.err(`--timeout and --interval take a positive number of seconds\nusage: ${this.usage}`);
      return 2;
    }
    const api = apiFrom(values, io);
    io.out('=== TradeOps Startup ===');
    io.out('1. Verifying IB connection...');
    if ((await checkIbConnection.run({ api: values['api'] }, [], io)) !== 0) {
      io.err('ERROR: IB connection failed');
      return 1;
    }
    io.out('2. Validating configuration...');
    if ((await validateConfig.run(typeof values['env'] === 'string' ? { env: values['env'] } : {}, [], io)) !== 0) {
      io.err('ERROR: Configuration validation failed');
      return 1;
    }
    io.out('3. Running the startup workflow...');
    const started = await api.post('/api/system/startup', { ...operatorOf(values), ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}) });
    if (started.status !== 202) {
      io.err(`ERROR: ${apiFailure('startup refused', started.status, started.body)}`);
      return 1;
    }
    const runId = (started.body as { run_id: string }).run_id;
    io.out(`   run ${runId}`);
    const deadline = Date.now() + timeout * 1000;
    const shown = new Set<string>();
    let state: StateBody | undefined;
    for (;;) {
      state = (await api.get('/api/system/state')).body as StateBody;
      const run = state.startup?.run_id === runId ? state.startup : undefined;
      for (const s of run?.steps ?? []) {
        if (shown.has(s.step)) continue;
        shown.add(s.step);
        io.out(`   ${mark(s.status)} ${s.step}: ${s.summary}`);
      }
      if (run === undefined) {
        io.err(`ERROR: startup ${runId} was replaced (phase ${state.phase ?? 'none'} by ${state.by ?? '?'}: ${state.reason ?? ''})`);
        return 1;
      }
      if (run.status === 'FAILED') {
        io.err(`ERROR: startup failed at ${run.failed_step ?? 'a step'}: ${run.error?.code ?? ''} ${run.error?.message ?? ''}`.trim());
        return 1;
      }
      if (run.status === 'SUCCEEDED') break;
      if (Date.now() > deadline) {
        io.err(`ERROR: startup ${runId} still running after ${timeout} s (phase ${state.phase ?? 'none'})`);
        return 1;
      }
      await sleep(interval * 1000);
    }
    io.out(`   phase ${state.phase ?? '?'} since ${state.since ?? '?'}`);
    io.out('4. Waiting for system to be ready...');
    for (;;) {
      const r = await api.get('/ready');
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      if (r.status === 200 && text.includes('ready') && !text.includes('starting')) {
        io.out('   System is ready');
        break;
      }
      if (Date.now() > deadline) {
        io.err(`ERROR: /ready did not answer ready within ${timeout} s: ${text}`);
        return 1;
      }
      await sleep(interval * 1000);
    }
    io.out('5. Verifying agent status...');
    const agents = await api.get('/api/agents/status');
    io.out(JSON.stringify(agents.body, null, 2));
    io.out('=== Startup Complete ===');
    return 0;
  },
};

/** Runbook "Graceful Shutdown": exit 0 once STOPPED (and archived), 1 when the drain timed out with orders working. */
export const shutdown: CliCommand = {
  name: 'shutdown',
  replaces: 'shutdown.sh',
  summary: 'Graceful shutdown: no new orders, wait for the pending orders (progress), show the final state, archive the session; exit 1 on timeout with the working orders listed',
  usage: 'tradeops shutdown [--reason TEXT] [--timeout SECONDS] [--interval SECONDS] [--no-archive] [--api URL]',
  options: { ...API_OPTION, reason: { type: 'string' }, timeout: { type: 'string' }, interval: { type: 'string' }, 'no-archive': { type: 'boolean' }, operator: { type: 'string' } },
  async run(values, _positionals, io) {
    const timeout = seconds(values, 'timeout', 300);
    const interval = seconds(values, 'interval', 5);
    if (timeout === undefined || interval === undefined || !Number.isInteger(timeout)) {
      io.err(`--timeout takes a whole number of seconds and --interval a positive number\nusage: ${this.usage}`);
      return 2;
    }
    const api = apiFrom(values, io);
    io.out('=== TradeOps Shutdown ===');
    io.out('1. Initiating graceful shutdown...');
    const r = await api.post('/api/system/shutdown', { timeout_s: timeout, ...operatorOf(values), ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}) });
    if (r.status !== 202) {
      io.err(`ERROR: ${apiFailure('shutdown refused', r.status, r.body)}`);
      return 1;
    }
    const drainId = (r.body as StateBody).drain?.drain_id;
    io.out(`   phase DRAINING (drain ${drainId ?? '?'}): no new orders; cancels still pass`);
    io.out('2. Waiting for pending orders to complete...');
    let state: StateBody;
    let last = -1;
    for (;;) {
      state = (await api.get('/api/system/state')).body as StateBody;
      const pending = state.pending_orders ?? 0;
      if (pending !== last) io.out(`   Pending orders: ${pending}`);
      last = pending;
      if (state.drain?.drain_id !== drainId) {
        io.err(`ERROR: the drain was replaced (phase ${state.phase ?? 'none'} by ${state.by ?? '?'}: ${state.reason ?? ''})`);
        return 1;
      }
      if (state.phase === 'STOPPED') {
        io.out('   All orders completed');
        break;
      }
      if (state.drain?.timed_out) break;
      await sleep(interval * 1000);
    }
    io.out('3. Verifying clean shutdown...');
    io.out(`   phase ${state.phase ?? '?'} since ${state.since ?? '?'} by ${state.by ?? '?'}: ${state.reason ?? ''}; trading state ${state.trading_state ?? '?'}`);
    if (state.phase !== 'STOPPED') {
      io.err(`ERROR: timed out after ${timeout} s with ${state.drain?.working_orders.length ?? '?'} order(s) working: ${(state.drain?.working_orders ?? []).join(', ')}`);
      io.err('   the system stays DRAINING (no new orders): cancel them (cancel-all-orders --force) and run shutdown again, or wait and run shutdown again, or run startup to resume');
      return 1;
    }
    if (values['no-archive'] !== true) {
      io.out('4. Archiving session data...');
      const code = await archiveSession.run({ api: values['api'], ...operatorOf(values) }, [], io);
      if (code !== 0) return code;
    }
    io.out('=== Shutdown Complete ===');
    return 0;
  },
};

interface AlertRow {
  source: string;
  id: string;
  severity: string;
  status: string;
  summary: string;
  raisedAt: string;
}

/** Runbook Step D: every pending compliance alert and active risk alert; exit 1 if a critical one is open. */
export const reviewPendingAlerts: CliCommand = {
  name: 'review-pending-alerts',
  replaces: 'scripts/review_pending_alerts.py',
  summary: 'Compliance alerts new/under review/escalated and active risk alerts; exit 1 if any critical one is open',
  usage: 'tradeops review-pending-alerts [--json] [--api URL]',
  options: { ...API_OPTION, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const r = await apiFrom(values, io).get('/api/system/pending_alerts');
    if (r.status !== 200) {
      io.err(apiFailure('review-pending-alerts', r.status, r.body));
      return 1;
    }
    const b = r.body as { compliance: AlertRow[]; risk: AlertRow[]; critical: AlertRow[] };
    if (values['json'] === true) io.out(JSON.stringify(b, null, 2));
    else {
      const rows = [...b.compliance, ...b.risk];
      if (rows.length === 0) io.out('No pending alerts');
      for (const a of rows) io.out(`${a.severity.padEnd(8)} ${a.source.padEnd(10)} ${a.status.padEnd(12)} ${a.id}  ${a.summary} (raised ${a.raisedAt})`);
      io.out(`${b.compliance.length} compliance alert(s) pending, ${b.risk.length} risk alert(s) active, ${b.critical.length} critical`);
    }
    if (b.critical.length > 0) {
      io.err(`CRITICAL: ${b.critical.map((a) => `${a.source} ${a.id}`).join(', ')} — address before trading`);
      return 1;
    }
    return 0;
  },
};

/** Runbook shutdown.sh step 5: the day's session into the backup bucket with a sha256 manifest; prints the keys. */
export const archiveSession: CliCommand = {
  name: 'archive-session',
  replaces: 'scripts/archive_session.py',
  summary: "Archive a trading day's orders, fills, trades, positions and audit head to the backup bucket (sha256 manifest); prints the keys",
  usage: 'tradeops archive-session [--date YYYY-MM-DD] [--api URL]',
  options: { ...API_OPTION, date: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _positionals, io) {
    const date = values['date'];
    if (date !== undefined && (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
      io.err(`--date takes YYYY-MM-DD\nusage: ${this.usage}`);
      return 2;
    }
    const r = await apiFrom(values, io).post('/api/system/archive_session', { ...(typeof date === 'string' ? { date } : {}), ...operatorOf(values) });
    if (r.status !== 201) {
      io.err(apiFailure('archive-session', r.status, r.body));
      return 1;
    }
    const b = r.body as { date: string; manifest_key: string; files: Array<{ key: string; sha256: string; bytes: number; records: number }>; audit_head: { seq: number; hash: string } | null };
    io.out(`Session ${b.date} archived:`);
    for (const f of b.files) io.out(`   ${f.key}  ${f.records} record(s)  ${f.bytes} B  sha256 ${f.sha256}`);
    io.out(`   ${b.manifest_key}  (manifest)`);
    io.out(`   audit head: ${b.audit_head ? `seq ${b.audit_head.seq} ${b.audit_head.hash}` : 'empty chain'}`);
    return 0;
  },
};
