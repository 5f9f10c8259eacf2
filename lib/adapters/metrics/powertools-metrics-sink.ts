import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { KEY_METRICS, type KeyMetricSample } from '../../core/metrics/key-metrics.js';
import type { MetricsSink } from '../../ports/metrics.js';

/**
 * AWS: samples become CloudWatch metrics through Powertools' embedded metric format (no API call;
 * the Lambda's log carries them). Flushed at the end of each invocation by the `logMetrics`
 * middleware of the agent Lambda. Names and units come from the one KEY_METRICS list, which the
 * CDK alarms read too.
 */
export class PowertoolsMetricsSink implements MetricsSink {
  constructor(private readonly metrics: Metrics) {}
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    for (const s of samples) {
      const spec = KEY_METRICS[s.metric];
      this.metrics.addMetric(spec.cloudWatchName, spec.unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.NoUnit, s.value);
    }
  }
}
