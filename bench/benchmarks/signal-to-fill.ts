import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { proposalClientOrderId } from '../../lib/core/cio/proposal-id.js';
import { parseEvent } from '../../lib/core/events/catalog.js';
import { isTerminal } from '../../lib/core/orders/lifecycle.js';
import type { LocalSystem } from '../../lib/local/runtime.js';
import type { StateBackendKind } from '../../lib/local/state-backend.js';
import { pollUntil, startBenchSystem, waitReady } from '../lib/local-system.js';
import { epochMs, type SendPlan, type SenderMessage } from '../lib/signal-sender.js';
import { OutcomeBuilder, type BenchContext, type Benchmark } from '../lib/types.js';

const REPO = new URL('../../', import.meta.url).pathname;
const SENDER = fileURLToPath(new URL('../lib/signal-sender-main.ts', import.meta.url));

/**
 * The issue's own measure (issue 3): a strategy's signal → the fill report of the order it caused,
 * end to end through everything in between — POST /api/signals (token, zod, signal store),
 * SignalReceived on the bus, the CIO agent (netting, sizing, the order store), the pre-trade
 * workflow (the ASL in the local interpreter, risk ∥ compliance), SubmitOrder, the bridge's final
 * gate, placeOrder over TCP to ib-sim, the execution back, the fill applied, FillReport on the bus.
 */
const LIGHT = { label: 'light', ratePerS: 5, signals: { full: 40, quick: 15 } } as const;
const TARGET = { label: 'target', ratePerS: 40, signals: { full: 1_000, quick: 120 } } as const;
type Phase = typeof LIGHT | typeof TARGET;
/**
 * What each backend runs. A freshly started process runs its code unoptimised: the first second
 * at 40/s queues behind the JIT (measured: that second's signals up to ~400 ms, none after it
 * above ~45 ms). So the warm-up runs at the plan's top rate; it is reported on its own as the cold
 * start and is not part of the steady-state figures. dynalite costs ~333 ms of CPU per signal
 * here (a DynamoDB API emulator in this process), which caps it near 3 signals/s: it runs the
 * light phase; 40/s is measured with the memory backend.
 */
const PLANS: Record<StateBackendKind, { warmup: { ratePerS: number; signals: { full: number; quick: number } }; phases: readonly Phase[] }> = {
  memory: { warmup: { ratePerS: 40, signals: { full: 200, quick: 40 } }, phases: [LIGHT, TARGET] },
  dynalite: { warmup: { ratePerS: 5, signals: { full: 10, quick: 5 } }, phases: [LIGHT] },
};
const TARGET_P99_MS = 50;
/** Symbols the signals rotate over: at 40/s each symbol gets one signal a second, so the order its last signal caused is done before the next (the CIO keeps one order per symbol at a time). */
const SYMBOLS = 40;
const MAX_SEND_LAG_MS = 5_000;

interface Track {
  signalId: string;
  clientOrderId: string;
  phase: string;
  /** Epoch ms (sub-ms precision) when the sender process sent it; unset until sent. */
  sentAt?: number;
  accepted?: boolean;
  completedAt?: number;
  filledQty: number;
  refused?: string;
}


/** One benchmark per state backend of the local runtime, so both appear side by side in the report. */
export function signalToFill(state: StateBackendKind): Benchmark {
  return {
    name: state === 'dynalite' ? 'signal-to-fill' : `signal-to-fill-${state}`,
    description: `signals at ${PLANS[state].phases.map((p) => `${p.ratePerS}/s`).join(' then ')} over ${SYMBOLS} symbols → FillReport of the order each caused, whole local system (state: ${state})`,
    budgetMs: 150_000,
    run: (ctx) => run(ctx, state),
  };
}

