import { z } from 'zod';
import { tradingDayOf } from '../../core/calendar/nyse.js';
import { markOf } from '../../core/market/mark.js';
import { add, parseDecimal, sum, toDecimalString, ZERO } from '../../core/money/fixed.js';
import { markPosition } from '../../core/positions/pnl.js';
import { checkCompliance, checkRisk, type PretradeResult } from '../../core/pretrade/check.js';
import { prepareContext, type BlackoutWindow, type PretradeContextInput } from '../../core/pretrade/context.js';
import type { ComplianceRulesInput, RiskLimitsInput } from '../../core/pretrade/limits.js';
import { prepareOrder } from '../../core/pretrade/order.js';
import { marginalVarOf } from '../../core/pretrade/marginal-var.js';
import type { Quote } from '../../core/market/quote.js';
import type { Order } from '../../core/orders/order.js';
import { ClientOrderIdSchema } from '../../core/shared/ids.js';
import type { Clock } from '../../core/shared/clock.js';
import { InvariantError } from '../../core/shared/errors.js';
import type { AccountStore, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../../ports/stores.js';
import type { WorkflowTaskHandler } from '../../ports/workflows.js';
import type { SystemPhaseStore } from '../../ports/system-phase.js';
import { lifecycleDenial } from '../lifecycle/admission.js';

/** The firm's pre-trade policy: limits, compliance thresholds and lists (mapped from config by the composition root). */
export interface PretradePolicy {
  limits: RiskLimitsInput;
  compliance: ComplianceRulesInput;
  restrictedSymbols: readonly string[];
  noShortSymbols: readonly string[];
  blackoutWindows: readonly BlackoutWindow[];
}

export interface CheckTaskDeps {
  /** `systemPhase` (lifecycle, issue 4): both runtimes pass it; absent only in unit tests of the rules. */
  stores: { tradingState: TradingStateStore; orders: OrderStore; positions: PositionStore; quotes: QuoteStore; accounts: AccountStore; systemPhase?: SystemPhaseStore };
  /**
   * The risk agent's latest view: portfolio VaR (99 %, 1 day) and the marginal VaR per unit of
   * exposure by symbol; undefined before its first cycle (the VaR rule then warns, not denies).
   */
  riskView: () => Promise<RiskView | undefined>;
  policy: PretradePolicy;
  clock: Clock;
}

export interface RiskView {
  var: string;
  marginal: Readonly<Record<string, number>>;
}

const TaskInputSchema = z.object({ clientOrderId: ClientOrderIdSchema });


/**
 * Reads the current state a check needs, from the same stores in both runtimes. Missing facts the
 * rules cannot do without (trading state, account) throw, so the workflow fails closed.
 */
export async function gatherContext(deps: CheckTaskDeps, order: Order): Promise<PretradeContextInput> {
  const now = deps.clock.now();
  const oneSecondAgo = now.getTime() - 1_000;
  const day = tradingDayOf(now);
  // Slices of the day, not the day: the order-to-trade ratio needs this symbol's counts, the message
  // rate the last second's orders. (Uniqueness of the clientOrderId is the order store's conditional
  // create; the duplicate rule still sees the working orders.)
  const [state, positions, quotes, accounts, working, activity, lastSecond, risk] = await Promise.all([
    deps.stores.tradingState.get(),
    deps.stores.positions.list(),
    deps.stores.quotes.list(),
    deps.stores.accounts.list(),
    deps.stores.orders.listWorking(),
    deps.stores.orders.activityByDay(day, order.symbol),
    deps.stores.orders.listByDay(day, { updatedSince: new Date(oneSecondAgo).toISOString() }),
    deps.riskView(),
  ]);
  if (!state) throw new InvariantError('PRETRADE.NO_TRADING_STATE', 'no trading-state record: refusing to approve');
  const account = (order.account ? accounts.find((a) => a.account === order.account) : undefined) ?? accounts[0];
  if (!account) throw new InvariantError('PRETRADE.NO_ACCOUNT', 'no account summary from the broker yet: refusing to approve');
  const quoteBy = new Map(quotes.map((q) => [q.symbol as string, q]));
  const marked = positions.map((p) => {
    const m = markOf(quoteBy.get(p.symbol)) ?? p.marketPrice;
    return m === undefined ? p : markPosition(p, m);
  });
  return {
    asOf: now,
    tradingMode: state.mode,
    limits: deps.policy.limits,
    compliance: deps.policy.compliance,
    account: { netLiquidation: account.netLiquidation, buyingPower: account.buyingPower },
    positions: marked,
    quotes,
    workingOrders: working.filter((o) => o.clientOrderId !== order.clientOrderId),
    dailyPnl: {
      realized: toDecimalString(sum(marked.map((p) => parseDecimal(p.realizedPnl)))),
      unrealized: toDecimalString(marked.reduce((acc, p) => add(acc, parseDecimal(p.unrealizedPnl ?? '0')), ZERO)),
    },
    ...(risk === undefined ? {} : { var: { current: risk.var } }),
    messagesInWindow: lastSecond.filter((o) => o.clientOrderId !== order.clientOrderId && Date.parse(o.updatedAt) >= oneSecondAgo && o.status !== 'PROPOSED' && o.status !== 'DENIED').length,
    orderActivity: activity,
    restrictedSymbols: deps.policy.restrictedSymbols,
    noShortSymbols: deps.policy.noShortSymbols,
    blackoutWindows: deps.policy.blackoutWindows,
  };
}

/** The order's marginal VaR from the risk agent's marginals, priced at its limit or the mark. */
async function marginalVarFor(deps: CheckTaskDeps, order: Order, ctx: PretradeContextInput): Promise<{ marginalVar?: string }> {
  const risk = await deps.riskView();
  const marginal = risk?.marginal[order.symbol];
  const price = order.limitPrice ?? markOf(ctx.quotes.find((q) => q.symbol === order.symbol) as Quote | undefined);
  return marginal === undefined || price === undefined ? {} : { marginalVar: marginalVarOf(marginal, order.side, order.quantity, price) };
}

function task(deps: CheckTaskDeps, check: typeof checkRisk): WorkflowTaskHandler {
  return async (input) => {
    const { clientOrderId } = TaskInputSchema.parse(input);
    const order = await deps.stores.orders.get(clientOrderId);
    if (!order) throw new InvariantError('PRETRADE.UNKNOWN_ORDER', `no order ${clientOrderId}`);
    // lifecycle (issue 4): while the system is not READY (draining, stopped, starting) no new order
    // passes; the risk check says so, so the order is DENIED with SYSTEM.* as its reason code.
    if (check === checkRisk) {
      const denial = await lifecycleDenial(deps.stores.systemPhase);
      if (denial) return { approved: false, reducesExposure: false, reasons: [denial], warnings: [] };
    }
    const ctx = await gatherContext(deps, order);
    const result: PretradeResult = check(prepareOrder({ ...order, ...(await marginalVarFor(deps, order, ctx)) }), prepareContext(ctx));
    return { approved: result.approved, reducesExposure: result.reducesExposure, reasons: result.reasons, warnings: result.warnings };
  };
}

/** The `RiskCheck` Task state of statemachines/pretrade.asl.json. */
export const createRiskCheckTask = (deps: CheckTaskDeps): WorkflowTaskHandler => task(deps, checkRisk);
/** The `ComplianceCheck` Task state of statemachines/pretrade.asl.json. */
export const createComplianceCheckTask = (deps: CheckTaskDeps): WorkflowTaskHandler => task(deps, checkCompliance);
