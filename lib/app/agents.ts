import type { Clock } from '../core/shared/clock.js';
import type { CommandQueue } from '../ports/command-queue.js';
import type { EventHandler, EventPublisher } from '../ports/events.js';
import type { Logger } from '../ports/logger.js';
import type { Notifier } from '../ports/notifier.js';
import type { AccountStore, AuditLog, FillStore, HealthStore, OrderStore, PositionStore, QuoteStore, TradingStateStore } from '../ports/stores.js';
import type { WorkflowRunner } from '../ports/workflows.js';
import { AGENTS } from '../catalog/agents.js';
import { createAuditRecorder } from './audit/audit-recorder.js';

/**
 * What agents may use; each runtime's composition root provides it (in AWS only what the agent's
 * catalog `needs` grant is wired; the rest throws on first use).
 */
export interface AgentDeps {
  stores: {
    tradingState: TradingStateStore;
    orders: OrderStore;
    fills: FillStore;
    positions: PositionStore;
    accounts: AccountStore;
    quotes: QuoteStore;
    health: HealthStore;
    audit: AuditLog;
  };
  publisher: EventPublisher;
  commands: CommandQueue;
  workflows: WorkflowRunner;
  notifier: Notifier;
  clock: Clock;
  /** Event and correlation ids (ULIDs locally and in AWS). */
  newId: () => string;
  logger: Logger;
}

/** Handler factory per catalogued agent — the Lambda entries and the local agent host call these. */
export const AGENT_HANDLERS: Readonly<Record<string, (deps: AgentDeps) => EventHandler>> = {
  'audit-recorder': (deps) => createAuditRecorder({ audit: deps.stores.audit }),
};

// Fail at import, not at the first event, if the catalog names an agent nobody implements.
for (const a of AGENTS) if (!AGENT_HANDLERS[a.name]) throw new Error(`agent ${a.name} is catalogued but has no handler in lib/app/agents.ts`);
