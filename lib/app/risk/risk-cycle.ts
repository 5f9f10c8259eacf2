import { tradingDayOf } from '../../core/calendar/nyse.js';
import { markOf } from '../../core/market/mark.js';
import type { DecimalString } from '../../core/money/decimal-string.js';
import { add, max, parseDecimal, sum, toMoneyString, ZERO } from '../../core/money/fixed.js';
import { aggregatePnl, markPosition } from '../../core/positions/pnl.js';
import type { Position } from '../../core/positions/position.js';
import { reaches } from '../../core/metrics/threshold.js';
import { classifyLeverage, LEVERAGE_LEVELS, varReport, VAR_ALERT_LEVELS, type UtilizationLevels, type VarReport } from '../../core/risk/limits.js';
import { dailyLossCheck, dailyPnl, drawdown, exposure, exposureVector, leverage, type Marks } from '../../core/risk/metrics.js';
import { reduceForVarPlan, type VarReductionPlan } from '../../core/risk/reduce.js';
import type { ReturnsMatrix } from '../../core/risk/returns-matrix.js';
import { historicalVar } from '../../core/risk/var-historical.js';
import { parametricVar } from '../../core/risk/var-parametric.js';
import type { Clock } from '../../core/shared/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { EventPublisher } from '../../ports/events.js';
import { createEvent } from '../../core/events/catalog.js';
import type { Audience, Notifier } from '../../ports/notifier.js';
import { isActive, type RiskAlertRule, type RiskAlertState, type RiskPolicy, type RiskSnapshot, type RiskStore, type StartOfDay, type VarHistory } from '../../ports/risk.js';
import type { AccountStore, AuditLog, PositionStore, QuoteStore } from '../../ports/stores.js';
import type { ProposedOrderOutcome, ProposeOrders } from './propose.js';

/** The audit actor of everything the risk agent does on its own. */
export const RISK_AGENT_ACTOR = 'risk-agent';

/** Daily returns of the symbols asked for that have a usable history, and what that history is. */
export interface VarReturns {
  /** Rows for the covered symbols (any order: the matrix names them); undefined when none is covered. */
  matrix: ReturnsMatrix | undefined;
  history: VarHistory;
}

/**
 * Daily returns for the symbols held. Both runtimes: `storedHistoryReturns` over the price-history
 * store (the bridge's daily bars); `syntheticReturns` only in tests and benches.
 */
export type ReturnsSource = (symbols: readonly string[]) => VarReturns | Promise<VarReturns>;

export interface RiskCycleDeps {
  stores: {
    positions: Pick<PositionStore, 'list'>;
    quotes: Pick<QuoteStore, 'list'>;
    accounts: Pick<AccountStore, 'list'>;
    risk: RiskStore;
    audit: AuditLog;
  };
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** A fresh id per cycle (its correlation id). */
  newId: () => string;
  /** Where the cycle's key metrics go (RiskMetricsComputed: the dashboard and its alarms). Absent: not published. */
  publisher?: EventPublisher | undefined;
  /** Where `var_critical`'s reduce_positions orders go (the CIO / pre-trade path). Absent: the plan is audited and notified, not proposed. */
  proposeOrders?: ProposeOrders | undefined;
}

export interface RiskCycleOptions {
  policy: RiskPolicy;
  returns: ReturnsSource;
  /** Lot size per symbol for reduction plans; default 1. */
  lotSize?: (symbol: string) => number;
}

export interface RiskCycleResult {
  snapshot: RiskSnapshot;
  /** Alerts raised by this cycle (not those already active). */
  raised: RiskAlertState[];
  /** Alerts re-armed because their condition cleared after a forced reset. */
  rearmed: string[];
  reduction?: { plan: VarReductionPlan; outcomes: ProposedOrderOutcome[] };
}

