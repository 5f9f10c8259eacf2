import type { KeyMetricSample } from '../../core/metrics/key-metrics.js';
import { RECENT_READINGS, type KeyMetricReading, type KeyMetricsStore } from '../../ports/metrics.js';
import { bySortKey, copy } from './copy.js';

/** The latest reading of each key metric, with its recent samples; `latest` by metric name, as the DynamoDB partition. */
export class InMemoryKeyMetricsStore implements KeyMetricsStore {
  private readonly readings = new Map<string, KeyMetricReading>();
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    for (const s of samples) {
      const prev = this.readings.get(s.metric);
      this.readings.set(s.metric, { metric: s.metric, value: s.value, at: s.at, recent: [...(prev?.recent ?? []), { value: s.value, at: s.at }].slice(-RECENT_READINGS) });
    }
  }
  async latest(): Promise<KeyMetricReading[]> {
    return bySortKey(this.readings.values(), (r) => r.metric).map(copy);
  }
}
