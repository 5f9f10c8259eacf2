import { z } from 'zod';
import { KEY_METRIC_NAMES, type KeyMetricName, type KeyMetricSample } from '../../core/metrics/key-metrics.js';
import { RECENT_READINGS, type KeyMetricReading, type KeyMetricsStore } from '../../ports/metrics.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/** Key layout: one item per metric, `METRIC` / `<metric name>`; `recent` may hold up to twice the readings shown. */
export const MetricKeys = { pk: 'METRIC', reading: (metric: KeyMetricName) => ({ pk: 'METRIC', sk: metric }) } as const;

const ReadingSchema = z.strictObject({
  metric: z.enum(KEY_METRIC_NAMES),
  value: z.number(),
  at: z.string(),
  recent: z.array(z.strictObject({ value: z.number(), at: z.string() })),
});

/**
 * Readings kept in the item before a write trims them: appends go out as one UpdateItem
 * (`list_append`) while the list has room, and only every ~RECENT_READINGS samples a write finds it
 * full and rewrites it trimmed (read + put). Readers see the last RECENT_READINGS.
 */
const KEPT_UNTRIMMED = 2 * RECENT_READINGS;

interface MetricLane {
  open: { samples: KeyMetricSample[]; written: Promise<void> } | undefined;
  tail: Promise<void>;
}

/**
 * The latest reading of each key metric in the state table. Without a version condition: metrics
 * are gauges and samples, so two writers racing lose at most one sample of the sparkline, never a
 * state the system acts on (alarms read CloudWatch, not this).
 */
export class DynamoDbKeyMetricsStore implements KeyMetricsStore {
  private readonly table: Table;
  /**
   * Per metric: the batch still taking samples (it starts once the write before it is done) and
   * the end of the last write. Group commit: samples that arrive while a metric's write is in
   * flight go out together in the next one, so writes per metric follow the store's pace, not the
   * event rate (every delivery samples the bus latency).
   */
  private readonly lanes = new Map<KeyMetricName, MetricLane>();

  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  /** Resolves once these samples are written (possibly with others of the same metric). */
  async record(samples: readonly KeyMetricSample[]): Promise<void> {
    const byMetric = new Map<KeyMetricName, KeyMetricSample[]>();
    for (const s of samples) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
    await Promise.all([...byMetric].map(([metric, list]) => this.enqueue(metric, list)));
  }

  private enqueue(metric: KeyMetricName, list: readonly KeyMetricSample[]): Promise<void> {
    const lane = this.lanes.get(metric);
    if (lane?.open !== undefined) {
      lane.open.samples.push(...list);
      return lane.open.written;
    }
    const samples = [...list];
    const entry: MetricLane = { open: undefined, tail: Promise.resolve() };
    const written = (lane?.tail ?? Promise.resolve()).then((): Promise<void> => {
      // Starting: later samples wait for the next batch.
      if (entry.open?.samples === samples) entry.open = undefined;
      return this.append(metric, samples.slice(-RECENT_READINGS));
    });
    entry.open = { samples, written };
    entry.tail = written.catch(() => undefined);
    this.lanes.set(metric, entry);
    void entry.tail.then(() => {
      if (this.lanes.get(metric) === entry) this.lanes.delete(metric);
    });
    return written;
  }

  private async append(metric: KeyMetricName, list: readonly KeyMetricSample[]): Promise<void> {
    const key = MetricKeys.reading(metric);
    const readings = list.map((s) => ({ value: s.value, at: s.at }));
    const last = list[list.length - 1]!;
    const appended = await this.table.update({
      Key: key,
      UpdateExpression: 'SET metric = :metric, #value = :value, #at = :at, recent = list_append(if_not_exists(recent, :none), :readings)',
      ConditionExpression: 'attribute_not_exists(recent) OR size(recent) <= :room',
      ExpressionAttributeNames: { '#value': 'value', '#at': 'at' },
      ExpressionAttributeValues: { ':metric': metric, ':value': last.value, ':at': last.at, ':none': [], ':readings': readings, ':room': KEPT_UNTRIMMED - readings.length },
      ReturnValues: 'NONE',
    });
    if (appended !== false) return;
    // Full: trim while writing (the rare read-merge-write).
    const previous = await this.table.getRecord(key, ReadingSchema, `metric ${metric}`);
    const recent = [...(previous?.recent ?? []), ...readings].slice(-RECENT_READINGS);
    await this.table.put({ ...key, metric, value: last.value, at: last.at, recent });
  }

  async latest(): Promise<KeyMetricReading[]> {
    const items = await this.table.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': MetricKeys.pk }, ConsistentRead: true });
    return items.map((raw) => {
      const reading = parseRecord(ReadingSchema, stripKeys(raw), `metric ${String(raw['sk'])}`);
      return { ...reading, recent: reading.recent.slice(-RECENT_READINGS) };
    });
  }
}
