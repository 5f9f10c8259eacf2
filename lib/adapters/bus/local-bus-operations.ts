import type { InProcessEventBus, ClearedDelivery, ConsumerStats } from './in-process-bus.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { BusOperations, BusStatsReport, ClearStaleResult, ConsumerFigures, RestartResult } from '../../ports/bus-operations.js';
import type { Clock } from '../../core/shared/clock.js';
import { isDroppableWhenStale } from '../../core/events/catalog.js';
import { judgeConsumer, sumOrNull } from '../../core/bus/consumer-health.js';
import { BusOperationsError, BusOperationsErrorCode } from '../../core/bus/errors.js';

/** A consumer of the local bus: an agent and the rule that feeds it. */
export interface LocalConsumer {
  name: string;
  rule: string;
  detailTypes: readonly string[];
}

export interface LocalBusOperationsDeps {
  bus: InProcessEventBus;
  consumers: ReadonlyArray<LocalConsumer>;
  /** Restarts one consumer (LocalAgentHost.restart: a fresh handler on the kept backlog). */
  restart: (consumer: string) => Promise<{ keptBacklog: number; restarts: number }>;
  /** The backup bucket: what clear_stale drops is written here first. */
  archive: BlobStore;
  archiveLocation: string;
  clock: Clock;
  newId: () => string;
}

/**
 * Bus operations on the in-process bus: every figure is real (its queues are in this process).
 * @example
 * const ops = new LocalBusOperations({ bus, consumers, restart: (a) => host.restart(a), archive: backups, archiveLocation: 's3://tradeops-local-backups', clock, newId });
 * (await ops.stats()).totals.backlog
 */
export class LocalBusOperations implements BusOperations {
  constructor(private readonly deps: LocalBusOperationsDeps) {}

  async stats(): Promise<BusStatsReport> {
    const byRule = new Map(this.deps.bus.stats().map((s) => [s.rule, s]));
    const consumers = this.deps.consumers.map((c) => figures(c, byRule.get(c.rule)));
    return {
      runtime: 'local',
      observedAt: this.deps.clock.now().toISOString(),
      consumers,
      totals: {
        backlog: sumOrNull(consumers.map((c) => c.backlog)),
        inFlight: sumOrNull(consumers.map((c) => c.inFlight)),
        delivered: sumOrNull(consumers.map((c) => c.delivered)),
        failed: sumOrNull(consumers.map((c) => c.failed)),
        dlqDepth: sumOrNull(consumers.map((c) => c.dlqDepth)),
      },
      unavailable: {},
    };
  }

  async clearStale({ olderThanMs, correlationId }: { olderThanMs: number; correlationId: string }): Promise<ClearStaleResult> {
    const now = this.deps.clock.now();
    // One object per clearing, keyed by day so an archive listing reads like a log.
    const archiveKey = `eventbus/cleared/${now.toISOString().slice(0, 10)}/${now.toISOString().replace(/[:.]/g, '-')}-${this.deps.newId()}.json`;
    const names = new Map(this.deps.consumers.map((c) => [c.rule, c.name]));
    let cleared: ClearedDelivery[];
    try {
      cleared = await this.deps.bus.clearStale({
        olderThanMs,
        droppable: (e) => isDroppableWhenStale(e.detailType),
        archive: (batch) =>
          this.deps.archive.put(archiveKey, JSON.stringify({ kind: 'eventbus.cleared', clearedAt: now.toISOString(), olderThanMs, correlationId, count: batch.length, deliveries: batch.map((d) => ({ ...d, consumer: names.get(d.rule) ?? d.rule })) }, null, 2), { contentType: 'application/json' }),
      });
    } catch (e) {
      throw new BusOperationsError(BusOperationsErrorCode.ARCHIVE_FAILED, `nothing was cleared: archiving the stale events to ${this.deps.archiveLocation} failed (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    const byConsumer: Record<string, number> = Object.fromEntries(this.deps.consumers.map((c) => [c.name, 0]));
    const byDetailType: Record<string, number> = {};
    for (const d of cleared) {
      const consumer = names.get(d.rule) ?? d.rule;
      byConsumer[consumer] = (byConsumer[consumer] ?? 0) + 1;
      byDetailType[d.event.detailType] = (byDetailType[d.event.detailType] ?? 0) + 1;
    }
    return { olderThanMs, cleared: cleared.length, byConsumer, byDetailType, ...(cleared.length === 0 ? {} : { archiveKey, archiveLocation: this.deps.archiveLocation }) };
  }

  async restartConsumer(consumer: string): Promise<RestartResult> {
    if (!this.deps.consumers.some((c) => c.name === consumer)) {
      const known = this.deps.consumers.map((c) => c.name);
      throw new BusOperationsError(BusOperationsErrorCode.UNKNOWN_CONSUMER, `no agent named "${consumer}"; known agents: ${known.join(', ')}`, { details: { known } });
    }
    const r = await this.deps.restart(consumer);
    return { consumer, restarted: true, keptBacklog: r.keptBacklog, restarts: r.restarts, how: 'in-flight deliveries finished, a fresh handler took over the kept backlog' };
  }
}

function figures(c: LocalConsumer, s: ConsumerStats | undefined): ConsumerFigures {
  if (s === undefined) {
    // Catalogued but not subscribed here (should not happen: the agent host subscribes every agent).
    return { consumer: c.name, rule: c.rule, detailTypes: [...c.detailTypes], concurrency: null, status: 'unknown', backlog: null, oldestAgeMs: null, inFlight: null, delivered: null, failed: null, retries: null, latencyMs: null, dlqDepth: null, restarts: null, lastDeliveryAt: null };
  }
  return {
    consumer: c.name,
    rule: c.rule,
    detailTypes: [...c.detailTypes],
    concurrency: s.concurrency,
    status: judgeConsumer({ backlog: s.backlog, oldestAgeMs: s.oldestAgeMs, retrying: s.retrying, latencyP99Ms: s.latencyMs.p99, paused: s.paused }),
    backlog: s.backlog,
    oldestAgeMs: s.oldestAgeMs,
    inFlight: s.inFlight,
    delivered: s.delivered,
    failed: s.failedAttempts,
    retries: s.retries,
    latencyMs: s.latencyMs,
    dlqDepth: s.deadLettered,
    restarts: s.restarts,
    lastDeliveryAt: s.lastDeliveryAt ?? null,
  };
}
