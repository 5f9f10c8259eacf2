import type { ApiErrorBody, CliCommand, CliIo } from '../command.js';
import { API_OPTION, apiFailure, apiFrom } from '../command.js';
import { operatorOf } from './risk-format.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

const text = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' && values[name].trim() !== '' ? values[name] : undefined);

interface KillSwitchReply {
  kill_switch?: boolean;
  strategy_halted?: boolean;
  already_active?: boolean;
  activated_by?: string;
  activated_at?: string;
  reason?: string;
  incident_id?: string | null;
  severity?: string | null;
  cancel?: { requested: boolean; command: string; orders?: number; error?: string };
}

const KS_USAGE = 'tradeops kill-switch --reason TEXT [--strategy ID] [--operator NAME] [--api URL] [--json]';

/** Runbook "Kill Switch Activation" (and SEV1 step 1): halt all trading, or one strategy. */
export const killSwitchCommand: CliCommand = {
  name: 'kill-switch',
  replaces: 'curl -X POST /api/system/kill_switch',
  summary: 'Activate the kill switch: HALTED, working orders cancelled at the broker, SEV1 opened, people told (--strategy ID: that strategy only)',
  usage: KS_USAGE,
  options: { ...API_OPTION, reason: { type: 'string' }, strategy: { type: 'string' }, operator: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const reason = text(values, 'reason');
    if (reason === undefined) {
      io.err(`--reason is required (it goes to the audit log and the incident)\nusage: ${KS_USAGE}`);
      return 2;
    }
    return (await activate(values, io, reason)) ? 0 : 1;
  },
};

async function activate(values: Values, io: CliIo, reason: string): Promise<boolean> {
  const strategy = text(values, 'strategy');
  const reply = await apiFrom(values, io).post('/api/system/kill_switch', { reason, ...operatorOf(values), ...(strategy === undefined ? {} : { scope: { strategyId: strategy } }) });
  if (reply.status !== 200) {
    io.err(apiFailure('kill switch NOT activated', reply.status, reply.body));
    return false;
  }
  const r = reply.body as KillSwitchReply;
  if (values['json'] === true) {
    io.out(JSON.stringify(r, null, 2));
    return true;
  }
  const what = strategy === undefined ? 'KILL SWITCH ACTIVE: all trading HALTED' : `STRATEGY ${strategy} HALTED (the rest of the firm trades on)`;
  io.out(`${what}${r.already_active === true ? ' (was already active)' : ''}`);
  io.out(`  by ${r.activated_by ?? '?'} at ${r.activated_at ?? '?'}: ${r.reason ?? reason}`);
  io.out(`  incident ${r.incident_id ?? '-'} (${r.severity ?? '-'})`);
  const c = r.cancel;
  io.out(`  cancel: ${c === undefined ? 'unknown' : c.requested ? `${c.command} sent to the bridge${c.orders === undefined ? '' : ` for ${c.orders} order(s)`}` : `NOT sent (${c.error ?? 'unknown error'}): run cancel-all-orders --force`}`);
  return c?.requested !== false;
}

interface CancelReply {
  verified?: boolean;
  verification?: { complete: boolean; remaining: number; attempts: number; durationMs: number; brokerOrderIds: string[] } | null;
  message?: string;
}

const CANCEL_USAGE = 'tradeops cancel-all-orders --force [--reason TEXT] [--operator NAME] [--api URL]';

/** Runbook `cancel_all_orders.py --force`: global cancel at the broker, verified against its open orders. */
export const cancelAllOrdersCommand: CliCommand = {
  name: 'cancel-all-orders',
  replaces: 'scripts/cancel_all_orders.py',
  summary: 'Cancel every working order at the broker and verify none remains (needs --force); exit 1 unless verified',
  usage: CANCEL_USAGE,
  options: { ...API_OPTION, force: { type: 'boolean' }, reason: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _p, io) {
    if (values['force'] !== true) {
      io.err(`refusing to cancel every working order without --force\nusage: ${CANCEL_USAGE}`);
      return 2;
    }
    return (await cancelAll(values, io)) ? 0 : 1;
  },
};

async function cancelAll(values: Values, io: CliIo): Promise<boolean> {
  const reason = text(values, 'reason');
  const reply = await apiFrom(values, io).post('/api/orders/cancel_all', { force: true, ...operatorOf(values), ...(reason === undefined ? {} : { reason }) });
  if (reply.status !== 200 && reply.status !== 202) {
    io.err(apiFailure('cancel-all NOT sent', reply.status, reply.body));
    return false;
  }
  const r = reply.body as CancelReply;
  const v = r.verification;
  if (v === null || v === undefined) {
    io.err(`cancel-all sent; not verified yet: ${r.message ?? 'no verdict from the bridge'}`);
    return false;
  }
  if (!v.complete) {
    io.err(`cancel-all NOT verified: ${v.remaining} order(s) still open at the broker after ${v.attempts} attempt(s): ${v.brokerOrderIds.join(', ')}`);
    return false;
  }
  io.out(`all orders cancelled: the broker lists none open (verified after ${v.attempts} global cancel(s), ${v.durationMs} ms)`);
  return true;
}

