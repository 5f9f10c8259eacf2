import { z } from 'zod';
import { KEY_METRIC_NAMES, type KeyMetricName, type KeyMetricSample } from '../../core/metrics/key-metrics.js';
import { RECENT_READINGS, type KeyMetricReading, type KeyMetricsStore } from '../../ports/metrics.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/** Key layout: one item per metric, `METRIC` / `<metric name>`. */
export const MetricKeys = { pk: 'METRIC', reading: (metric: KeyMetricName) => ({ pk: 'METRIC', sk: metric }) } as const;

const ReadingSchema = z.strictObject({
  metric: z.enum(KEY_METRIC_NAMES),
  value: z.number(),
  at: z.string(),
  recent: z.array(z.strictObject({ value: z.number(), at: z.string() })),
});

/**
 * The latest reading of each key metric in the state table. A read-merge-write without a
 * condition: metrics are gauges and samples, so two writers racing lose at most one sample of
 * the sparkline, never a state the system acts on (alarms read CloudWatch, not this).
 */
export class DynamoDbKeyMetricsStore implements KeyMetricsStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    const byMetric = new Map<KeyMetricName, KeyMetricSample[]>();
    for (const s of samples) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
    await Promise.all(
      [...byMetric].map(async ([metric, list]) => {
        const key = MetricKeys.reading(metric);
        const previous = await this.table.getRecord(key, ReadingSchema, `metric ${metric}`);
        const recent = [...(previous?.recent ?? []), ...list.map((s) => ({ value: s.value, at: s.at }))].slice(-RECENT_READINGS);
        const last = list[list.length - 1]!;
        await this.table.put({ ...key, metric, value: last.value, at: last.at, recent });
      }),
    );
  }

  async latest(): Promise<KeyMetricReading[]> {
    const items = await this.table.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': MetricKeys.pk }, ConsistentRead: true });
    return items.map((raw) => parseRecord(ReadingSchema, stripKeys(raw), `metric ${String(raw['sk'])}`));
  }
}