/** The VaR utilisation levels the report classifies with: the lowest and the acting (or highest) VaR alert. */
export function varLevels(policy: RiskPolicy): UtilizationLevels {
  const rules = policy.alerts.filter((a) => a.metric === 'portfolio_var_utilization');
  if (rules.length === 0) return VAR_ALERT_LEVELS;
  const thresholds = rules.map((r) => r.threshold);
  const acting = rules.find((r) => r.action === 'reduce_positions')?.threshold ?? Math.max(...thresholds);
  return { warning: Math.min(...thresholds), critical: Math.max(acting, Math.min(...thresholds)) };
}

function leverageLevels(policy: RiskPolicy): UtilizationLevels {
  const t = policy.alerts.filter((a) => a.metric === 'leverage').map((r) => r.threshold);
  return t.length === 0 ? LEVERAGE_LEVELS : { warning: Math.min(...t), critical: Math.max(...t) };
}

/**
 * One risk cycle (the runbook's 15-minute check; also run on fills and position changes): VaR by
 * historical simulation and parametric with components, exposure, leverage, P&L (realised,
 * unrealised, daily against the start of the New York trading day), intraday drawdown; stores the
 * snapshot, then raises each alert whose condition holds — once, until reset — notifying its
 * audience and running its action (`reduce_positions`: a plan handed to `proposeOrders`).
 * @example
 * await runRiskCycle(deps, { policy, returns: storedHistoryReturns(stores.priceHistory, { window: policy.window, clock }) });
 */
