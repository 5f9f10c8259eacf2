/**
 * Operating the event bus (runbook "Issue: Event Bus Backlog"): figures per consumer, clearing
 * stale market data, restarting a consumer. Locally the in-process bus has real queues to show
 * and clear; on AWS EventBridge keeps no queue of its own, so what can be measured there is the
 * consumers' dead-letter queue — fields that cannot be measured in a runtime are `null`, and
 * `unavailable` says why. Nothing is ever estimated to fill a gap.
 */
export interface BusOperations {
  /** Figures per consumer (one per catalogued agent) and totals. */
  stats(): Promise<BusStatsReport>;
  /**
   * Drops stale droppable events (the catalog's DROPPABLE_WHEN_STALE: market data, heartbeats)
   * waiting for a consumer, after archiving them to the blob store. Orders, fills and audited
   * events are never dropped.
   */
  clearStale(request: { olderThanMs: number; correlationId: string }): Promise<ClearStaleResult>;
  /**
   * Restarts one consumer. Locally: its subscription drains in-flight deliveries, a fresh handler
   * takes over the kept backlog. AWS: see the adapter (forces fresh Lambda containers).
   * @throws BusOperationsError `BUS.UNKNOWN_CONSUMER` (→ 404 naming the known ones) | `BUS.NOT_SUPPORTED` (→ 501)
   */
  restartConsumer(consumer: string): Promise<RestartResult>;
}

/** How a consumer is doing, judged from its figures (see `judgeConsumer` in lib/core/bus). */
export type ConsumerStatus = 'ok' | 'slow' | 'backlogged' | 'failing' | 'restarting' | 'unknown';

export interface ConsumerFigures {
  /** The agent's name (`POST /api/agents/restart/{agent}` takes it). */
  consumer: string;
  /** The bus rule delivering to it (`agent-<name>` locally, the CDK rule in AWS). */
  rule: string;
  detailTypes: string[];
  /** Deliveries in flight at once (local); reserved Lambda concurrency in AWS if set, else null. */
  concurrency: number | null;
  status: ConsumerStatus;
  /** Events whose next attempt has not started (queued + waiting for a retry). */
  backlog: number | null;
  /** Age of its oldest undelivered event, ms. */
  oldestAgeMs: number | null;
  inFlight: number | null;
  delivered: number | null;
  /** Attempts whose handler failed. */
  failed: number | null;
  retries: number | null;
  latencyMs: { p50: number; p99: number; samples: number } | null;
  /** Events dead-lettered for this consumer. */
  dlqDepth: number | null;
  restarts: number | null;
  lastDeliveryAt: string | null;
}

export interface BusStatsReport {
  runtime: 'local' | 'aws';
  observedAt: string;
  consumers: ConsumerFigures[];
  totals: { backlog: number | null; inFlight: number | null; delivered: number | null; failed: number | null; dlqDepth: number | null };
  /** Field → why it is `null` in this runtime. */
  unavailable: Record<string, string>;
}

export interface ClearStaleResult {
  olderThanMs: number;
  cleared: number;
  byConsumer: Record<string, number>;
  byDetailType: Record<string, number>;
  /** Blob key of the archive of what was cleared; absent when nothing was. */
  archiveKey?: string | undefined;
  /** Where the archive lives (bucket), for the operator. */
  archiveLocation?: string | undefined;
  note?: string;
}

export interface RestartResult {
  consumer: string;
  restarted: true;
  /** Events kept for the fresh handler (local); null in AWS. */
  keptBacklog: number | null;
  restarts: number | null;
  how: string;
}
