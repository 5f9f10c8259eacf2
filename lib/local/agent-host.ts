import { AGENTS, type AgentSpec } from '../catalog/agents.js';
import { AGENT_HANDLERS, type AgentDeps } from '../app/agents.js';
import { eventPatternFor, isDetailType } from '../core/events/catalog.js';
import type { InProcessEventBus } from '../adapters/bus/in-process-bus.js';
import type { Clock } from '../core/shared/clock.js';
import type { HealthStore } from '../ports/stores.js';
import type { Logger } from '../ports/logger.js';
import { CONSUMER_DELIVERY_POLICY } from '../core/bus/delivery-policy.js';
import type { DeadLetter } from '../adapters/bus/in-process-bus.js';

/** The local bus rule of an agent: the same name its EventBridge rule has a suffix of in AWS. */
export const agentRuleName = (agent: string): string => `agent-${agent}`;

/**
 * Runs the catalogued agents in-process: one bus rule per agent (the same name and pattern as its
 * EventBridge rule in AWS) and a heartbeat per agent into the health store, judged from the bus's
 * delivery figures: dead letters since the last beat make it `degraded`.
 */
export class LocalAgentHost {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly lastDead = new Map<string, number>();

  constructor(
    private readonly deps: {
      bus: InProcessEventBus;
      health: HealthStore;
      clock: Clock;
      logger: Logger;
      agentDeps: AgentDeps;
      /** Where dead letters are kept beyond the bus's bounded in-memory list (the local DLQ: a file in the data dir). */
      deadLetterSink?: (letter: DeadLetter) => void | Promise<void>;
    },
    private readonly agents: ReadonlyArray<AgentSpec> = AGENTS,
  ) {}

  async start(heartbeatMs: number): Promise<void> {
    for (const agent of this.agents) {
      const factory = AGENT_HANDLERS[agent.name];
      if (!factory) throw new Error(`no handler for agent ${agent.name}`);
      const detailTypes = agent.consumes.filter(isDetailType);
      this.deps.bus.addRule({
        name: agentRuleName(agent.name),
        pattern: eventPatternFor(detailTypes),
        target: factory(this.deps.agentDeps),
        // The retry policy of the agent's EventBridge rule (lib/infra), from the same source.
        retry: { maxAttempts: CONSUMER_DELIVERY_POLICY.retryAttempts + 1, backoffMs: CONSUMER_DELIVERY_POLICY.firstBackoffMs, maxBackoffMs: CONSUMER_DELIVERY_POLICY.maxBackoffMs, maxEventAgeMs: CONSUMER_DELIVERY_POLICY.maxEventAgeMs },
        ...(agent.concurrency === undefined ? {} : { concurrency: agent.concurrency }),
        priority: agent.lane === 'background' ? 'background' : 'foreground',
        dlq: async (letter) => {
          this.deps.logger.error('agent dead-lettered an event', { agent: agent.name, eventId: letter.event.eventId, detailType: letter.event.detailType, error: letter.error.message, correlationId: letter.event.correlationId });
          await this.deps.deadLetterSink?.(letter);
        },
      });
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch((e: unknown) => this.deps.logger.warn('agent heartbeat failed', { error: String(e) })), heartbeatMs);
    this.timer.unref();
  }

  /**
   * Restarts an agent: its subscription stops taking deliveries, those in flight finish, a fresh
   * handler (built by its factory, as a new Lambda container would be) takes over the kept backlog.
   * @throws TradeOpsError `BUS.UNKNOWN_RULE` when the agent is not running here
   */
  async restart(agentName: string): Promise<{ rule: string; keptBacklog: number; restarts: number }> {
    const factory = AGENT_HANDLERS[agentName];
    return this.deps.bus.restartRule(agentRuleName(agentName), factory ? () => factory(this.deps.agentDeps) : undefined);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    const stats = new Map(this.deps.bus.stats().map((s) => [s.rule, s]));
    const observedAt = this.deps.clock.now().toISOString();
    for (const agent of this.agents) {
      const s = stats.get(agentRuleName(agent.name));
      const dead = s?.deadLettered ?? 0;
      const newDead = dead - (this.lastDead.get(agent.name) ?? 0);
      this.lastDead.set(agent.name, dead);
      await this.deps.health.report({
        component: `agent:${agent.name}`,
        status: newDead > 0 ? 'degraded' : 'ok',
        detail: { runtime: 'local', delivered: s?.delivered ?? 0, backlog: s?.backlog ?? 0, inFlight: s?.inFlight ?? 0, deadLettered: dead, latencyMsP99: s?.latencyMs.p99 ?? 0, restarts: s?.restarts ?? 0 },
        observedAt,
      });
    }
  }
}
