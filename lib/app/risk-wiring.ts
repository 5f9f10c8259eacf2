import { isTradingDay, tradingDayOf } from '../core/calendar/nyse.js';
import { parseEvent } from '../core/events/catalog.js';
import type { EventHandler } from '../ports/events.js';
import type { RiskPolicy, RiskStore } from '../ports/risk.js';
import type { RiskView } from './pretrade/check-tasks.js';
import type { AgentDeps } from './agents.js';
import { createRiskAgent, type RiskAgent } from './risk/risk-agent.js';
import { storedHistoryReturns } from './risk/stored-history.js';
import { createPretradeProposer } from './risk/propose-via-pretrade.js';
import type { ProposeOrders } from './risk/propose.js';

/** The risk agent's settings (mapped from config by the composition root). */
export interface RiskSettings {
  policy: RiskPolicy;
  /** At most one event-triggered cycle per this many ms. */
  minIntervalMs: number;
  /** Days of the VaR window a symbol may lack a close before it is left out and alerted (config `risk.maxMissingDays`). */
  maxMissingDays: number;
  lotSizes: Readonly<Record<string, number>>;
}

/** Orders a risk action proposes go through the CIO's pre-trade path, like every other order. */
export function proposeOrdersFor(deps: AgentDeps): ProposeOrders {
  return createPretradeProposer(
    { workflows: deps.workflows, orders: deps.stores.orders, commands: deps.commands, publisher: deps.publisher, clock: deps.clock, newId: deps.newId, logger: deps.logger.child({ component: 'risk-proposer' }) },
    { ...(deps.settings.accountId === undefined ? {} : { accountId: deps.settings.accountId }), agentVersion: deps.settings.cio.agentVersion },
  );
}

const agents = new WeakMap<AgentDeps, RiskAgent>();

/**
 * One risk agent per set of dependencies: the bus handler (fills, positions) and the schedule share
 * it, so its coalescing and its single in-flight cycle hold across both.
 */
export function riskAgentFor(deps: AgentDeps, options: { defer?: (fn: () => void, ms: number) => void } = {}): RiskAgent {
  let agent = agents.get(deps);
  if (!agent) {
    const s = deps.settings.risk;
    agent = createRiskAgent(
      { stores: deps.stores, notifier: deps.notifier, publisher: deps.publisher, clock: deps.clock, logger: deps.logger.child({ agent: 'risk-agent' }), newId: deps.newId, proposeOrders: proposeOrdersFor(deps) },
      {
        policy: s.policy,
        // Both runtimes: the broker's daily bars as the bridge stored them (never synthetic returns).
        returns: storedHistoryReturns(deps.stores.priceHistory, { window: s.policy.window, maxMissingDays: s.maxMissingDays, clock: deps.clock }),
        lotSize: (symbol) => s.lotSizes[symbol] ?? 1,
        minIntervalMs: s.minIntervalMs,
        ...(options.defer === undefined ? {} : { defer: options.defer }),
      },
    );
    agents.set(deps, agent);
  }
  return agent;
}

/**
 * The risk agent's bus handler: fills and positions trigger a (coalesced) cycle; a scheduled
 * `RiskCycleRequested` runs one, unless it is for trading days only and today is not one.
 */
export function riskAgentHandler(deps: AgentDeps): EventHandler {
  const agent = riskAgentFor(deps);
  return async (event) => {
    if (event.detailType !== 'RiskCycleRequested') return agent.handle(event);
    const e = parseEvent(event);
    if (e.detailType !== 'RiskCycleRequested') return;
    if (e.detail.tradingDaysOnly && !isTradingDay(tradingDayOf(deps.clock.now()))) {
      deps.logger.info('scheduled risk cycle skipped: not a trading day', { schedule: e.detail.schedule });
      return;
    }
    await agent.runScheduled();
  };
}

/** The pre-trade tasks' view of risk: the last cycle's VaR and marginals (lib/app/pretrade/check-tasks.ts). */
export function riskViewFrom(risk: Pick<RiskStore, 'getSnapshot'>): () => Promise<RiskView | undefined> {
  return async () => {
    const s = await risk.getSnapshot();
    return s === undefined ? undefined : { var: s.var.var, marginal: Object.fromEntries(s.var.components.map((c) => [c.symbol, c.marginal])) };
  };
}