export async function runRiskCycle(deps: RiskCycleDeps, options: RiskCycleOptions): Promise<RiskCycleResult> {
  const correlationId = deps.newId();
  const log = deps.logger.child({ component: 'risk-agent', correlationId });
  const now = deps.clock.now();
  const at = now.toISOString();
  const day = tradingDayOf(now);
  const { policy } = options;
  const [positions, quotes, accounts, previous] = await Promise.all([deps.stores.positions.list(), deps.stores.quotes.list(), deps.stores.accounts.list(), deps.stores.risk.getSnapshot()]);

  // Marks: the latest quote, else the broker's own mark on the position.
  const marks: Record<string, DecimalString> = {};
  for (const p of positions) if (p.marketPrice !== undefined) marks[p.symbol] = p.marketPrice;
  for (const q of quotes) {
    const m = markOf(q);
    if (m !== undefined) marks[q.symbol] = m;
  }
  const open = positions.filter((p) => p.quantity !== 0);
  const vars = await computeVar(open, marks, policy, options.returns);

  const exp = exposure(positions, marks);
  const netLiquidation = accounts.length === 0 ? null : toMoneyString(sum(accounts.map((a) => parseDecimal(a.netLiquidation))));
  const lev = netLiquidation === null ? null : leverage(exp.gross, netLiquidation);
  const leverageState = netLiquidation === null ? { value: null, level: 'unknown' as const } : { value: lev === null ? null : round4(lev), level: classifyLeverage(lev, leverageLevels(policy)) };

  const totals = aggregatePnl(positions.map((p) => (marks[p.symbol] === undefined ? p : markPosition(p, marks[p.symbol]!))));
  const pnl = { realized: toMoneyString(parseDecimal(totals.realizedPnl)), unrealized: toMoneyString(parseDecimal(totals.unrealizedPnl)), total: toMoneyString(parseDecimal(totals.totalPnl)) };
  const startOfDay = await startOfDayFor(deps.stores.risk, previous, day, pnl, at);
  const daily = dailyPnl(startOfDay, { realizedPnl: pnl.realized, unrealizedPnl: pnl.unrealized });
  const loss = dailyLossCheck(daily.total, policy.dailyLossLimit);
  const dailyLossUtilization = round4(Number(loss.loss) / Number(loss.limit));

  const snapshot: RiskSnapshot = {
    computedAt: at,
    tradingDay: day,
    var: vars.historical,
    parametric: vars.parametric,
    history: vars.history,
    coverage: { uncovered: vars.uncovered, unmarked: exp.unmarked },
    exposure: { gross: exp.gross, net: exp.net, long: exp.long, short: exp.short, positions: exp.positions },
    netLiquidation,
    leverage: leverageState,
    pnl,
    startOfDay,
    daily: { ...daily, ...loss },
    drawdown: intradayDrawdown(previous, day, netLiquidation === null ? { basis: 'pnl', equity: pnl.total } : { basis: 'netLiquidation', equity: netLiquidation }),
    utilization: { var: vars.historical.utilization, parametricVar: vars.parametric.utilization, dailyLoss: dailyLossUtilization },
    conditions: {},
    policy,
  };
  for (const rule of policy.alerts) snapshot.conditions[rule.name] = conditionOf(rule, snapshot);
  await deps.stores.risk.putSnapshot(snapshot);
  log.info('risk computed', { var: snapshot.var.var, utilization: snapshot.var.utilization, leverage: leverageState.value, dailyPnl: daily.total, history: { source: vars.history.source, asOf: vars.history.asOf, window: vars.history.window } });
  if (vars.history.gaps.length > 0) log.warn('VaR leaves out held symbols without a usable price history', { gaps: vars.history.gaps });
  if (deps.publisher !== undefined) {
    const metrics = { computedAt: at, var: snapshot.var.var, limit: snapshot.var.limit, varUtilization: Math.max(0, snapshot.var.utilization), dailyLossUtilization, ...(leverageState.value === null ? {} : { leverage: Math.max(0, leverageState.value) }) };
    await deps.publisher.publish([createEvent('RiskMetricsComputed', metrics, { eventId: deps.newId(), now, correlationId })]);
  }

  const result: RiskCycleResult = { snapshot, raised: [], rearmed: [] };
  const existing = new Map((await deps.stores.risk.listAlerts()).map((a) => [a.name, a]));
  for (const rule of policy.alerts) {
    const condition = snapshot.conditions[rule.name]!;
    const current = existing.get(rule.name);
    if (!condition.holds) {
      if (current?.holdUntilClear === true) {
        await deps.stores.risk.rearm(rule.name);
        result.rearmed.push(rule.name);
      }
      continue;
    }
    if (current !== undefined && (isActive(current) || current.holdUntilClear)) continue;
    const alert: RiskAlertState = { name: rule.name, metric: rule.metric, severity: rule.severity, value: condition.value, threshold: rule.threshold, message: alertMessage(rule, snapshot), raisedAt: at, holdUntilClear: false };
    if (!(await deps.stores.risk.raiseIfInactive(alert))) continue; // a concurrent cycle raised it
    result.raised.push(alert);
    log.warn('risk alert raised', { alert: rule.name, value: condition.value, threshold: rule.threshold });
    await deps.stores.audit.append({ actor: RISK_AGENT_ACTOR, action: 'RISK_ALERT_RAISED', subject: `risk-alert:${rule.name}`, data: { ...alert, var: snapshot.var.var, limit: snapshot.var.limit }, correlationId });
    await deps.notifier.notify({ audience: rule.notify as Audience[], severity: rule.severity, subject: `[${rule.severity}] ${rule.name}`, message: alert.message, correlationId, data: { alert: rule.name, value: condition.value, threshold: rule.threshold, action: rule.action ?? null } });
    if (rule.action === 'reduce_positions' && vars.matrix !== undefined && result.reduction === undefined) {
      result.reduction = await reducePositions(deps, { open, marks, matrix: vars.matrix, policy, lotSize: options.lotSize, correlationId, log, rule });
    }
  }
  return result;
}

interface VarFigures {
  historical: VarReport;
  parametric: VarReport;
  history: VarHistory;
  uncovered: string[];
  /** The matrix VaR was computed on; absent with no open, marked, covered position. */
  matrix: ReturnsMatrix | undefined;
}

