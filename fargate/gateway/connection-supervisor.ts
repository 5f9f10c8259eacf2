import type { Logger } from '../../lib/ports/logger.js';
import type { BackoffPolicy } from './backoff.js';
import { clientIdInUseDelayMs, reconnectDelayMs } from './backoff.js';
import { GatewayError } from './errors.js';
import type { FarmKind } from './ib-codes.js';
import { CLIENT_ID_IN_USE, CONNECTIVITY_LOST_CODES, CONNECTIVITY_RESTORED_DATA_LOST, CONNECTIVITY_RESTORED_DATA_MAINTAINED, FARM_DOWN, FARM_OK, SESSION_ENDED_CODES } from './ib-codes.js';
import type { LoginInfo, RawClientEvents } from './raw-client.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * Connection states. `connected` means logged in (nextValidId and managed accounts received) and
 * IB reachable; `degraded` means logged in but IB says its own connectivity is lost (1100/2110):
 * the socket stays open, orders are held, subscriptions may need re-requesting on restore.
 */
export const ConnectionState = { DISCONNECTED: 'disconnected', CONNECTING: 'connecting', CONNECTED: 'connected', DEGRADED: 'degraded', STOPPED: 'stopped' } as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** The part of the raw client the supervisor drives (a fake implements it in unit tests). */
export interface BrokerLink {
  on<K extends keyof RawClientEvents>(event: K, listener: RawClientEvents[K]): void;
  connect(): Promise<LoginInfo>;
  close(reason: string): void;
  reqCurrentTime(): Promise<void>;
}

export interface SupervisorOptions {
  /** Time between watchdog probes (reqCurrentTime) while logged in. */
  readonly watchdogIntervalMs: number;
  /** A probe unanswered this long means a frozen peer: the socket is force-closed. */
  readonly watchdogTimeoutMs: number;
  readonly reconnect: BackoffPolicy & {
    /** Minimum wait after 326 (client id in use). @default 4 × maxDelayMs capped at 60 s */
    readonly clientIdInUseDelayMs?: number;
  };
  /** Degraded (1100) longer than this → reconnect from scratch. @default 120 s */
  readonly degradedTimeoutMs?: number;
}

export interface SupervisorListeners {
  stateChanged?: (e: { from: ConnectionState; to: ConnectionState; reason: string; code?: number | undefined; attempt?: number | undefined }) => void;
  /** A new session is logged in: (re)request every subscription and reconcile. */
  loggedIn?: (info: LoginInfo) => void;
  /** 1101: IB restored connectivity but dropped our subscriptions; re-request them. */
  resubscribe?: (reason: string) => void;
  farmChanged?: (farms: Readonly<Record<FarmKind, 'ok' | 'down' | 'unknown'>>) => void;
}

export interface SupervisorStatus {
  readonly state: ConnectionState;
  readonly loggedIn: boolean;
  readonly lastRoundTripMs: number | undefined;
  /** Scheduler time of the last answered probe. */
  readonly lastRoundTripAt: number | undefined;
  readonly farms: Readonly<Record<FarmKind, 'ok' | 'down' | 'unknown'>>;
  readonly serverVersion: number | undefined;
  readonly accounts: readonly string[];
  readonly connectAttempts: number;
  readonly sessions: number;
  readonly lastDisconnectReason: string | undefined;
}

interface Probe {
  readonly sentAt: number;
  readonly resolve: (rttMs: number) => void;
  readonly reject: (e: unknown) => void;
  timer: TimerHandle | undefined;
}

/**
 * Keeps one logged-in IB session alive (Nautilus's IB client behaviour): detects loss by socket
 * close, 1300/326, and a frozen peer through its own watchdog; reconnects forever with capped
 * exponential backoff and full jitter (longer after 326); tracks 1100/2110 as degraded and
 * 1101/1102 as restored; tracks farm status. All time goes through the injected scheduler.
 * @example
 * const sup = new ConnectionSupervisor(raw, opts, systemScheduler, Math.random, logger, { loggedIn: (i) => subscribeAll() });
 * sup.start(); … await sup.stop();
 */
