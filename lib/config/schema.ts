import { z } from 'zod';
import { ComplianceRulesSchema } from '../core/pretrade/limits.js';
import { AccountIdSchema, SymbolSchema } from '../core/shared/ids.js';
import { InstrumentSchema } from '../core/instruments/instrument.js';
import { KEY_METRIC_NAMES } from '../core/metrics/key-metrics.js';
import { compareDecimal, MoneySchema, PositiveDecimalSchema } from './decimal.js';

/**
 * The one configuration schema for every environment (`config/<env>.yaml`).
 *
 * Strict everywhere (an unknown key is refused: a typo must not silently fall back to a default)
 * and the defaults are the safe ones: paper account, simulator broker, read-only gateway API,
 * the smaller limit. Cross-field rules (live trading only in prod and only when confirmed,
 * DR region differs from primary, limits ordered) live in `superRefine` at the bottom so each
 * issue names the field it is about.
 */

/** Environments are typed constants (STYLE §12); `sim` is AWS with the ib-sim container. */
export const ENV_NAMES = ['local', 'sim', 'paper', 'prod'] as const;
export const EnvNameSchema = z.enum(ENV_NAMES);
export type EnvName = z.infer<typeof EnvNameSchema>;

/** Who gets notified; one SNS topic each on AWS, one outbox channel each locally. */
export const AUDIENCES = ['oncall', 'risk_manager', 'compliance', 'management'] as const;
export const AudienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof AudienceSchema>;

/** All schedules and maintenance windows are in exchange time; the schedulers handle DST. */
export const EXCHANGE_TIME_ZONE = 'America/New_York';
const TimeZoneSchema = z.literal(EXCHANGE_TIME_ZONE).default(EXCHANGE_TIME_ZONE);

const PortSchema = z.number().int().min(1).max(65535);
const HhMmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '24-hour time "HH:MM"');
const NameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'lower-case name: letters, digits and -');

// ---------------------------------------------------------------- account

export const AccountModeSchema = z.enum(['paper', 'live']);
export type AccountMode = z.infer<typeof AccountModeSchema>;

/**
 * @example { mode: 'paper', id: 'DU1234567' }
 */
export const AccountConfigSchema = z.strictObject({
  mode: AccountModeSchema.default('paper'),
  /** IB account code; `DU…` is a paper account, `U…` a live one. */
  id: AccountIdSchema.optional(),
  /** A second, explicit switch: `mode: live` alone is not enough to trade real money. */
  liveTradingConfirmed: z.boolean().default(false),
});

// ---------------------------------------------------------------- broker

/** IB Gateway's API ports (IBC defaults): the port follows the account mode unless set. */
export const IB_GATEWAY_PORTS = { paper: 4002, live: 4001 } as const;

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/**
 * A window during which the gateway is expected to be away (IBC daily restart, Sunday re-auth):
 * the bridge does not alarm then, and the runtime refuses new orders.
 * @example { name: 'daily-restart', at: '23:45', durationMinutes: 10 }
 */