async function run(ctx: BenchContext, state: StateBackendKind): Promise<ReturnType<OutcomeBuilder['build']>> {
  const out = new OutcomeBuilder();
  const configDir = benchConfig(ctx);
  const cioLog = cioDecisionLog();
  const system = await startBenchSystem(ctx, `signals-${state}`, { configDir, state, logStream: cioLog.stream });
  try {
    await waitReady(system.apiUrl, { timeoutMs: 60_000, intervalMs: 20, signal: ctx.signal });
    const token = await system.tokens.mint('bench', ['operator']);
    const symbols = system.config.universe.map((u) => u.symbol);
    // The CIO sizes against the account and a fresh quote: wait for both, for every symbol.
    await pollUntil('account summary and a quote for every symbol', async () => {
      const [accounts, quotes] = await Promise.all([system.api.stores.accounts.list(), system.api.stores.quotes.list()]);
      return accounts.length > 0 && symbols.every((s) => quotes.some((q) => q.symbol === s)) ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    const byOrder = new Map<string, Track>();
    subscribe(system, byOrder);
    const tracks: Track[] = [];
    const runId = Date.now().toString(36).toUpperCase();
    const send = (label: string, ratePerS: number, count: number) => sendAtSteadyRate(ctx, system, token, symbols, tracks, byOrder, { label, ratePerS, count, runId });

    const { warmup, phases } = PLANS[state];
    await send('warm-up', warmup.ratePerS, ctx.iterations(warmup.signals.full, warmup.signals.quick));
    await settle(ctx, system, tracks);
    const cold = tracks.flatMap((t) => (t.completedAt === undefined || t.sentAt === undefined ? [] : [t.completedAt - t.sentAt]));
    if (cold.length > 0) {
      out.dist(`cold start: the first signals after start, at ${warmup.ratePerS}/s (not part of the steady-state goal)`, cold, 'ms');
      if (cold.length > warmup.ratePerS) out.figure({ name: 'cold start: slowest of the first second / slowest after it', value: `${Math.round(Math.max(...cold.slice(0, warmup.ratePerS)))} / ${Math.round(Math.max(...cold.slice(warmup.ratePerS)))}`, unit: 'ms' });
    }
    const p50s: number[] = [];
    for (const phase of phases) {
      const count = ctx.iterations(phase.signals.full, phase.signals.quick);
      const cpu0 = process.cpuUsage();
      const lags = await send(phase.label, phase.ratePerS, count);
      await settle(ctx, system, tracks);
      const cpu = process.cpuUsage(cpu0);
      const mine = tracks.filter((t) => t.phase === phase.label);
      const at = `${phase.ratePerS}/s`;
      const toFill = mine.flatMap((t) => (t.completedAt === undefined || t.sentAt === undefined ? [] : [t.completedAt - t.sentAt]));
      if (toFill.length > 0) {
        const d = out.dist(`${at}: signal POST → FillReport of its order (bus)`, toFill, 'ms', { headline: true });
        p50s.push(d.p50);
        if (phase === TARGET) out.figure({ name: `${at}: p99 signal → FillReport`, value: Math.round(d.p99 * 10) / 10, unit: 'ms', goal: `≤ ${TARGET_P99_MS} ms (issue 3)`, met: d.p99 <= TARGET_P99_MS });
        out.trend(at, toFill);
      }
      const sent = mine.length;
      const filled = mine.filter((t) => t.completedAt !== undefined).length;
      const { counts: outcomes, lost } = await outcomesOf(system, mine.filter((t) => t.completedAt === undefined), cioLog.skips);
      out.figure({ name: `${at}: signals sent / orders filled`, value: `${sent} / ${filled}` });
      out.figure({ name: `${at}: signals lost (no fill, no refusal, no CIO decision) or orders unfinished after the settle`, value: lost, goal: '0', met: lost === 0 });
      if (outcomes.size > 0) out.figure({ name: `${at}: signals without a fill, by outcome`, value: [...outcomes].map(([k, v]) => `${k} ${v}`).join('; ') });
      out.dist(`${at}: send schedule lag`, lags, 'ms');
      out.figure({ name: `${at}: process CPU per signal (user+sys, the local system's process)`, value: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, lags.length)) * 10) / 10, unit: 'ms' });
      ctx.log(`${phase.label} phase (${count} signals at ${at}) done: ${filled}/${sent} filled`);
    }
    if (p50s.length === 2 && phases.length === 2) out.ratio('signal → fill at the target rate / light (p50)', p50s[1]!, p50s[0]!, `p50 at ${phases[1]!.ratePerS}/s ÷ p50 at ${phases[0]!.ratePerS}/s`);
    const sim = system.ibSim;
    if (sim !== undefined) {
      const placed = new Map<string, number>();
      for (const l of await sim.admin.orderLog()) if (l.kind === 'place') placed.set(String(l.orderId), (placed.get(String(l.orderId)) ?? 0) + 1);
      const twice = [...placed.values()].filter((n) => n > 1).length;
      out.figure({ name: 'orders placed twice at ib-sim', value: twice, goal: '0', met: twice === 0 });
    }
    out.note(`State backend: ${state}${state === 'memory' ? ' (the in-process stores, same port contracts; nothing persisted)' : ' (dynalite, the DynamoDB API emulator in this process, persisted in the data dir: the default of npm start)'}.`);
    out.note(`Signals alternate per symbol between a 0.2 % long target and FLAT (a buy, then a sell of what was bought), over ${SYMBOLS} symbols round-robin, strategy "bench" with a risk budget; the CIO's default order type (marketable LMT) and every pre-trade rule apply. First a warm-up at ${warmup.ratePerS}/s right after start (reported above as the cold start), then the phases, each settled before the next.`);
    out.note('Timed from just before the POST is sent to when this benchmark\'s bus rule receives the FillReport that completes the order the CIO proposed for the signal (its clientOrderId is a function of the signal). A signal without a fill is classified by its order\'s status and reason, or with no order by the CIO\'s logged decision (e.g. CIO.NO_CHANGE: nothing to trade, as for the FLAT after a denied buy); one with neither is lost.');
    out.note('Processes: the local system (API, agents, workflow interpreter, bridge, state backend) in one; ib-sim in its own, as the broker is in production; the signal sender in a third (strategies are separate programs). Times are epoch ms with sub-ms precision, comparable across the processes. "process CPU per signal" is the local system process only. On a shared 2-core machine.');
  } finally {
    await system.stop();
  }
  return out.build();
}