export class ConnectionSupervisor {
  private state: ConnectionState = ConnectionState.DISCONNECTED;
  private stopped = true;
  private failures = 0;
  private connectAttempts = 0;
  private sessions = 0;
  private reconnectTimer: TimerHandle | undefined;
  private watchdogTimer: TimerHandle | undefined;
  private degradedTimer: TimerHandle | undefined;
  private probes: Probe[] = [];
  private lastRoundTripMs: number | undefined;
  private lastRoundTripAt: number | undefined;
  private login: LoginInfo | undefined;
  private lastDisconnectReason: string | undefined;
  private sessionEndedByCode: number | undefined;
  private farms: Record<FarmKind, 'ok' | 'down' | 'unknown'> = { marketData: 'unknown', historical: 'unknown', secDef: 'unknown' };
  private readyWaiters: Array<() => void> = [];

  constructor(
    private readonly link: BrokerLink,
    private readonly options: SupervisorOptions,
    private readonly scheduler: Scheduler,
    private readonly random: () => number,
    private readonly logger: Logger,
    private readonly listeners: SupervisorListeners = {},
  ) {
    link.on('disconnected', (e) => this.onDisconnected(e.reason));
    link.on('info', (e) => this.onCode(e.code, e.message));
    link.on('error', (e) => {
      // 326 can come with an id; 1300 never does, but treat both the same either way
      if (SESSION_ENDED_CODES.has(e.code)) this.onCode(e.code, e.message);
    });
    link.on('currentTime', () => this.onCurrentTime());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleConnect(0, 'start');
  }

  /** Stops reconnecting, closes the session and rejects outstanding probes. */
  async stop(): Promise<void> {
    if (this.stopped && this.state === ConnectionState.STOPPED) return;
    this.stopped = true;
    this.clearTimer('reconnectTimer');
    this.stopWatchdog();
    this.clearTimer('degradedTimer');
    this.link.close('stopping');
    this.setState(ConnectionState.STOPPED, 'stopped');
  }

  /** Orders may be sent only in this state. */
  get canTrade(): boolean {
    return this.state === ConnectionState.CONNECTED;
  }

  get loginInfo(): LoginInfo | undefined {
    return this.login;
  }

  status(): SupervisorStatus {
    return {
      state: this.state,
      loggedIn: this.state === ConnectionState.CONNECTED || this.state === ConnectionState.DEGRADED,
      lastRoundTripMs: this.lastRoundTripMs,
      lastRoundTripAt: this.lastRoundTripAt,
      farms: { ...this.farms },
      serverVersion: this.login?.serverVersion,
      accounts: this.login?.accounts ?? [],
      connectAttempts: this.connectAttempts,
      sessions: this.sessions,
      lastDisconnectReason: this.lastDisconnectReason,
    };
  }