export const MaintenanceWindowSchema = z.strictObject({
  name: NameSchema,
  /** Start time of day in `timezone`. */
  at: HhMmSchema,
  /** Days on which the window opens; every day when absent. */
  days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
  timezone: TimeZoneSchema,
  durationMinutes: z.number().int().min(1).max(24 * 60),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;

/** IB disconnects a session above 50 messages/s; @stoqey/ib paces at 40/s by default. */
export const IB_MAX_MESSAGES_PER_SECOND = 50;
const MessagesPerSecondSchema = z.number().int().min(1).max(IB_MAX_MESSAGES_PER_SECOND).default(40);

export const BrokerConfigSchema = z.strictObject({
  /** `sim`: the ib-sim paper simulator; `ib`: a real IB Gateway or TWS. */
  kind: z.enum(['sim', 'ib']).default('sim'),
  host: z.string().min(1).default('127.0.0.1'),
  /** Defaults to 4002 (paper) or 4001 (live) from `account.mode`. */
  port: PortSchema.optional(),
  clientId: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** Round-trip probe (reqCurrentTime) that detects a frozen peer the socket does not report. */
  watchdog: z
    .strictObject({
      intervalMs: z.number().int().min(100).default(5_000),
      timeoutMs: z.number().int().min(100).default(15_000),
    })
    .prefault({}),
  /** Capped exponential backoff with full jitter: no reconnect storms, no 326 (client id in use) loops. */
  reconnect: z
    .strictObject({
      initialDelayMs: z.number().int().min(10).default(1_000),
      maxDelayMs: z.number().int().min(10).default(60_000),
    })
    .prefault({}),
  maxMessagesPerSecond: MessagesPerSecondSchema,
  /** How often the bridge writes its health heartbeat; `/health` calls one older than 3 intervals stale. */
  heartbeatIntervalMs: z.number().int().min(100).max(60_000).default(5_000),
  /** IBC `ReadOnlyApi`: the gateway refuses orders. Safe default; switch off where orders are sent. */
  readOnlyApi: z.boolean().default(true),
  maintenanceWindows: z.array(MaintenanceWindowSchema).default([]),
});

// ---------------------------------------------------------------- universe

/**
 * An instrument of the universe plus the price the simulator starts its random walk at.
 * @example { symbol: 'AAPL', primaryExchange: 'NASDAQ', simInitialPrice: '187.25' }
 */
export const UniverseEntrySchema = InstrumentSchema.extend({
  /** Required when `broker.kind` is `sim`; ignored by a real broker. */
  simInitialPrice: PositiveDecimalSchema.optional(),
});
export type UniverseEntry = z.infer<typeof UniverseEntrySchema>;

// ---------------------------------------------------------------- limits

/**
 * Hard limits enforced by the pre-trade checks and again by the bridge's final gate.
 * Money is a decimal string (USD); counts are integers; ratios are decimal strings.
 * Defaults are absent on purpose: a limit is a decision someone writes down.
 */
export const LimitsConfigSchema = z.strictObject({
  maxOrderQuantity: z.number().int().positive(),
  maxOrderNotional: MoneySchema,
  maxPositionNotionalPerInstrument: MoneySchema,
  maxGrossExposure: MoneySchema,
  maxNetExposure: MoneySchema,
  /** Hard cap on gross exposure / net liquidation, e.g. "2"; pre-trade denies above the lower of this and the leverage_critical alert (runbook 1.8). */
  maxLeverage: MoneySchema,
  dailyLossLimit: MoneySchema,
  /** 99% one-day VaR limit in USD; alerts fire on utilisation of this. */
  varLimit: MoneySchema,
  /** A limit price further than this from the reference price is refused. */
  priceCollarBps: z.number().int().min(1).max(10_000),
  /** IB allows at most 20 active orders per contract and side. */
  maxActiveOrdersPerContractSide: z.number().int().min(1).max(20).default(20),
  /** Order messages per second at the final gate; at most `broker.maxMessagesPerSecond`. */
  maxMessagesPerSecond: MessagesPerSecondSchema,
});
export type LimitsConfig = z.infer<typeof LimitsConfigSchema>;

// ---------------------------------------------------------------- risk (VaR history)

/** IB's daily-bar kinds the bridge may ask for (`whatToShow`). */
export const HISTORY_WHAT_TO_SHOW = ['TRADES', 'MIDPOINT', 'ADJUSTED_LAST'] as const;
/** An IB `durationStr`: an integer and a unit (days, weeks, months, years), e.g. "2 Y" or "500 D". */
const DurationStrSchema = z.string().regex(/^[1-9]\d{0,3} [DWMY]$/, 'an IB duration such as "2 Y" or "500 D"');

/** Trading days an IB duration spans at most (252 a year, 21 a month, 5 a week). */
export function tradingDaysIn(duration: string): number {
  const [n, unit] = duration.split(' ') as [string, 'D' | 'W' | 'M' | 'Y'];
  return Number(n) * { D: 1, W: 5, M: 21, Y: 252 }[unit];
}

/**
 * What VaR stands on: the window of daily returns, how many of its days a symbol may lack, and the
 * daily bars the bridge fetches from the broker for every instrument of the universe (on login and
 * once a day after the close).
 * @example { varWindowDays: 250, maxMissingDays: 5, history: { duration: '2 Y', whatToShow: 'TRADES', refreshAt: '16:30' } }
 */
export const RiskConfigSchema = z
  .strictObject({
    /** Daily returns used by both VaR methods (historical and parametric). */
    varWindowDays: z.number().int().min(20).max(2520).default(250),
    /** Days of the window a symbol may lack a close (carried forward) before it is left out of VaR and alerted. */
    maxMissingDays: z.number().int().min(0).max(60).default(5),
    history: z
      .strictObject({
        duration: DurationStrSchema.default('2 Y'),
        whatToShow: z.enum(HISTORY_WHAT_TO_SHOW).default('TRADES'),
        /** New York time on trading days when the bridge fetches the day's bars again. */
        refreshAt: HhMmSchema.default('16:30'),
      })
      .prefault({}),
  })
  .prefault({});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;

// ---------------------------------------------------------------- alerts

/** Metrics that alerts may watch (the runbook's alerts.yaml and Key Metrics table): the one list in lib/core/metrics. */
export const ALERT_METRICS = KEY_METRIC_NAMES;
export const AlertActionSchema = z.enum(['reduce_positions', 'halt_trading']);

/**
 * One alert, in the runbook's alerts.yaml shape (that block pastes in verbatim). `comparison`
 * is our addition for metrics where lower is worse (fill rate); it defaults to `above` for a
 * number and `equals` for a boolean.
 * @example { metric: 'portfolio_var_utilization', threshold: 0.9, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'], action: 'reduce_positions' }
 */
export const AlertConfigSchema = z
  .strictObject({
    metric: z.enum(ALERT_METRICS),
    threshold: z.union([z.number(), z.boolean()]),
    severity: z.enum(['WARNING', 'CRITICAL']),
    notify: z.array(AudienceSchema).min(1),
    action: AlertActionSchema.optional(),
    comparison: z.enum(['above', 'below', 'equals']).optional(),
  })
  .transform((a) => ({ ...a, comparison: a.comparison ?? (typeof a.threshold === 'boolean' ? ('equals' as const) : ('above' as const)) }));
export type AlertConfig = z.infer<typeof AlertConfigSchema>;

// ---------------------------------------------------------------- schedules

/**
 * EventBridge Scheduler cron (six fields: minutes hours day-of-month month day-of-week year),
 * without the `cron( )` wrapper; one of day-of-month / day-of-week must be `?`.
 */
export const CronSchema = z
  .string()
  .refine((s) => {
    const fields = s.trim().split(/\s+/);
    return fields.length === 6 && fields.every((f) => /^[0-9A-Z*?,\-/#L]+$/.test(f)) && (fields[2] === '?') !== (fields[4] === '?');
  }, 'EventBridge cron, six fields, e.g. "0 9 ? * MON-FRI *" (one of day-of-month / day-of-week is "?")');

/**
 * A schedule definition; the local scheduler and EventBridge Scheduler both read it.
 * @example { name: 'pre-market-checklist', cron: '0 9 ? * MON-FRI *', tradingDaysOnly: true, target: 'checklist:pre-market' }
 */
export const ScheduleConfigSchema = z.strictObject({
  name: NameSchema,
  cron: CronSchema,
  timezone: TimeZoneSchema,
  /** Skip exchange holidays and weekends (EventBridge Scheduler knows no holidays: the target checks). */
  tradingDaysOnly: z.boolean(),
  /** What runs: `<kind>:<name>`, resolved by each runtime's wiring. */
  target: z.string().regex(/^[a-z][a-z0-9-]*:[a-z0-9-]+$/, '"<kind>:<name>", e.g. "backup:positions"'),
});
export type ScheduleConfig = z.infer<typeof ScheduleConfigSchema>;

// ---------------------------------------------------------------- contacts, notifications

export const ContactSchema = z.strictObject({
  name: z.string().min(1).optional(),
  email: z.email(),
  phone: z.string().regex(/^\+[0-9 ()-]{6,20}$/, 'international format, e.g. "+1 212 555 0100"').optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactsConfigSchema = z.strictObject({
  oncall: ContactSchema,
  risk_manager: ContactSchema,
  compliance: ContactSchema,
  management: ContactSchema,
});

const TopicSchema = z.strictObject({ displayName: z.string().min(1).max(100) });
export const NotificationsConfigSchema = z.strictObject({
  topics: z
    .strictObject({
      oncall: TopicSchema.default({ displayName: 'TradeOps on-call' }),
      risk_manager: TopicSchema.default({ displayName: 'TradeOps risk manager' }),
      compliance: TopicSchema.default({ displayName: 'TradeOps compliance' }),
      management: TopicSchema.default({ displayName: 'TradeOps management' }),
    })
    .prefault({}),
  /** Subscribe each audience's contact email to its topic (prod only: others would spam people). */
  subscribeContactEmails: z.boolean().default(false),
});

// ---------------------------------------------------------------- aws

const RegionSchema = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region, e.g. "us-east-1"');

export const AwsConfigSchema = z.strictObject({
  /** Required for every AWS environment; optional for local (its synth is environment-agnostic). */
  account: z.string().regex(/^\d{12}$/, '12 digits').optional(),
  primaryRegion: RegionSchema,
  drRegion: RegionSchema,
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a DNS name').optional(),
  /** Container images. Bridge and ib-sim are pushed to the ECR repositories the app creates. */
  images: z
    .strictObject({
      /** An IBC-automated gateway image; pin a version (or digest) in prod. */
      ibGateway: z.string().min(1).default('ghcr.io/gnzsnz/ib-gateway:stable'),
      /** Tag of the bridge and ib-sim images in ECR; `-c imageTag=…` overrides it at synth. */
      tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a container image tag').default('initial'),
    })
    .prefault({}),
});

// ---------------------------------------------------------------- retention

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const LogDaysSchema = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}`);

/** The runbook's Log Locations and Backup Schedule tables. */
export const RetentionConfigSchema = z
  .strictObject({
    appLogsDays: LogDaysSchema.default(30),
    errorLogsDays: LogDaysSchema.default(90),
    perfLogsDays: LogDaysSchema.default(7),
    auditYears: z.number().int().min(1).max(100).default(7),
    positionsBackupDays: z.number().int().min(1).default(30),
    configBackupDays: z.number().int().min(1).default(90),
  })
  .prefault({});

// ---------------------------------------------------------------- local runtime

/** The local runtime's state backends (lib/local/state-backend.ts). */
export const LOCAL_STATE_BACKENDS = ['dynalite', 'memory'] as const;
export const LocalStateBackendSchema = z.enum(LOCAL_STATE_BACKENDS);

export const LocalConfigSchema = z
  .strictObject({
    apiPort: PortSchema.default(8080),
    ibSimPort: PortSchema.default(4002),
    ibSimAdminPort: PortSchema.default(4010),
    /** State (DynamoDB/S3 stand-ins, audit chain, outbox) persists here across restarts. */
    dataDir: z.string().min(1).default('.data'),
    /** Seeds the simulator's random walk: the same seed replays the same market. */
    seed: z.number().int().min(0).default(42),
    /**
     * Where state lives: `dynalite` (the DynamoDB API on LevelDB, persistent, as in AWS) or `memory`
     * (process memory: fast, for latency benchmarks, demos and tests; lost when the process stops).
     */
    state: LocalStateBackendSchema.default('dynalite'),
  })
  .prefault({});

// ---------------------------------------------------------------- controls: two-person unlock (issue 4)

/** Roles that may request or approve an unlock: anyone but a read-only viewer (admin is always implied). */
const ActingRoleSchema = z.enum(['operator', 'risk_manager', 'compliance', 'admin']);

/**
 * The two-person unlock of a halted trading state (runbook "Kill Switch Deactivation"): SSM
 * `aws:approve` / Vault control-group style M-of-N. The requestor never counts as an approver, and
 * the person who activated the kill switch is never enough alone.
 * @example { approvalsRequired: 1, approverRoles: [risk_manager], requestorRoles: [operator, risk_manager], expiryMinutes: 30, recheckSeconds: 15 }
 */
export const UnlockConfigSchema = z
  .strictObject({
    /** M: distinct approvers besides the requestor. */
    approvalsRequired: z.number().int().min(1).max(10).default(1),
    approverRoles: z.array(ActingRoleSchema).min(1).default(['risk_manager']),
    requestorRoles: z.array(ActingRoleSchema).min(1).default(['operator', 'risk_manager']),
    /** A request not executed within this time expires; a new one is needed. */
    expiryMinutes: z.number().int().min(1).max(24 * 60).default(30),
    /** How often an approved request blocked by a precondition is re-checked until it expires. */
    recheckSeconds: z.number().int().min(1).max(600).default(15),
  })
  .prefault({});
export type UnlockConfig = z.infer<typeof UnlockConfigSchema>;

export const ControlsConfigSchema = z.strictObject({ unlock: UnlockConfigSchema }).prefault({});

// ---------------------------------------------------------------- the whole file

// ---------------------------------------------------------------- compliance

/**
 * Pre-trade compliance thresholds (the core's rules, defaults there: no short selling) and the
 * firm's lists. Blackout windows are ISO instants, [from, to).
 * @example { shortSellingEnabled: false, restrictedSymbols: ['XYZ'], blackoutWindows: [{ symbol: 'IBM', from: '2026-12-01T13:00:00Z', to: '2026-12-02T21:00:00Z', reason: 'earnings' }] }
 */
export const ComplianceConfigSchema = ComplianceRulesSchema.extend({
  restrictedSymbols: z.array(SymbolSchema).default([]),
  noShortSymbols: z.array(SymbolSchema).default([]),
  blackoutWindows: z
    .array(z.strictObject({ symbol: SymbolSchema, from: z.iso.datetime(), to: z.iso.datetime(), reason: z.string().optional() }))
    .default([]),
  /** Post-trade surveillance thresholds that differ from the defaults (lib/core/surveillance/rules.ts). */
  surveillance: z
    .strictObject({
      washWindowMs: z.number().int().positive(),
      washPriceToleranceBps: z.number().min(0),
      spoofLookbackMs: z.number().int().positive(),
      spoofCancelWithinMs: z.number().int().positive(),
      otrMaxRatio: z.number().positive(),
      otrMinOrders: z.number().int().positive(),
    })
    .partial()
    .default({}),
});
export type ComplianceConfig = z.infer<typeof ComplianceConfigSchema>;

// ---------------------------------------------------------------- CIO and demo strategies

/**
 * How the CIO nets and sizes signals (lib/core/cio). Instruments (lot and tick sizes) come from the
 * universe. Unknown strategies get `defaultRiskBudget` (0: no say) — give people a named budget.
 */
export const CioConfigSchema = z.strictObject({
  agentVersion: z.string().min(1).default('1.0.0'),
  riskBudgets: z.record(z.string().min(1), z.number().min(0)).default({}),
  defaultRiskBudget: z.number().min(0).default(0),
  directionWeight: PositiveDecimalSchema.default('0.05'),
  maxWeightPerName: PositiveDecimalSchema.default('0.10'),
  volTargeting: z.strictObject({ targetDailyVol: z.number().positive(), maxScale: z.number().positive(), dailyVolBySymbol: z.record(z.string(), z.number().positive()) }).optional(),
  minOrderNotional: PositiveDecimalSchema.default('100'),
  capacity: z.enum(['buyingPower', 'cash']).default('buyingPower'),
  capacityUsage: PositiveDecimalSchema.default('0.95'),
  orderType: z.enum(['LMT', 'MKT']).default('LMT'),
  /** A marketable limit crosses the mid by this fraction; keep it inside limits.priceCollarBps. */
  limitCollar: PositiveDecimalSchema.default('0.002'),
  /** A quote older than this is no price at all. */
  maxQuoteAgeMs: z.number().int().positive().default(60_000),
});

/** The demo strategies that make `npm start` a living system (off outside local by default). */
export const StrategiesConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  symbols: z.array(SymbolSchema).optional(),
  pollMs: z.number().int().min(50).default(1_000),
  minSignalIntervalMs: z.number().int().min(0).default(30_000),
});

const RawAppConfigSchema = z.strictObject({
  env: EnvNameSchema,
  account: AccountConfigSchema.prefault({}),
  broker: BrokerConfigSchema.prefault({}),
  universe: z.array(UniverseEntrySchema).min(1),
  limits: LimitsConfigSchema,
  compliance: ComplianceConfigSchema.prefault({}),
  cio: CioConfigSchema.prefault({}),
  strategies: StrategiesConfigSchema.prefault({}),
  alerts: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case alert id'), AlertConfigSchema),
  schedules: z.array(ScheduleConfigSchema).default([]),
  contacts: ContactsConfigSchema,
  notifications: NotificationsConfigSchema.prefault({}),
  aws: AwsConfigSchema,
  retention: RetentionConfigSchema,
  local: LocalConfigSchema,
  controls: ControlsConfigSchema, // two-person unlock (issue 4)
  risk: RiskConfigSchema,
});

/**
 * The validated configuration of one environment, with every default applied and the broker
 * port resolved from the account mode.
 * @example
 * const cfg = AppConfigSchema.parse(YAML.parse(text)); cfg.broker.port // 4002
 */
export const AppConfigSchema = RawAppConfigSchema.superRefine((c, ctx) => {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };

  // Real money: only prod may be live, and only with the second switch thrown.
  if (c.account.mode === 'live') {
    if (c.env !== 'prod') issue(['account', 'mode'], `live trading is allowed only in prod, not in ${c.env}`);
    else if (!c.account.liveTradingConfirmed) issue(['account', 'liveTradingConfirmed'], 'mode live requires liveTradingConfirmed: true');
    if (c.broker.kind !== 'ib') issue(['broker', 'kind'], 'live trading needs a real IB Gateway (kind: ib)');
  } else if (c.account.liveTradingConfirmed) {
    issue(['account', 'liveTradingConfirmed'], 'set only together with mode: live');
  }
  if (c.account.mode === 'paper' && c.account.id !== undefined && /^U/.test(c.account.id)) {
    issue(['account', 'id'], `${c.account.id} looks like a live account (paper accounts start with DU)`);
  }
  if (c.env === 'sim' && c.broker.kind !== 'sim') issue(['broker', 'kind'], 'the sim environment runs the ib-sim container (kind: sim)');
  if (c.env === 'prod' && c.broker.kind !== 'ib') issue(['broker', 'kind'], 'prod connects to IB Gateway (kind: ib)');

  if (c.broker.watchdog.timeoutMs <= c.broker.watchdog.intervalMs) issue(['broker', 'watchdog', 'timeoutMs'], 'must be greater than intervalMs');
  if (c.broker.reconnect.maxDelayMs < c.broker.reconnect.initialDelayMs) issue(['broker', 'reconnect', 'maxDelayMs'], 'must be at least initialDelayMs');
  uniqueNames(c.broker.maintenanceWindows.map((w) => w.name)).forEach((i) => issue(['broker', 'maintenanceWindows', i, 'name'], 'duplicate name'));

  uniqueNames(c.universe.map((u) => u.symbol)).forEach((i) => issue(['universe', i, 'symbol'], 'duplicate symbol'));
  if (c.broker.kind === 'sim') {
    c.universe.forEach((u, i) => {
      if (u.simInitialPrice === undefined) issue(['universe', i, 'simInitialPrice'], 'required when broker.kind is sim');
    });
  }

  const l = c.limits;
  if (compareDecimal(l.maxOrderNotional, l.maxPositionNotionalPerInstrument) > 0) issue(['limits', 'maxOrderNotional'], 'must not exceed maxPositionNotionalPerInstrument');
  if (compareDecimal(l.maxPositionNotionalPerInstrument, l.maxGrossExposure) > 0) issue(['limits', 'maxPositionNotionalPerInstrument'], 'must not exceed maxGrossExposure');
  if (compareDecimal(l.maxNetExposure, l.maxGrossExposure) > 0) issue(['limits', 'maxNetExposure'], 'must not exceed maxGrossExposure');
  if (l.maxMessagesPerSecond > c.broker.maxMessagesPerSecond) issue(['limits', 'maxMessagesPerSecond'], `must not exceed broker.maxMessagesPerSecond (${c.broker.maxMessagesPerSecond})`);

  for (const [id, a] of Object.entries(c.alerts)) {
    const boolMetric = a.metric === 'broker_connected';
    if (boolMetric !== (typeof a.threshold === 'boolean')) issue(['alerts', id, 'threshold'], boolMetric ? 'a boolean for broker_connected' : 'a number');
    if (typeof a.threshold === 'boolean' && a.comparison !== 'equals') issue(['alerts', id, 'comparison'], 'a boolean threshold compares with equals');
  }

  uniqueNames(c.schedules.map((s) => s.name)).forEach((i) => issue(['schedules', i, 'name'], 'duplicate name'));

  if (tradingDaysIn(c.risk.history.duration) < c.risk.varWindowDays + 1) issue(['risk', 'history', 'duration'], `must span at least varWindowDays + 1 = ${c.risk.varWindowDays + 1} trading days`);

  if (c.aws.primaryRegion === c.aws.drRegion) issue(['aws', 'drRegion'], 'must differ from primaryRegion');
  if (c.env !== 'local' && c.aws.account === undefined) issue(['aws', 'account'], `required for the ${c.env} environment`);
  if (c.env === 'prod' && c.retention.auditYears < 7) issue(['retention', 'auditYears'], 'prod keeps the audit trail at least 7 years');
  if (c.notifications.subscribeContactEmails && c.env !== 'prod') issue(['notifications', 'subscribeContactEmails'], 'email subscriptions are for prod only');

  const ports = [c.local.apiPort, c.local.ibSimPort, c.local.ibSimAdminPort];
  if (new Set(ports).size !== ports.length) issue(['local'], 'apiPort, ibSimPort and ibSimAdminPort must differ');
}).transform((c) => ({
  ...c,
  broker: { ...c.broker, port: c.broker.port ?? IB_GATEWAY_PORTS[c.account.mode] },
}));

/** Input shape (what a YAML file may say) and output shape (what the code receives). */
export type AppConfigInput = z.input<typeof AppConfigSchema>;
export type AppConfig = z.output<typeof AppConfigSchema>;

/** Indexes of entries whose name already appeared earlier in the list. */
function uniqueNames(names: readonly string[]): number[] {
  const seen = new Set<string>();
  const dupes: number[] = [];
  names.forEach((n, i) => {
    if (seen.has(n)) dupes.push(i);
    seen.add(n);
  });
  return dupes;
}
