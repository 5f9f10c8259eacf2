import { mkdirSync, rmSync, createWriteStream, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { loadConfig, type AppConfig } from '../config/index.js';
import { startLocalAwsEmulator, type LocalAwsEmulator } from './servers/s3-local.js';
import { openLocalStateBackend, resolveStateBackend, type StateBackendKind } from './state-backend.js';
import { S3BlobStore } from '../adapters/s3/s3-blob-store.js';
import { createS3Client } from '../adapters/aws/clients.js';
import { InProcessEventBus } from '../adapters/bus/in-process-bus.js';
import { InProcessCommandQueue } from '../adapters/queue/in-process-command-queue.js';
import { OutboxNotifier } from '../adapters/notify/outbox-notifier.js';
import { JsonLogger } from '../adapters/log/json-logger.js';
import type { Clock } from '../core/shared/clock.js';
import { startIbSimProcess, type IbSimProcess } from './servers/ib-sim-process.js';
import { createGatewayService, type GatewayService } from '../../fargate/gateway/gateway-service.js';
import { AGENTS } from '../catalog/agents.js';
import { WORKFLOWS } from '../catalog/workflows.js';
import { LocalAgentHost } from './agent-host.js';
import type { AgentDeps } from '../app/agents.js';
import { bindWorkflowTasks } from '../app/workflow-tasks.js';
import { agentSettingsFromConfig } from '../app/agent-settings.js';
import { proposeOrdersFor, riskAgentFor, riskViewFrom } from '../app/risk-wiring.js';
import { acceptSignal } from '../app/cio/accept-signal.js';
import { MaCrossoverStrategy } from '../app/strategies/ma-crossover.js';
import { MeanReversionStrategy } from '../app/strategies/mean-reversion.js';
import { intervalScheduler } from '../app/strategies/scheduler.js';
import { pretradePolicyFromConfig } from '../app/pretrade/policy.js';
import { LocalWorkflowRunner } from '../adapters/workflows/local-workflow-runner.js';
import { createIdGenerator } from '../core/shared/ids-gen.js';
import { initialiseTradingState } from '../app/trading-state/initialise-trading-state.js';
import { Dispatcher } from '../api/dispatch.js';
import { ROUTES } from '../api/routes.js';
import type { ApiDeps } from '../api/deps.js';
import { startLocalApiServer, type LocalApiServer } from '../api/http-server.js';
import { LocalTokenIssuer } from '../adapters/auth/local-issuer.js';
import { LogMetricsSink } from '../adapters/metrics/log-metrics-sink.js';
import type { Logger } from '../ports/logger.js';
import type { CommandQueue } from '../ports/command-queue.js';
import type { LocalRunOptions } from './runtime-options.js';
// two-person unlock (issue 4)
import type { UnlockDeps } from '../app/unlock/unlock-deps.js';
import { unlockSettingsFromConfig } from '../app/unlock/unlock-settings.js';
import type { UnlockRequestId } from '../core/controls/unlock-request.js';
// event bus operations (issue 4)
import { LocalBusOperations } from '../adapters/bus/local-bus-operations.js';
import { DeadLetterFile } from '../adapters/bus/dead-letter-file.js';
import { agentRuleName } from './agent-host.js';
import { resumeOpenDrain } from '../app/lifecycle/request-lifecycle.js'; // lifecycle (issue 4)

const SYSTEM_CLOCK: Clock = { now: () => new Date() };
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RISK_CYCLE_MS = 5_000;
const REGION = 'us-east-1';
export const BUCKETS = { backups: 'tradeops-local-backups', audit: 'tradeops-local-audit' } as const;

export interface LocalSystemOptions extends Partial<LocalRunOptions> {
  /** 0 everywhere in tests: free ports, no clash with a running `npm start`. */
  ibSimPort?: number;
  ibSimAdminPort?: number;
  /** Heartbeat cadence for the bridge and agents; tests shorten it. */
  heartbeatMs?: number;
  /** Where log lines go; default `<dataDir>/logs/app.log`. */
  logStream?: NodeJS.WritableStream;
  clock?: Clock;
  /** Overrides for the simulator (tests: faster ticks, fixed seed). */
  ibSim?: { tickIntervalMs?: number; seed?: number };
  /** Run the demo strategies; default `strategies.enabled` of the config. Tests that count orders turn them off. */
  demoStrategies?: boolean;
  /**
   * Where state lives: `dynalite` (persistent) or `memory` (fast, lost on stop). Default: the
   * TRADEOPS_STATE environment variable, else config `local.state` (default dynalite).
   */
  state?: StateBackendKind;
}

export interface LocalSystem {
  readonly config: AppConfig;
  readonly apiUrl: string;
  readonly dataDir: string;
  readonly logFile: string | undefined;
  readonly outboxFile: string;
  /** Mints and verifies the local API's bearer tokens (`tradeops login --local`). */
  readonly tokens: LocalTokenIssuer;
  readonly broker: { kind: 'sim' | 'ib'; host: string; port: number };
  /** The simulator (its own process) when the broker is `sim`: ports, pid, and its admin API for inspection and faults. */
  readonly ibSim: IbSimProcess | undefined;
  /** `dynamodb` is undefined with the memory state backend (no dynalite runs). */
  readonly endpoints: { dynamodb: string | undefined; s3: string };
  /** The state backend of this run; `persistent: false` means state is lost on stop. */
  readonly state: { kind: StateBackendKind; persistent: boolean };
  readonly bus: InProcessEventBus;
  /** The bridge's command queue (approved orders go in here). */
  readonly commands: CommandQueue;
  readonly api: ApiDeps;
  readonly logger: Logger;
  /** Stops everything in reverse order of start; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The local composition root: the whole system on one machine with no AWS account, no Docker
 * and (with the simulator) no broker account. Every part is the production code path; only the
 * wiring differs from AWS: dynalite and fauxqs stand in for DynamoDB and S3, the in-process bus
 * for EventBridge, the in-process FIFO queue for SQS, an outbox file for SNS. With `state: 'memory'`
 * the state stores live in process memory instead of dynalite (not persistent).
 *
 * Start order: config → data dir → local AWS servers → stores → trading state → bus + agents →
 * broker (simulator) → bridge → API. Stop runs it backwards.
 */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const env = options.env ?? 'local';
  const config = loadConfig(env, options.configDir === undefined ? {} : { dir: options.configDir });
  const clock = options.clock ?? SYSTEM_CLOCK;
  const dataDir = resolve(options.dataDir ?? join(config.local.dataDir, env));
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, 'logs'), { recursive: true });

  let logFile: string | undefined;
  let logOut: NodeJS.WritableStream | WriteStream;
  if (options.logStream) logOut = options.logStream;
  else {
    logFile = join(dataDir, 'logs', 'app.log');
    logOut = createWriteStream(logFile, { flags: 'a' });
  }
  const logger: Logger = new JsonLogger({ stream: logOut, clock, level: 'info', fields: { env, runtime: 'local' } });
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    while (stops.length > 0) {
      const s = stops.pop()!;
      try {
        await s.stop();
        logger.info('stopped', { component: s.name });
      } catch (e) {
        logger.error('stop failed', { component: s.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (!options.logStream) await new Promise<void>((r) => (logOut as WriteStream).end(() => r()));
  };

  try {
    // The simulator (its own process) starts first and comes up while the rest does; it is the
    // last thing stopped, after the bridge has let go of it.
    const simLog = logger.child({ component: 'ib-sim' });
    const simStarting = (options.broker ?? config.broker.kind) === 'sim' ? startSimulator(options, config, dataDir, logOut, simLog) : undefined;
    simStarting?.catch(() => undefined); // its failure is reported where it is awaited, below
    stops.push({ name: 'ib-sim', stop: async () => (await simStarting?.catch(() => undefined))?.close() });
    const stateKind = resolveStateBackend(options.state, process.env, config.local.state);
    const stateBackend = await openLocalStateBackend(stateKind, { dataDir, env, clock, region: REGION }, (name, s) => stops.push({ name, stop: s }));
    const stores = stateBackend.stores;
    if (!stateBackend.detail.persistent) logger.warn('state backend: memory — not persistent: orders, fills, positions and the audit chain are lost when the process stops', { state: stateBackend.detail });
    else logger.info('state backend', { state: stateBackend.detail });
    const aws: LocalAwsEmulator = await startLocalAwsEmulator({ dataDir: join(dataDir, 's3'), region: REGION });
    stops.push({ name: 's3-local', stop: () => aws.close() });

    const s3 = createS3Client({ region: REGION, endpoint: aws.endpoint, localCredentials: true });
    stops.push({ name: 's3-client', stop: async () => s3.destroy() });
    const backups = new S3BlobStore({ client: s3, bucket: BUCKETS.backups });
    await backups.ensureBucket();
    await new S3BlobStore({ client: s3, bucket: BUCKETS.audit }).ensureBucket();

    const { state } = await initialiseTradingState({ store: stores.tradingState, audit: stores.audit, clock }, config.account.mode);
    logger.info('trading state', { mode: state.mode, version: state.version });

    const bus = new InProcessEventBus({ clock, logger: logger.child({ component: 'bus' }), region: REGION });
    stops.push({ name: 'event-bus', stop: () => bus.close() });
    const heartbeatMs = options.heartbeatMs ?? config.broker.heartbeatIntervalMs;
    // A heartbeat older than three intervals counts as down (health, the unlock's and the startup's broker checks).
    const staleAfterMs = Math.max(3 * heartbeatMs, 15_000);
    const outboxFile = join(dataDir, 'outbox.jsonl');
    const notifier = new OutboxNotifier({ file: outboxFile, logger: logger.child({ component: 'notifier' }), clock });
    const commands = new InProcessCommandQueue({ clock, logger: logger.child({ component: 'command-queue' }) });
    const ids = createIdGenerator({ now: () => clock.now(), random: (n) => randomBytes(n) });
    // two-person unlock (issue 4): the use cases' dependencies; the workflow runner below is its
    // Standard-workflow starter and its task-token registry (callback emulation).
    const unlockSettings = unlockSettingsFromConfig(config);
    const unlock: UnlockDeps = {
      requests: stores.unlockRequests, tradingState: stores.tradingState, health: stores.health, orders: stores.orders, risk: stores.risk, audit: stores.audit,
      publisher: bus, notifier, clock, newEventId: () => ids.eventId(), newRequestId: () => `REQ-${ids.next()}` as UnlockRequestId,
      policy: unlockSettings.policy, recheckSeconds: unlockSettings.recheckSeconds, brokerStaleAfterMs: staleAfterMs, logger: logger.child({ component: 'unlock' }),
      incidents: { killSwitch: stores.killSwitch, store: stores.incidents },
    };
    // lifecycle (issue 4): the startup's ValidateConfig re-reads the config file (an edit since start is caught).
    const validateConfig = async () => {
      try {
        const c = loadConfig(env, options.configDir === undefined ? {} : { dir: options.configDir });
        return { ok: true as const, summary: `config/${env} valid (${c.account.mode} account, ${c.universe.length} instruments)`, findings: { env, accountMode: c.account.mode, instruments: c.universe.length } };
      } catch (e) {
        return { ok: false as const, summary: e instanceof Error ? e.message : String(e) };
      }
    };
    // The same ASL files Step Functions runs, with each Task state bound to its handler.
    const taskHandlers = bindWorkflowTasks({ stores, riskView: riskViewFrom(stores.risk), policy: pretradePolicyFromConfig(config), clock, unlock, validateConfig, brokerStaleAfterMs: staleAfterMs });
    const workflows = new LocalWorkflowRunner({
      root: REPO_ROOT,
      handlers: taskHandlers,
      logger: logger.child({ component: 'workflows' }),
      onExecutionError: (workflow, name, error) => logger.error('workflow execution failed', { workflow, execution: name, error: error instanceof Error ? error.message : String(error) }),
    });
    unlock.workflows = workflows;
    unlock.tokens = workflows.tokens;
    stops.push({ name: 'workflows', stop: () => workflows.close() });
    const agentDeps: AgentDeps = { stores, publisher: bus, commands, workflows, notifier, clock, newId: () => ids.eventId(), logger: logger.child({ component: 'agents' }), metrics: new LogMetricsSink(logger.child({ component: 'metrics' })), settings: agentSettingsFromConfig(config) };
    // The local DLQ: dead letters beyond the bus's in-memory list go to a file in the data dir (issue 4).
    const deadLetters = new DeadLetterFile(join(dataDir, 'bus', 'dead-letters.jsonl'));
    const agents = new LocalAgentHost({ bus, health: stores.health, clock, logger: logger.child({ component: 'agents' }), agentDeps, deadLetterSink: (l) => deadLetters.append(l) });
    await agents.start(heartbeatMs);
    stops.push({ name: 'agents', stop: () => agents.stop() });
    // The runbook checks VaR every 15 minutes in market hours; locally the risk cycle runs every
    // few seconds (and on fills), so /api/risk/var answers soon after start.
    // Its timers and its in-flight cycle are part of the ordered stop: nothing may reach the stores after they close.
    const riskTimers = new Set<ReturnType<typeof setTimeout>>();
    let riskStopped = false;
    let riskInFlight: Promise<unknown> = Promise.resolve();
    const risk = riskAgentFor(agentDeps, {
      defer: (fn, ms) => {
        if (riskStopped) return;
        const t = setTimeout(() => {
          riskTimers.delete(t);
          if (!riskStopped) fn();
        }, ms);
        t.unref();
        riskTimers.add(t);
      },
    });
    const riskTimer = setInterval(() => {
      riskInFlight = risk.runScheduled().catch((e: unknown) => logger.warn('risk cycle failed', { error: e instanceof Error ? e.message : String(e) }));
    }, RISK_CYCLE_MS);
    riskTimer.unref();
    stops.push({
      name: 'risk schedule',
      stop: async () => {
        riskStopped = true;
        clearInterval(riskTimer);
        for (const t of riskTimers) clearTimeout(t);
        await riskInFlight;
      },
    });

    const brokerKind = options.broker ?? config.broker.kind;
    const brokerHost = options.host ?? config.broker.host;
    const ibSim = await simStarting;
    const brokerPort = ibSim?.port ?? options.port ?? config.broker.port;
    if (ibSim) simLog.info('ib-sim started (own process)', { pid: ibSim.pid, port: ibSim.port, adminUrl: ibSim.adminUrl });

    const gateway: GatewayService = createGatewayService({
      config: {
        host: brokerHost,
        port: brokerPort,
        clientId: options.clientId ?? config.broker.clientId,
        ...(config.account.id === undefined ? {} : { accountId: config.account.id }),
        maxMessagesPerSecond: config.broker.maxMessagesPerSecond,
        connectTimeoutMs: config.broker.connectTimeoutMs,
        watchdogIntervalMs: config.broker.watchdog.intervalMs,
        watchdogTimeoutMs: config.broker.watchdog.timeoutMs,
        reconnect: { initialDelayMs: config.broker.reconnect.initialDelayMs, maxDelayMs: config.broker.reconnect.maxDelayMs },
        heartbeatIntervalMs: heartbeatMs,
        universe: config.universe,
        // broker resilience (issue 4): an outage inside a known gateway window pages nobody
        maintenanceWindows: config.broker.maintenanceWindows,
        // VaR history: daily bars for the universe on login and after each close, into the price-history store
        history: config.risk.history,
      },
      stores,
      publisher: bus,
      commands,
      notifier,
      logger: logger.child({ component: 'gateway' }),
      clock,
    });
    await gateway.start();
    stops.push({ name: 'gateway', stop: () => gateway.stop() });

    const api: ApiDeps = {
      riskPolicy: agentDeps.settings.risk.policy,
      keyMetricAlerts: agentDeps.settings.alerts,
      proposeOrders: proposeOrdersFor(agentDeps),
      // The bridge's command queue: Reconcile (broker resilience), CancelAllOrders / CancelOrder (kill switch)
      commands,
      clock,
      publisher: bus,
      newId: () => ids.eventId(),
      env,
      accountMode: config.account.mode,
      stores,
      probes: {
        event_bus: async () => {
          await bus.ping();
          // The runbook's backlog rule ("if backlog > 1000, consider clearing"); latency alerts
          // belong to monitoring, and include handler time, so they are reported, not judged, here.
          const stats = bus.stats();
          const backlog = stats.reduce((n, s) => n + s.backlog, 0);
          const deadLettered = stats.reduce((n, s) => n + s.deadLettered, 0);
          return { status: backlog > 1000 ? 'degraded' : 'ok', detail: { kind: 'in-process', consumers: stats.length, backlog, deadLettered, handlerLatencyMsP99: Math.max(0, ...stats.map((s) => s.latencyMs.p99)) } };
        },
        state_store: () => stateBackend.probe(),
        blob_store: async () => {
          const started = performance.now();
          await backups.ping();
          return { status: 'ok', detail: { kind: 's3 (fauxqs)', bucket: BUCKETS.backups, roundTripMs: Math.round((performance.now() - started) * 100) / 100 } };
        },
      },
      agents: AGENTS.map((a) => ({ name: a.name, description: a.description })),
      heartbeatStaleAfterMs: staleAfterMs,
      unlock, // two-person unlock (issue 4)
      // --- event bus operations (issue 4) ---
      busOperations: new LocalBusOperations({
        bus,
        consumers: AGENTS.map((a) => ({ name: a.name, rule: agentRuleName(a.name), detailTypes: a.consumes })),
        restart: (agent) => agents.restart(agent),
        archive: backups,
        archiveLocation: `s3://${BUCKETS.backups}`,
        clock,
        newId: () => ids.eventId(),
      }),
      // --- end event bus operations ---
      // lifecycle (issue 4): drains are checked every second locally (5 s in AWS); the runbook waits 60 × 5 s.
      lifecycle: { starter: workflows, archive: backups, pollSeconds: 1, defaultDrainTimeoutS: 300 },
      // kill switch: SEV1 notices to the outbox (its cancels go through `commands` above)
      notifier,
    };
    // The demo strategies feed the same POST /api/signals use case, so `npm start` shows a living system.
    if (options.demoStrategies ?? config.strategies.enabled) {
      const accept = (signal: unknown) => acceptSignal({ signals: stores.signals, publisher: bus, clock, ids }, signal);
      const common = { agentVersion: '1.0.0', pollMs: config.strategies.pollMs, minSignalIntervalMs: config.strategies.minSignalIntervalMs, ...(config.strategies.symbols === undefined ? {} : { symbols: config.strategies.symbols }) };
      const deps = { quotes: stores.quotes, accept, clock, scheduler: intervalScheduler, logger: logger.child({ component: 'strategies' }) };
      for (const strategy of [new MaCrossoverStrategy(deps, { ...common, strategyId: 'ma-crossover' }), new MeanReversionStrategy(deps, { ...common, strategyId: 'mean-reversion' })]) {
        strategy.start();
        stops.push({ name: `strategy ${strategy.agentId}`, stop: () => strategy.stop() });
      }
    }

    // Tokens: the local stand-in for Cognito, its key in the data directory. The server binds to
    // loopback only, so read-only GETs stay open there for the runbook's plain curl checks.
    const tokens = await LocalTokenIssuer.open(dataDir, { now: () => clock.now() });
    const server: LocalApiServer = await startLocalApiServer({ dispatcher: new Dispatcher(ROUTES, { openReads: true }), deps: api, verifier: tokens, logger: logger.child({ component: 'api' }), port: options.apiPort ?? config.local.apiPort });
    stops.push({ name: 'api', stop: () => server.close() });
    logger.info('local system started', { api: server.url, broker: `${brokerKind} ${brokerHost}:${brokerPort}`, dataDir, state: stateBackend.kind, persistent: stateBackend.detail.persistent });
    // The order path's workflows are compiled now, not by the first order (see prepare).
    workflows.prepare(WORKFLOWS.filter((w) => w.type === 'EXPRESS').map((w) => w.name)).catch((e: unknown) => logger.error('workflow definition invalid', { error: e instanceof Error ? e.message : String(e) }));
    // lifecycle (issue 4): a drain left open by the last run (stopped mid-shutdown) gets its monitor back.
    try {
      const drainId = await resumeOpenDrain({ stores, starter: workflows, clock }, { pollSeconds: 1, restartId: ids.eventId() });
      if (drainId) logger.info('shutdown drain resumed', { drainId });
    } catch (e) {
      logger.warn('could not resume the shutdown drain: still DRAINING; run shutdown again once its deadline passes', { error: e instanceof Error ? e.message : String(e) });
    }

    return {
      config,
      apiUrl: server.url,
      dataDir,
      logFile,
      outboxFile,
      tokens,
      broker: { kind: brokerKind, host: brokerHost, port: brokerPort },
      ibSim,
      endpoints: { dynamodb: stateBackend.endpoint, s3: aws.endpoint },
      state: { kind: stateBackend.kind, persistent: stateBackend.detail.persistent },
      bus,
      commands,
      api,
      logger,
      stop,
    };
  } catch (e) {
    logger.error('start failed', { error: e instanceof Error ? e.message : String(e) });
    await stop();
    throw e;
  }
}

function startSimulator(options: LocalSystemOptions, config: AppConfig, dataDir: string, logOut: NodeJS.WritableStream, simLog: Logger): Promise<IbSimProcess> {
  const ended = (): boolean => (logOut as { writableEnded?: boolean }).writableEnded === true;
  return startIbSimProcess({
    port: options.ibSimPort ?? options.port ?? config.local.ibSimPort,
    adminPort: options.ibSimAdminPort ?? config.local.ibSimAdminPort,
    seed: options.ibSim?.seed ?? config.local.seed,
    ...(options.ibSim?.tickIntervalMs === undefined ? {} : { tickIntervalMs: options.ibSim.tickIntervalMs }),
    ...(config.account.id === undefined ? {} : { accountId: config.account.id }),
    instruments: config.universe.map((u) => ({ symbol: u.symbol, price: u.simInitialPrice ?? '100', ...(u.conId === undefined ? {} : { conId: u.conId }), ...(u.primaryExchange === undefined ? {} : { primaryExchange: u.primaryExchange }), currency: u.currency })),
    dataDir: join(dataDir, 'ib-sim'),
    // Its lines are already JSON with component ib-sim: written as they come, into the same log.
    onLogLine: (line) => {
      if (!ended()) logOut.write(`${line}\n`);
    },
    onUnexpectedExit: (d) => simLog.error('ib-sim exited unexpectedly: the bridge cannot reach the broker until it runs again (restart npm start)', { code: d.code, signal: d.signal }),
  });
}
