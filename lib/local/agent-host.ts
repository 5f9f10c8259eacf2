import { AGENTS, type AgentSpec } from '../catalog/agents.js';
import { AGENT_HANDLERS, type AgentDeps } from '../app/agents.js';
import { eventPatternFor, isDetailType } from '../core/events/catalog.js';
import type { InProcessEventBus } from '../adapters/bus/in-process-bus.js';
import type { Clock } from '../core/shared/clock.js';
import type { HealthStore } from '../ports/stores.js';
import type { Logger } from '../ports/logger.js';

/**
 * Runs the catalogued agents in-process: one bus rule per agent (the same name and pattern as its
 * EventBridge rule in AWS) and a heartbeat per agent into the health store, judged from the bus's
 * delivery figures: dead letters since the last beat make it `degraded`.
 */
export class LocalAgentHost {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly lastDead = new Map<string, number>();

  constructor(
    private readonly deps: { bus: InProcessEventBus; health: HealthStore; clock: Clock; logger: Logger; agentDeps: AgentDeps },
    private readonly agents: ReadonlyArray<AgentSpec> = AGENTS,
  ) {}

  async start(heartbeatMs: number): Promise<void> {
    for (const agent of this.agents) {
      const factory = AGENT_HANDLERS[agent.name];
      if (!factory) throw new Error(`no handler for agent ${agent.name}`);
      const handler = factory(this.deps.agentDeps);
      const detailTypes = agent.consumes.filter(isDetailType);
      this.deps.bus.addRule({
        name: `agent-${agent.name}`,
        pattern: eventPatternFor(detailTypes),
        target: handler,
        retry: { maxAttempts: 5, backoffMs: 100 },
        ...(agent.concurrency === undefined ? {} : { concurrency: agent.concurrency }),
        dlq: (letter) => this.deps.logger.error('agent dead-lettered an event', { agent: agent.name, eventId: letter.event.eventId, detailType: letter.event.detailType, error: letter.error.message, correlationId: letter.event.correlationId }),
      });
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch((e: unknown) => this.deps.logger.warn('agent heartbeat failed', { error: String(e) })), heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    const stats = new Map(this.deps.bus.stats().map((s) => [s.rule, s]));
    const observedAt = this.deps.clock.now().toISOString();
    for (const agent of this.agents) {
      const s = stats.get(`agent-${agent.name}`);
      const dead = s?.deadLettered ?? 0;
      const newDead = dead - (this.lastDead.get(agent.name) ?? 0);
      this.lastDead.set(agent.name, dead);
      await this.deps.health.report({
        component: `agent:${agent.name}`,
        status: newDead > 0 ? 'degraded' : 'ok',
        detail: { runtime: 'local', delivered: s?.delivered ?? 0, backlog: s?.backlog ?? 0, deadLettered: dead, latencyMsP99: s?.latencyMs.p99 ?? 0 },
        observedAt,
      });
    }
  }
}