  /** Resolves true once `canTrade`, false after `timeoutMs`. */
  waitUntilTradable(timeoutMs: number): Promise<boolean> {
    if (this.canTrade) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (): void => {
        this.scheduler.clearTimeout(timer);
        resolve(true);
      };
      const timer = this.scheduler.setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve(this.canTrade);
      }, timeoutMs);
      this.readyWaiters.push(done);
    });
  }

  /** One reqCurrentTime round trip in ms ("the API answers"); rejects if not logged in or unanswered. */
  async roundTrip(): Promise<number> {
    if (this.state !== ConnectionState.CONNECTED && this.state !== ConnectionState.DEGRADED) throw new GatewayError('GATEWAY.NOT_CONNECTED', `broker is ${this.state}`);
    return this.probe();
  }

  // ---- connection loop ----
  private scheduleConnect(delayMs: number, reason: string): void {
    if (this.stopped) return;
    this.clearTimer('reconnectTimer');
    this.logger.info('broker reconnect scheduled', { delayMs, reason, failures: this.failures });
    this.reconnectTimer = this.scheduler.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.attempt();
    }, delayMs);
  }

  private attempt(): void {
    if (this.stopped) return;
    this.connectAttempts += 1;
    this.sessionEndedByCode = undefined;
    // A new session reports its farms afresh in its login burst.
    this.farms = { marketData: 'unknown', historical: 'unknown', secDef: 'unknown' };
    this.setState(ConnectionState.CONNECTING, `attempt ${this.connectAttempts}`);
    this.link.connect().then(
      (info) => this.onLoggedIn(info),
      (error: unknown) => this.onConnectFailed(error),
    );
  }

  private onLoggedIn(info: LoginInfo): void {
    if (this.stopped) {
      this.link.close('stopped during login');
      return;
    }
    this.login = info;
    this.failures = 0;
    this.sessions += 1;
    this.setState(ConnectionState.CONNECTED, 'logged in');
    this.startWatchdog();
    this.listeners.loggedIn?.(info);
  }

  private onConnectFailed(error: unknown): void {
    if (this.stopped) return;
    const code = error instanceof GatewayError ? (error.details?.['code'] as number | undefined) : undefined;
    const message = error instanceof Error ? error.message : String(error);
    this.lastDisconnectReason = message;
    this.setState(ConnectionState.DISCONNECTED, message);
    this.retry(code === CLIENT_ID_IN_USE || this.sessionEndedByCode === CLIENT_ID_IN_USE, message);
  }

  private onDisconnected(reason: string): void {
    // A failed login reports through onConnectFailed; only a live session's end counts here.
    if (this.state !== ConnectionState.CONNECTED && this.state !== ConnectionState.DEGRADED) return;
    this.stopWatchdog();
    this.clearTimer('degradedTimer');
    this.lastDisconnectReason = reason;
    this.setState(ConnectionState.DISCONNECTED, reason);
    if (this.stopped) return;
    this.retry(this.sessionEndedByCode === CLIENT_ID_IN_USE, reason);
  }

  private retry(clientIdInUse: boolean, reason: string): void {
    const { reconnect } = this.options;
    const delay = clientIdInUse
      ? clientIdInUseDelayMs(this.failures, { ...reconnect, clientIdInUseDelayMs: reconnect.clientIdInUseDelayMs ?? Math.min(60_000, reconnect.maxDelayMs * 4) }, this.random)
      : reconnectDelayMs(this.failures, reconnect, this.random);
    this.failures += 1;
    this.scheduleConnect(delay, reason);
  }

  // ---- IB system codes ----
  private onCode(code: number, message: string): void {
    // Farm status arrives with the login burst (before we count as logged in): track it always.
    const down = FARM_DOWN.get(code);
    const up = FARM_OK.get(code);
    if (down !== undefined || up !== undefined) {
      const kind = (down ?? up) as FarmKind;
      const value = down !== undefined ? 'down' : 'ok';
      if (this.farms[kind] !== value) {
        this.farms = { ...this.farms, [kind]: value };
        this.listeners.farmChanged?.({ ...this.farms });
      }
      return;
    }
    if (this.state !== ConnectionState.CONNECTED && this.state !== ConnectionState.DEGRADED) return;
    if (CONNECTIVITY_LOST_CODES.has(code)) {
      if (this.state === ConnectionState.CONNECTED) {
        this.setState(ConnectionState.DEGRADED, `IB ${code}: ${message}`, code);
        this.clearTimer('degradedTimer');
        const limit = this.options.degradedTimeoutMs ?? 120_000;
        this.degradedTimer = this.scheduler.setTimeout(() => {
          this.degradedTimer = undefined;
          this.logger.warn('broker degraded too long, reconnecting', { limitMs: limit });
          this.link.close(`degraded for ${limit} ms`);
        }, limit);
      }
      return;
    }
    if (code === CONNECTIVITY_RESTORED_DATA_MAINTAINED || code === CONNECTIVITY_RESTORED_DATA_LOST) {
      this.clearTimer('degradedTimer');
      this.setState(ConnectionState.CONNECTED, `IB ${code}: ${message}`, code);
      if (code === CONNECTIVITY_RESTORED_DATA_LOST) this.listeners.resubscribe?.(`IB ${code}`);
      return;
    }
    if (SESSION_ENDED_CODES.has(code)) {
      this.sessionEndedByCode = code;
      this.link.close(`IB ${code}: ${message}`);
    }
  }

  // ---- watchdog: our own, because the client's never notices a frozen peer ----
  private startWatchdog(): void {
    this.stopWatchdog();
    this.watchdogTimer = this.scheduler.setTimeout(() => this.watchdogTick(), this.options.watchdogIntervalMs);
  }

  private stopWatchdog(): void {
    this.clearTimer('watchdogTimer');
    for (const p of this.probes.splice(0)) {
      if (p.timer !== undefined) this.scheduler.clearTimeout(p.timer);
      p.reject(new GatewayError('GATEWAY.NOT_CONNECTED', 'session ended before the round trip completed'));
    }
  }

  private watchdogTick(): void {
    this.watchdogTimer = undefined;
    const sessionAtStart = this.sessions;
    this.probe().then(
      () => {
        if (this.sessions === sessionAtStart && (this.state === ConnectionState.CONNECTED || this.state === ConnectionState.DEGRADED) && this.watchdogTimer === undefined) {
          this.watchdogTimer = this.scheduler.setTimeout(() => this.watchdogTick(), this.options.watchdogIntervalMs);
        }
      },
      () => {
        // timeout (handled in probe) or session ended: the reconnect path owns what follows
      },
    );
  }

  private probe(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.link.reqCurrentTime().then(
        () => {
          const probe: Probe = { sentAt: this.scheduler.now(), resolve, reject, timer: undefined };
          probe.timer = this.scheduler.setTimeout(() => {
            probe.timer = undefined;
            this.probes = this.probes.filter((p) => p !== probe);
            reject(new GatewayError('GATEWAY.WATCHDOG_TIMEOUT', `no reply to reqCurrentTime within ${this.options.watchdogTimeoutMs} ms`));
            this.onFrozenPeer();
          }, this.options.watchdogTimeoutMs);
          this.probes.push(probe);
        },
        reject,
      );
    });
  }

  private onCurrentTime(): void {
    // IB's replies carry no request id: the oldest outstanding probe is the one answered.
    const probe = this.probes.shift();
    if (probe === undefined) return;
    if (probe.timer !== undefined) this.scheduler.clearTimeout(probe.timer);
    const rtt = this.scheduler.now() - probe.sentAt;
    this.lastRoundTripMs = rtt;
    this.lastRoundTripAt = this.scheduler.now();
    probe.resolve(rtt);
  }

  private onFrozenPeer(): void {
    if (this.state !== ConnectionState.CONNECTED && this.state !== ConnectionState.DEGRADED) return;
    this.logger.warn('broker watchdog timeout: peer frozen, force-closing the socket', { timeoutMs: this.options.watchdogTimeoutMs });
    this.link.close('watchdog timeout');
  }

  private setState(to: ConnectionState, reason: string, code?: number): void {
    const from = this.state;
    if (from === to && code === undefined) return;
    this.state = to;
    this.logger.info('broker connection state changed', { from, to, reason, code });
    this.listeners.stateChanged?.({ from, to, reason, code, attempt: to === ConnectionState.CONNECTING ? this.failures + 1 : undefined });
    if (to === ConnectionState.CONNECTED) for (const w of this.readyWaiters.splice(0)) w();
  }

  private clearTimer(name: 'reconnectTimer' | 'watchdogTimer' | 'degradedTimer'): void {
    const t = this[name];
    if (t !== undefined) this.scheduler.clearTimeout(t);
    this[name] = undefined;
  }
}
