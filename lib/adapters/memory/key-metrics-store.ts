import type { KeyMetricSample } from '../../core/metrics/key-metrics.js';
import { RECENT_READINGS, type KeyMetricReading, type KeyMetricsStore, type MetricsSink } from '../../ports/metrics.js';

export class InMemoryKeyMetricsStore implements KeyMetricsStore {
  private readonly readings = new Map<string, KeyMetricReading>();
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    for (const s of samples) {
      const prev = this.readings.get(s.metric);
      this.readings.set(s.metric, { metric: s.metric, value: s.value, at: s.at, recent: [...(prev?.recent ?? []), { value: s.value, at: s.at }].slice(-RECENT_READINGS) });
    }
  }
  async latest(): Promise<KeyMetricReading[]> {
    return [...this.readings.values()];
  }
}

export class RecordingMetricsSink implements MetricsSink {
  readonly samples: KeyMetricSample[] = [];
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    this.samples.push(...samples);
  }
}
