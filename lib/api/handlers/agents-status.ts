import { aggregateHealth } from '../../core/health/aggregate.js';
import type { ApiResponse, RequestContext } from '../route-spec.js';

/** `GET /api/agents/status` — each catalogued agent, judged by its heartbeat like `/health` does. */
export async function agentsStatus(_input: unknown, { deps }: RequestContext): Promise<ApiResponse> {
  const names = deps.agents.map((a) => `agent:${a.name}`);
  const beats = (await deps.stores.health.list()).filter((h) => names.includes(h.component));
  const report = aggregateHealth(beats, { now: deps.clock.now(), staleAfterMs: deps.heartbeatStaleAfterMs, critical: [], required: names });
  const agents = deps.agents.map((a) => {
    const r = report.components[`agent:${a.name}`];
    return { name: a.name, description: a.description, status: r?.status ?? 'down', detail: r?.detail ?? {} };
  });
  return { status: 200, body: { status: report.status, count: agents.length, agents, checkedAt: report.checkedAt } };
}
