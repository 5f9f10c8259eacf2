import type { EventHandler } from '../../ports/events.js';
import { runRiskCycle, type RiskCycleDeps, type RiskCycleOptions, type RiskCycleResult } from './risk-cycle.js';

/** The events the risk agent consumes (its bus rule): anything that changes positions, and fresh price history. */
export const RISK_AGENT_EVENTS = ['FillReport', 'PositionReport', 'PriceHistoryReport'] as const;

export interface RiskAgentOptions extends RiskCycleOptions {
  /** At most one event-triggered cycle per this many ms per process (bursts of fills coalesce). */
  minIntervalMs: number;
  /**
   * Runs `fn` after `delayMs` (setTimeout locally). With it, an event inside the interval schedules
   * one trailing cycle at the interval's end, so the last fill of a burst is always reflected;
   * without it (a Lambda, which must not leave timers behind) such events are left to the next
   * scheduled cycle.
   */
  defer?: (fn: () => void, delayMs: number) => void;
}

export interface RiskAgent {
  /** The bus handler for `RISK_AGENT_EVENTS`. */
  handle: EventHandler;
  /** One scheduled cycle (also coalesced with a running one). */
  runScheduled(): Promise<RiskCycleResult>;
  /** Cycles run and events coalesced away, for tests and the agent's heartbeat. */
  stats(): { cycles: number; coalesced: number };
}

/**
 * The risk agent: recomputes risk when fills or positions change — at most once per
 * `minIntervalMs`, never two cycles at once in a process — and on its schedule (the runbook's
 * 15-minute check). Cycles are idempotent (a snapshot overwrite; alerts raised once by conditional
 * writes), so a redelivered event or a cycle racing another process changes nothing twice.
 * @example
 * const agent = createRiskAgent(deps, { policy, returns, minIntervalMs: 1_000, defer: (f, ms) => void setTimeout(f, ms).unref() });
 * bus.subscribe(eventPatternFor([...RISK_AGENT_EVENTS]), agent.handle);
 */
export function createRiskAgent(deps: RiskCycleDeps, options: RiskAgentOptions): RiskAgent {
  let running: Promise<RiskCycleResult> | undefined;
  let lastStartedAt = Number.NEGATIVE_INFINITY;
  let trailingScheduled = false;
  let cycles = 0;
  let coalesced = 0;
  const log = deps.logger.child({ component: 'risk-agent' });

  const cycle = (): Promise<RiskCycleResult> => {
    if (running !== undefined) return running;
    lastStartedAt = deps.clock.now().getTime();
    cycles += 1;
    running = runRiskCycle(deps, options).finally(() => {
      running = undefined;
    });
    return running;
  };

  const trailing = (): void => {
    if (running !== undefined) {
      // the running cycle may have read positions before the event: run once more after it
      void running.catch(() => undefined).then(trailing);
      return;
    }
    trailingScheduled = false;
    cycle().catch((e: unknown) => log.error('trailing risk cycle failed', { error: e instanceof Error ? e.message : String(e) }));
  };

  const handle: EventHandler = async (event) => {
    if (!(RISK_AGENT_EVENTS as readonly string[]).includes(event.detailType)) return;
    const sinceLast = deps.clock.now().getTime() - lastStartedAt;
    if (running === undefined && sinceLast >= options.minIntervalMs) {
      await cycle();
      return;
    }
    coalesced += 1;
    if (options.defer !== undefined && !trailingScheduled) {
      trailingScheduled = true;
      options.defer(trailing, Math.max(0, options.minIntervalMs - sinceLast));
    }
  };

  return { handle, runScheduled: cycle, stats: () => ({ cycles, coalesced }) };
}
