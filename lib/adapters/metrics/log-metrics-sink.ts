import type { KeyMetricSample } from '../../core/metrics/key-metrics.js';
import type { Logger } from '../../ports/logger.js';
import type { MetricsSink } from '../../ports/metrics.js';

/** Local runtime: each sample is a structured debug line (`msg: "metric"`), greppable in app.log. */
export class LogMetricsSink implements MetricsSink {
  constructor(private readonly logger: Logger) {}
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    for (const s of samples) this.logger.debug('metric', { metric: s.metric, value: s.value, at: s.at });
  }
}
