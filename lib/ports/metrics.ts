import type { KeyMetricName, KeyMetricSample } from '../core/metrics/key-metrics.js';

/** Where metric samples go: CloudWatch (EMF through Powertools) in AWS, the JSON log locally. */
export interface MetricsSink {
  record(samples: readonly KeyMetricSample[]): Promise<void>;
}

/** A key metric's latest reading and the few before it (the dashboard's sparkline). */
export interface KeyMetricReading {
  readonly metric: KeyMetricName;
  readonly value: number;
  readonly at: string;
  /** Newest last; at most `RECENT_READINGS`. */
  readonly recent: ReadonlyArray<{ value: number; at: string }>;
}

export const RECENT_READINGS = 30;

/** The Key Metrics dashboard's state: the latest reading per metric, shared by both runtimes. */
export interface KeyMetricsStore {
  /** Last writer wins per metric: a lost sample of a gauge is replaced by the next one. */
  record(samples: readonly KeyMetricSample[]): Promise<void>;
  latest(): Promise<KeyMetricReading[]>;
}