async function computeVar(open: Position[], marks: Marks, policy: RiskPolicy, source: ReturnsSource): Promise<VarFigures> {
  const limit = Number(policy.varLimit);
  const levels = varLevels(policy);
  const symbols = [...new Set(open.map((p) => p.symbol))].sort();
  const none = (method: 'historical' | 'parametric'): VarReport => varReport({ method, confidence: policy.confidence, window: 0, var: 0, components: new Float64Array(0), marginal: new Float64Array(0) }, [], [], limit, levels);
  if (symbols.length === 0) return { historical: none('historical'), parametric: none('parametric'), history: NO_HISTORY_NEEDED, uncovered: [], matrix: undefined };
  const { matrix, history } = await source(symbols);
  // No symbol with a usable history: VaR is 0 over nothing, every position uncovered — and the gaps alerted, never filled.
  const { exposures, uncovered } = exposureVector(matrix?.symbols ?? [], open, marks);
  if (matrix === undefined || exposures.every((e) => e === 0)) return { historical: none('historical'), parametric: none('parametric'), history, uncovered, matrix: undefined };
  const opts = { confidence: policy.confidence, window: Math.min(policy.window, matrix.days) };
  return {
    history,
    historical: varReport(historicalVar(matrix, exposures, opts), matrix.symbols, exposures, limit, levels),
    // totals only: the decomposition served is the historical one, and a second component list would double the snapshot item (DynamoDB's 400 KB)
    parametric: { ...varReport(parametricVar(matrix, exposures, opts), matrix.symbols, exposures, limit, levels), components: [] },
    uncovered,
    matrix,
  };
}

/** Nothing held, nothing read. */
const NO_HISTORY_NEEDED: VarHistory = Object.freeze({ source: 'none', window: 0, from: null, asOf: null, symbols: [], gaps: [] }) as VarHistory;

/** Today's start of day: stored once per New York trading day; the previous day's last snapshot is its close. */
async function startOfDayFor(store: RiskStore, previous: RiskSnapshot | undefined, day: string, pnl: { realized: string; unrealized: string }, at: string): Promise<StartOfDay> {
  if (previous?.tradingDay === day) return previous.startOfDay;
  const candidate: StartOfDay =
    previous === undefined
      ? { day, realizedPnl: pnl.realized, unrealizedPnl: pnl.unrealized, takenAt: at, source: 'first_cycle' }
      : { day, realizedPnl: previous.pnl.realized, unrealizedPnl: previous.pnl.unrealized, takenAt: previous.computedAt, source: 'previous_snapshot' };
  return store.putStartOfDayIfAbsent(candidate);
}

/** Running peak and max fall of equity since the day's first cycle, carried in the snapshot (O(1) per cycle). */
function intradayDrawdown(previous: RiskSnapshot | undefined, day: string, now: { basis: 'netLiquidation' | 'pnl'; equity: DecimalString }): RiskSnapshot['drawdown'] {
  const prev = previous?.tradingDay === day && previous.drawdown.basis === now.basis ? previous.drawdown : undefined;
  const d = drawdown(prev === undefined ? [now.equity] : [prev.peak, now.equity]);
  const peak = prev === undefined ? parseDecimal(now.equity) : max(parseDecimal(prev.peak), parseDecimal(now.equity));
  const keepPrevMax = prev !== undefined && parseDecimal(prev.max) > parseDecimal(d.max);
  return {
    basis: now.basis,
    peak: toMoneyString(add(peak, ZERO)),
    current: d.current,
    currentFraction: d.currentFraction === null ? null : round4(d.currentFraction),
    max: keepPrevMax ? prev.max : d.max,
    maxFraction: keepPrevMax ? prev.maxFraction : d.maxFraction === null ? null : round4(d.maxFraction),
  };
}

/**
 * The rule's metric now and whether its threshold is reached (`reaches`: a WARNING at the
 * threshold, a CRITICAL past it). Leverage with no equity holds; without an account summary it is
 * unknown and does not. A history-gap count holds from the threshold.
 */
export function conditionOf(rule: RiskAlertRule, s: Pick<RiskSnapshot, 'utilization' | 'leverage' | 'history'>): RiskSnapshot['conditions'][string] {
  switch (rule.metric) {
    case 'var_history_gaps': {
      const gaps = s.history?.gaps.length ?? 0;
      return { metric: rule.metric, value: gaps, threshold: rule.threshold, holds: gaps >= rule.threshold };
    }
    case 'portfolio_var_utilization':
      return { metric: rule.metric, value: s.utilization.var, threshold: rule.threshold, holds: reaches(rule.severity, 'above', s.utilization.var, rule.threshold) };
    case 'daily_loss_utilization':
      return { metric: rule.metric, value: s.utilization.dailyLoss, threshold: rule.threshold, holds: reaches(rule.severity, 'above', s.utilization.dailyLoss, rule.threshold) };
    case 'leverage': {
      const { value, level } = s.leverage;
      if (level === 'unknown') return { metric: rule.metric, value: null, threshold: rule.threshold, holds: false };
      return { metric: rule.metric, value, threshold: rule.threshold, holds: value === null || reaches(rule.severity, 'above', value, rule.threshold) };
    }
  }
}