const NOTIFY_USAGE = 'tradeops notify-emergency --message TEXT [--operator NAME] [--api URL]';

/** Runbook `notify_emergency.py --message`. */
export const notifyEmergencyCommand: CliCommand = {
  name: 'notify-emergency',
  replaces: 'scripts/notify_emergency.py',
  summary: 'CRITICAL notice to on-call, risk, compliance and management (audited)',
  usage: NOTIFY_USAGE,
  options: { ...API_OPTION, message: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _p, io) {
    const message = text(values, 'message');
    if (message === undefined) {
      io.err(`--message is required\nusage: ${NOTIFY_USAGE}`);
      return 2;
    }
    return (await notify(values, io, message)) ? 0 : 1;
  },
};

async function notify(values: Values, io: CliIo, message: string): Promise<boolean> {
  const reply = await apiFrom(values, io).post('/api/system/notify_emergency', { message, ...operatorOf(values) });
  if (reply.status !== 200) {
    io.err(apiFailure('emergency notice NOT sent', reply.status, reply.body));
    return false;
  }
  const r = reply.body as { audience?: string[] };
  io.out(`notified: ${(r.audience ?? []).join(', ')}`);
  return true;
}

/**
 * The last step of the runbook's emergency_shutdown.sh ("force kill if needed"), as the lifecycle
 * has it: `POST /api/system/shutdown` drains (no new orders) and, with nothing left working after
 * the verified cancel, reaches STOPPED quickly. Waits up to `timeoutS` for STOPPED on
 * `/api/system/state`. Already DRAINING or STOPPED counts as done. Returns whether it succeeded.
 */
export async function emergencyStopStep(values: Values, io: CliIo, reason: string, options: { timeoutS?: number; pollMs?: number } = {}): Promise<boolean> {
  const api = apiFrom(values, io);
  const timeoutS = options.timeoutS ?? 30;
  const reply = await api.post('/api/system/shutdown', { reason, timeout_s: timeoutS, ...operatorOf(values) });
  const code = (reply.body as ApiErrorBody | undefined)?.error;
  if (reply.status === 409 && code === 'LIFECYCLE.ALREADY_STOPPED') {
    io.out('  system already STOPPED');
    return true;
  }
  if (reply.status !== 202 && !(reply.status === 409 && code === 'LIFECYCLE.ALREADY_DRAINING')) {
    io.err(apiFailure('shutdown NOT started', reply.status, reply.body));
    return false;
  }
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const state = await api.get('/api/system/state');
    const phase = (state.body as { phase?: string; pending_orders?: number }).phase;
    if (phase === 'STOPPED') {
      io.out('  system STOPPED');
      return true;
    }
    if (Date.now() >= deadline) {
      io.err(`  still ${phase ?? 'unknown'} after ${timeoutS} s: see \`tradeops shutdown\` and /api/system/state`);
      return false;
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}

const SHUTDOWN_USAGE = 'tradeops emergency-shutdown [--reason TEXT] [--operator NAME] [--api URL]';

/**
 * Runbook `emergency_shutdown.sh` as a product: kill switch, cancel all (verified), notify, stop.
 * Every step runs even if an earlier one failed (in an emergency, a failed notice must not keep
 * orders working); the exit code is 1 if any step failed.
 */
export const emergencyShutdownCommand: CliCommand = {
  name: 'emergency-shutdown',
  replaces: 'emergency_shutdown.sh',
  summary: 'Kill switch + cancel all orders (verified) + notify everyone + stop; prints each step, exit 1 if any failed',
  usage: SHUTDOWN_USAGE,
  options: { ...API_OPTION, reason: { type: 'string' }, operator: { type: 'string' } },
  async run(values, _p, io) {
    const reason = text(values, 'reason') ?? 'Emergency shutdown';
    io.out('!!! EMERGENCY SHUTDOWN !!!');
    const steps: Array<[string, () => Promise<boolean>]> = [
      ['halt all trading (kill switch)', () => activate({ ...values, strategy: undefined, json: false }, io, reason)],
      ['cancel all open orders', () => cancelAll({ ...values, reason: `${reason}: cancel all` }, io)],
      ['notify stakeholders', () => notify(values, io, `Emergency shutdown initiated: ${reason}`)],
      ['stop the system (drain to STOPPED)', () => emergencyStopStep(values, io, reason)],
    ];
    let failed = 0;
    for (const [i, [name, step]] of steps.entries()) {
      io.out(`step ${i + 1}/${steps.length}: ${name}`);
      let ok: boolean;
      try {
        ok = await step();
      } catch (e) {
        io.err(`  failed: ${e instanceof Error ? e.message : String(e)}`);
        ok = false;
      }
      if (!ok) failed += 1;
      io.out(`  ${ok ? 'done' : 'FAILED'}`);
    }
    io.out(failed === 0 ? 'emergency shutdown complete' : `emergency shutdown finished with ${failed} failed step(s): see above`);
    return failed === 0 ? 0 : 1;
  },
};
