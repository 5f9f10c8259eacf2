import type { Clock } from '../core/shared/clock.js';
import type { StateStores } from '../ports/state-stores.js';
import type { CommandQueue } from '../ports/command-queue.js';
import type { EventHandler, EventPublisher } from '../ports/events.js';
import type { Logger } from '../ports/logger.js';
import type { Notifier } from '../ports/notifier.js';
import type { WorkflowRunner } from '../ports/workflows.js';
import type { MetricsSink } from '../ports/metrics.js';
import type { KeyMetricAlert } from '../core/metrics/key-metrics.js';
import { createKeyMetricsAgent } from './metrics/key-metrics-agent.js';
import { AGENTS } from '../catalog/agents.js';
import { createAuditRecorder } from './audit/audit-recorder.js';
import { createCioPipeline } from './cio/cio-pipeline.js';
import type { CioConfig } from '../core/cio/config.js';
import type { SurveillanceRules } from '../core/surveillance/rules.js';
import { createExecutionAgent } from './execution/execution-agent.js';
import { createSurveillanceAgent } from './surveillance/surveillance-agent.js';
import { riskAgentHandler, type RiskSettings } from './risk-wiring.js';
// broker resilience (issue 4)
import { createBrokerWatch, DEFAULT_BROKER_WATCH_ALERT, type BrokerWatchSettings } from './broker-watch/broker-watch.js';

/**
 * What agents may use; each runtime's composition root provides it (in AWS only what the agent's
 * catalog `needs` grant is wired; the rest throws on first use).
 */
export interface AgentDeps {
  stores: StateStores;
  publisher: EventPublisher;
  commands: CommandQueue;
  workflows: WorkflowRunner;
  notifier: Notifier;
  clock: Clock;
  /** Event and correlation ids (ULIDs locally and in AWS). */
  newId: () => string;
  logger: Logger;
  /** Key-metric samples: CloudWatch EMF in AWS, the JSON log locally. */
  metrics: MetricsSink;
  /** The firm's settings agents act on (mapped from config by the composition root). */
  settings: { cio: CioConfig; accountId?: string | undefined; maxQuoteAgeMs?: number | undefined; surveillance: SurveillanceRules; risk: RiskSettings; alerts: KeyMetricAlert[]; brokerWatch?: BrokerWatchSettings | undefined };
}

/** Handler factory per catalogued agent — the Lambda entries and the local agent host call these. */
export const AGENT_HANDLERS: Readonly<Record<string, (deps: AgentDeps) => EventHandler>> = {
  'audit-recorder': (deps) => createAuditRecorder({ audit: deps.stores.audit }),
  'execution-agent': (deps) =>
    createExecutionAgent({ records: deps.stores.executions, orders: deps.stores.orders, fills: deps.stores.fills, publisher: deps.publisher, ids: deps.newId, clock: deps.clock, logger: deps.logger.child({ agent: 'execution-agent' }) }),
  'surveillance-agent': (deps) =>
    createSurveillanceAgent({
      activity: deps.stores.surveillanceActivity,
      alerts: deps.stores.complianceAlerts,
      orders: deps.stores.orders,
      quotes: deps.stores.quotes,
      audit: deps.stores.audit,
      publisher: deps.publisher,
      rules: () => deps.settings.surveillance,
      ids: deps.newId,
      clock: deps.clock,
      logger: deps.logger.child({ agent: 'surveillance-agent' }),
    }),
  'risk-agent': (deps) => riskAgentHandler(deps),
  'metrics-agent': (deps) => createKeyMetricsAgent({ sink: deps.metrics, store: deps.stores.keyMetrics, clock: deps.clock }),
  // broker resilience (issue 4)
  'broker-watch': (deps) =>
    createBrokerWatch({
      tradingState: deps.stores.tradingState,
      health: deps.stores.health,
      publisher: deps.publisher,
      notifier: deps.notifier,
      clock: deps.clock,
      newId: deps.newId,
      logger: deps.logger.child({ agent: 'broker-watch' }),
      settings: () => deps.settings.brokerWatch ?? { alert: DEFAULT_BROKER_WATCH_ALERT, maintenanceWindows: [] },
    }),
  'cio-agent': (deps) =>
    createCioPipeline(
      {
        ...deps.stores,
        publisher: deps.publisher,
        clock: deps.clock,
        ids: { eventId: () => deps.newId() as never },
        logger: deps.logger.child({ agent: 'cio-agent' }),
        pretrade: { workflows: deps.workflows, orders: deps.stores.orders, commands: deps.commands, publisher: deps.publisher, clock: deps.clock, newId: deps.newId, logger: deps.logger.child({ component: 'pretrade' }) },
      },
      { config: deps.settings.cio, ...(deps.settings.accountId === undefined ? {} : { accountId: deps.settings.accountId }), ...(deps.settings.maxQuoteAgeMs === undefined ? {} : { maxQuoteAgeMs: deps.settings.maxQuoteAgeMs }) },
    ),
};

// Fail at import, not at the first event, if the catalog names an agent nobody implements.
for (const a of AGENTS) if (!AGENT_HANDLERS[a.name]) throw new Error(`agent ${a.name} is catalogued but has no handler in lib/app/agents.ts`);