function alertMessage(rule: RiskAlertRule, s: RiskSnapshot): string {
  switch (rule.metric) {
    case 'portfolio_var_utilization':
      return `VaR ${s.var.var} is ${(s.var.utilization * 100).toFixed(1)}% of the ${s.var.limit} limit (threshold ${rule.threshold * 100}%)${rule.action === 'reduce_positions' ? '; reducing positions' : ''}`;
    case 'leverage':
      return s.leverage.value === null ? 'leverage unbounded: net liquidation is not positive' : `leverage ${s.leverage.value}× is at or above ${rule.threshold}×`;
    case 'daily_loss_utilization':
      return `daily loss ${s.daily.loss} exceeds the daily loss limit ${s.daily.limit} — escalate`;
    case 'var_history_gaps': {
      const gaps = s.history?.gaps ?? [];
      return `VaR leaves out ${gaps.length} held symbol(s) without a usable price history (${gaps.map((g) => `${g.symbol}: ${g.reason}`).join(', ')}); VaR is understated until the history is loaded`;
    }
  }
}

async function reducePositions(
  deps: RiskCycleDeps,
  c: { open: Position[]; marks: Marks; matrix: ReturnsMatrix; policy: RiskPolicy; lotSize: ((s: string) => number) | undefined; correlationId: string; log: Logger; rule: RiskAlertRule },
): Promise<{ plan: VarReductionPlan; outcomes: ProposedOrderOutcome[] }> {
  const opts = { confidence: c.policy.confidence, window: Math.min(c.policy.window, c.matrix.days) };
  const plan = reduceForVarPlan({
    positions: c.open.map((p) => ({ symbol: p.symbol, quantity: p.quantity, lotSize: c.lotSize?.(p.symbol) ?? 1 })),
    marks: c.marks,
    symbols: c.matrix.symbols,
    evaluate: (e) => historicalVar(c.matrix, e, opts),
    limit: Number(c.policy.varLimit),
    targetUtilization: varLevels(c.policy).warning,
  });
  let outcomes: ProposedOrderOutcome[] = [];
  let proposal: 'proposed' | 'nothing_to_do' | 'not_wired' | 'failed' = 'proposed';
  if (plan.orders.length === 0) proposal = 'nothing_to_do';
  else if (deps.proposeOrders === undefined) proposal = 'not_wired';
  else {
    try {
      outcomes = await deps.proposeOrders(plan.orders, { source: 'var_critical', requestedBy: RISK_AGENT_ACTOR, note: `${c.rule.name}: reduce_positions`, correlationId: c.correlationId });
    } catch (e) {
      proposal = 'failed';
      c.log.error('reduce_positions: proposing the orders failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }
  await deps.stores.audit.append({
    actor: RISK_AGENT_ACTOR,
    action: 'RISK_REDUCE_POSITIONS',
    subject: `risk-alert:${c.rule.name}`,
    data: { proposal, before: plan.before, after: plan.after, reached: plan.reached, orders: plan.orders, untouched: plan.untouched, outcomes },
    correlationId: c.correlationId,
  });
  if (proposal === 'not_wired' || proposal === 'failed') {
    await deps.notifier.notify({ audience: ['oncall', 'risk_manager'], severity: 'CRITICAL', subject: '[CRITICAL] reduce_positions not executed', message: `the VaR reduction plan (${plan.orders.length} orders) could not be proposed (${proposal}); reduce by hand: tradeops reduce-position`, correlationId: c.correlationId, data: { orders: plan.orders } });
  }
  return { plan, outcomes };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0;
