import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbKeyMetricsStore, MetricKeys } from '../../../lib/adapters/dynamodb/key-metrics-store.js';
import { RECENT_READINGS } from '../../../lib/ports/metrics.js';
import { keyMetricsStoreContract } from '../contracts/key-metrics-store.contract.js';
import { dynaliteBackend } from '../contracts/backends.js';
import { startLocalTable, type LocalTable } from './local-table.js';

// The port's contract against dynalite (the same cases run against memory in test/adapters/memory).
keyMetricsStoreContract(dynaliteBackend);

describe('DynamoDbKeyMetricsStore: writes', () => {
  let t: LocalTable;
  let store: DynamoDbKeyMetricsStore;
  beforeAll(async () => {
    t = await startLocalTable();
    store = new DynamoDbKeyMetricsStore(t);
  });
  afterAll(() => t.close());

  it('appends without reading and keeps the stored window bounded past many samples', async () => {
    // Prepare
    const at = (i: number) => new Date(Date.UTC(2026, 10, 27, 16, 0, 0, i)).toISOString();
    const total = 3 * RECENT_READINGS + 7;

    // Act: one sample per call, as the metrics agent writes them
    for (let i = 0; i < total; i++) await store.record([{ metric: 'leverage', value: i, at: at(i) }]);

    // Assess: readers see the last RECENT_READINGS in order; the item never holds more than twice that
    const r = (await store.latest()).find((x) => x.metric === 'leverage');
    expect(r?.value).toBe(total - 1);
    expect(r?.recent.map((x) => x.value)).toEqual(Array.from({ length: RECENT_READINGS }, (_, k) => total - RECENT_READINGS + k));
    const raw = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: MetricKeys.reading('leverage') }));
    expect((raw.Item?.['recent'] as unknown[]).length).toBeLessThanOrEqual(2 * RECENT_READINGS);
  });

  it('writes samples that arrive during a write of their metric together in the next write', async () => {
    // Prepare: a store that counts its writes
    let writes = 0;
    const counting = new DynamoDbKeyMetricsStore({
      tableName: t.tableName,
      doc: {
        send: (cmd: unknown) => {
          if (cmd instanceof UpdateCommand || cmd instanceof PutCommand) writes += 1;
          return t.doc.send(cmd as never);
        },
      } as never,
    });
    const at = (i: number) => new Date(Date.UTC(2026, 10, 27, 17, 0, 0, i)).toISOString();

    // Act: ten deliveries at once, as the bus hands them to the metrics agent
    await Promise.all(Array.from({ length: 10 }, (_, i) => counting.record([{ metric: 'slippage_bps', value: i, at: at(i) }])));

    // Assess: every sample is kept, in order, in fewer writes than samples
    const r = (await store.latest()).find((x) => x.metric === 'slippage_bps');
    expect(r?.recent.map((x) => x.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r?.value).toBe(9);
    expect(writes).toBeLessThanOrEqual(2);
  });
});