/** The shipped local config with a wider universe (generated tickers) and a risk budget for the bench strategy. */
function benchConfig(ctx: BenchContext): string {
  const dir = join(ctx.tmpDir, 'config');
  mkdirSync(dir, { recursive: true });
  const yaml = readFileSync(join(REPO, 'config/local.yaml'), 'utf8');
  const universe = Array.from({ length: SYMBOLS }, (_, i) => `  - { symbol: BN${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}, primaryExchange: NYSE, simInitialPrice: "${(50 + 5 * i).toFixed(2)}" }`);
  const replaced = yaml.replace(/^universe:\n(?: {2}- .*\n)+/m, `universe:\n${universe.join('\n')}\n`).replace(/riskBudgets: \{([^}]*)\}/, 'riskBudgets: {$1, bench: 1 }');
  if (replaced === yaml || !replaced.includes('bench: 1')) throw new Error('bench config: the universe or cio.riskBudgets of config/local.yaml changed shape; update signal-to-fill');
  writeFileSync(join(dir, 'local.yaml'), replaced);
  return dir;
}

function subscribe(system: LocalSystem, byOrder: Map<string, Track>): void {
  system.bus.addRule({
    name: 'bench-signal-to-fill',
    pattern: { source: ['tradeops.gateway'], 'detail-type': ['FillReport', 'OrderDenied', 'OrderRejected'] },
    concurrency: 16,
    target: async (envelope) => {
      const at = epochMs();
      const e = parseEvent(envelope);
      if (e.detailType === 'FillReport') {
        const t = e.detail.fill.clientOrderId === undefined ? undefined : byOrder.get(e.detail.fill.clientOrderId);
        if (t === undefined) return;
        t.filledQty += e.detail.fill.quantity;
        // The order's quantity is the CIO's; completion is its FILLED status, read from the store once the fills add up.
        const order = await system.api.stores.orders.get(e.detail.fill.clientOrderId!);
        if (order !== undefined && t.filledQty >= order.quantity && t.completedAt === undefined) t.completedAt = at;
        return;
      }
      if (e.detailType === 'OrderDenied' || e.detailType === 'OrderRejected') {
        const id = e.detail.clientOrderId;
        const t = id === undefined ? undefined : byOrder.get(id);
        if (t) t.refused = `${e.detailType}: ${'reasonCode' in e.detail ? e.detail.reasonCode : e.detail.code} ${e.detail.message}`;
      }
    },
  });
  // Denials before the bridge (pre-trade) are not gateway events: the order store says DENIED.
}

