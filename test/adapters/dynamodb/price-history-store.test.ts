import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPriceHistoryStore } from '../../../lib/adapters/dynamodb/price-history-store.js';
import { Keys } from '../../../lib/adapters/dynamodb/keys.js';
import type { DailyClose, PriceHistory } from '../../../lib/core/market/price-history.js';
import type { Symbol } from '../../../lib/core/shared/ids.js';
import { startLocalTable, type LocalTable } from './local-table.js';
import { InMemoryPriceHistoryStore } from '../../../lib/adapters/memory/price-history-store.js';

const history = (symbol: string, closes: DailyClose[], updatedAt = '2026-01-05T21:30:00.000Z', source = 'ib:TRADES'): PriceHistory => ({ symbol: symbol as Symbol, source, updatedAt, closes });
const c = (day: string, close: string): DailyClose => ({ day, close });

describe('DynamoDbPriceHistoryStore (dynalite)', () => {
  let t: LocalTable;
  beforeAll(async () => {
    t = await startLocalTable();
  });
  afterAll(() => t.close());

  it('stores closes across a year boundary, one item per symbol and year, and reads them back oldest first', async () => {
    // Prepare
    const store = new DynamoDbPriceHistoryStore(t);
    // Act
    await store.merge(history('AAPL', [c('2025-12-30', '250.1'), c('2025-12-31', '251.0000000001'), c('2026-01-02', '249.75')]));
    // Assess: the exact decimal text comes back (no float on the way)
    const [aapl] = await store.get(['AAPL']);
    expect(aapl?.closes).toEqual([c('2025-12-30', '250.1'), c('2025-12-31', '251.0000000001'), c('2026-01-02', '249.75')]);
    const y2025 = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: Keys.priceHistoryYear('AAPL', '2025') }));
    expect(y2025.Item?.['closes']).toEqual({ '2025-12-30': '250.1', '2025-12-31': '251.0000000001' });
  });

  it('merges by day: a new close replaces the stored one, other days stay, source and time are the latest', async () => {
    const store = new DynamoDbPriceHistoryStore(t);
    await store.merge(history('MSFT', [c('2026-01-02', '400'), c('2026-01-05', '401.5')]));
    await store.merge(history('MSFT', [c('2026-01-05', '402'), c('2026-01-06', '403')], '2026-01-06T21:30:00.000Z', 'ib:MIDPOINT'));
    const [msft] = await store.get(['MSFT']);
    expect(msft).toEqual(history('MSFT', [c('2026-01-02', '400'), c('2026-01-05', '402'), c('2026-01-06', '403')], '2026-01-06T21:30:00.000Z', 'ib:MIDPOINT'));
  });

  it('reads from a day on, and leaves out symbols it has nothing for', async () => {
    const store = new DynamoDbPriceHistoryStore(t);
    await store.merge(history('SPY', [c('2024-12-31', '580'), c('2025-06-02', '590'), c('2025-06-03', '591')]));
    const got = await store.get(['SPY', 'NONE'], { since: '2025-06-03' });
    expect(got.map((h) => [h.symbol, h.closes])).toEqual([['SPY', [c('2025-06-03', '591')]]]);
  });

  it('refuses closes that are not strictly increasing by day, or not positive decimals', async () => {
    const store = new DynamoDbPriceHistoryStore(t);
    await expect(store.merge(history('IBM', [c('2026-01-05', '1'), c('2026-01-02', '2')]))).rejects.toThrow(/increasing/);
    await expect(store.merge(history('IBM', [c('2026-01-05', '0')]))).rejects.toThrow();
    await expect(store.merge(history('IBM', [c('2026-01-05', '1e3')]))).rejects.toThrow();
  });

  it('behaves like the in-memory store on the same sequence of merges', async () => {
    const dynamo = new DynamoDbPriceHistoryStore(t);
    const memory = new InMemoryPriceHistoryStore();
    const steps = [
      history('QQQ', [c('2025-11-28', '500'), c('2025-12-01', '505')]),
      history('QQQ', [c('2025-12-01', '506'), c('2026-01-02', '510')], '2026-01-02T21:30:00.000Z'),
      history('QQQ', [], '2026-01-03T21:30:00.000Z'),
    ];
    for (const s of steps) {
      await dynamo.merge(s);
      await memory.merge(s);
    }
    expect(await dynamo.get(['QQQ'], { since: '2025-12-01' })).toEqual(await memory.get(['QQQ'], { since: '2025-12-01' }));
  });
});