/** Sends one phase's signals from a separate process (bench/lib/signal-sender.ts) at a steady rate; returns the send schedule lags. */
async function sendAtSteadyRate(
  ctx: BenchContext,
  system: LocalSystem,
  token: string,
  symbols: readonly string[],
  tracks: Track[],
  byOrder: Map<string, Track>,
  phase: { label: string; ratePerS: number; count: number; runId: string },
): Promise<number[]> {
  const planned: Track[] = [];
  const signals: SendPlan['signals'] = [];
  for (let k = 0; k < phase.count; k++) {
    const i = tracks.length + k;
    const symbol = symbols[i % symbols.length]!;
    const long = Math.floor(i / symbols.length) % 2 === 0;
    const body = {
      signalId: `BENCH-${phase.runId}-${String(i).padStart(5, '0')}`,
      strategyId: 'bench',
      agentId: 'bench-signal-to-fill',
      agentVersion: '1',
      symbol,
      ...(long ? { direction: 'LONG', targetWeight: '0.002' } : { direction: 'FLAT' }),
      strength: 1,
      horizon: 'intraday',
      rationale: 'benchmark',
    };
    // The sender stamps createdAt as it sends; the id depends on its New York day only.
    const clientOrderId = proposalClientOrderId({ signalId: body.signalId, createdAt: new Date().toISOString() });
    const track: Track = { signalId: body.signalId, clientOrderId, phase: phase.label, filledQty: 0 };
    planned.push(track);
    byOrder.set(clientOrderId, track);
    signals.push({ body, clientOrderId });
  }
  const lags: number[] = [];
  const child = fork(SENDER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const abort = (): void => void child.kill();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: SenderMessage) => {
        if (m.type === 'sent') {
          const t = planned[m.k]!;
          t.sentAt = m.at;
          if (m.clientOrderId !== t.clientOrderId) t.refused = 'the New York day changed between plan and send';
          tracks.push(t);
          lags.push(m.lagMs);
        } else if (m.type === 'answered') {
          const t = planned[m.k]!;
          t.accepted = m.status === 202;
          if (!t.accepted) t.refused = `POST /api/signals ${m.status}`;
        } else if (m.type === 'behind') {
          ctx.log(`${phase.label}: sender ${Math.round(m.lagMs)} ms behind schedule after ${m.k} signals; phase cut short`);
        }
      });
      child.once('exit', (code, sig) => (code === 0 || ctx.signal.aborted ? resolve() : reject(new Error(`signal sender exited with code ${code ?? 'none'} (${sig ?? 'no signal'})`))));
      child.send({ apiUrl: system.apiUrl, token, ratePerS: phase.ratePerS, signals, maxLagMs: MAX_SEND_LAG_MS } satisfies SendPlan);
    });
  } finally {
    ctx.signal.removeEventListener('abort', abort);
  }
  ctx.checkpoint();
  return lags;
}

async function settle(ctx: BenchContext, system: LocalSystem, tracks: Track[]): Promise<void> {
  // A signal the CIO skipped never completes: wait until nothing has completed for a while, or the deadline.
  let last = -1;
  let quietSince = performance.now();
  try {
    await pollUntil('signals settled', async () => {
      ctx.checkpoint();
      const open = tracks.filter((t) => t.completedAt === undefined && t.refused === undefined).length;
      if (open === 0) return true;
      if (open !== last) {
        last = open;
        quietSince = performance.now();
      }
      return performance.now() - quietSince > 3_000 ? true : undefined;
    }, { timeoutMs: ctx.quick ? 20_000 : 30_000, intervalMs: 20 });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
  }
  await system.bus.drain();
}

/**
 * Why signals did not end in a fill: the order's status and reason in the store; with no order,
 * the CIO's logged decision (`signal produced no order`, with its code); with neither, the signal is lost.
 * An order still working after the settle is unfinished. Both count against the goal.
 */
async function outcomesOf(system: LocalSystem, open: readonly Track[], cioSkips: ReadonlyMap<string, string>): Promise<{ counts: Map<string, number>; lost: number }> {
  const counts = new Map<string, number>();
  let lost = 0;
  for (const t of open) {
    const order = await system.api.stores.orders.get(t.clientOrderId as Parameters<typeof system.api.stores.orders.get>[0]);
    const skip = cioSkips.get(t.signalId);
    let key: string;
    if (t.refused?.startsWith('POST')) key = t.refused;
    else if (order !== undefined) key = `${order.status}${order.reasonCode === undefined ? '' : ` ${order.reasonCode}`}${isTerminal(order.status) ? '' : ' (unfinished)'}`;
    else key = skip === undefined ? 'no order and no CIO decision (lost)' : `no order: ${skip}`;
    if ((order !== undefined && !isTerminal(order.status)) || (order === undefined && skip === undefined && !t.refused?.startsWith('POST'))) lost += 1;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, lost };
}

/** A log sink that keeps the CIO pipeline's "no order" decisions by signalId and drops the rest (logs are not what is measured). */
function cioDecisionLog(): { stream: Writable; skips: Map<string, string> } {
  const skips = new Map<string, string>();
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"signal produced no order"')) continue;
        const rec = JSON.parse(line) as { signalId?: string; code?: string };
        if (rec.signalId !== undefined) skips.set(rec.signalId, rec.code ?? 'skipped');
      }
      done();
    },
  });
  return { stream, skips };
}
