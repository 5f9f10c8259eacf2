import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSurveillanceActivityStore } from '../../../lib/adapters/dynamodb/compliance-alert-store.js';
import { DynamoDbQuoteStore } from '../../../lib/adapters/dynamodb/snapshot-stores.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import { cancelled, fillObs, placed } from '../../core/surveillance/obs.js';
import { startLocalTable, type LocalTable } from './local-table.js';

describe('DynamoDB surveillance activity: reads by kind and order-to-trade counters', () => {
  let t: LocalTable;
  let activity: DynamoDbSurveillanceActivityStore;
  beforeAll(async () => {
    t = await startLocalTable();
    activity = new DynamoDbSurveillanceActivityStore(t);
  });
  afterAll(() => t.close());

  it('returns only the kind asked for, in time order, across UTC days', async () => {
    // Prepare
    const obs = [
      fillObs('K2', 'SELL', 1, '10', 9 * 3600 + 1, { symbol: 'KIND' }), // 00:00:01Z the next day
      placed('KP', 'BUY', 5, '9.9', 9 * 3600 - 5, { symbol: 'KIND' }),
      fillObs('K1', 'BUY', 1, '10', 9 * 3600 - 1, { symbol: 'KIND' }),
      cancelled('KP', 'BUY', 5, '9.9', 9 * 3600 - 3, { symbol: 'KIND' }),
      fillObs('K3', 'BUY', 1, '10', 9 * 3600 + 120, { symbol: 'KIND' }), // outside the range
    ];
    await Promise.all(obs.map((o) => activity.recordIfNew(o)));

    // Act
    const fills = await activity.listRange('KIND', '2026-11-26T23:59:00.000Z', '2026-11-27T00:01:00.000Z', 'FILL');
    const cancels = await activity.listRange('KIND', '2026-11-26T23:59:00.000Z', '2026-11-27T00:01:00.000Z', 'ORDER_CANCELLED');

    // Assess
    expect(fills.map((o) => o.obsId)).toEqual(['FILL#K1', 'FILL#K2']);
    expect(fills[0]).toEqual(obs[2]);
    expect(cancels.map((o) => o.obsId)).toEqual(['ORDER_CANCELLED#KP']);
  });

  it('counts each observation once per counter however many deliveries race', async () => {
    // Prepare
    const key = { strategyId: 's1', symbol: 'OTR', day: '2026-11-26' };
    const deliveries = [
      ...Array.from({ length: 4 }, () => ['orderMessages', 'ORDER_PLACED#O1'] as const),
      ...Array.from({ length: 3 }, () => ['orderMessages', 'ORDER_CANCELLED#O1'] as const),
      ['orderMessages', 'ORDER_PLACED#O2'] as const,
      ...Array.from({ length: 3 }, () => ['fills', 'FILL#E1'] as const),
    ];

    // Act
    await Promise.all(deliveries.map(([field, obsId]) => activity.countOnce(key, field, obsId)));
    const again = await activity.countOnce(key, 'fills', 'FILL#E1');
    const other = await activity.countOnce({ ...key, strategyId: 's2' }, 'orderMessages', 'ORDER_PLACED#O1');

    // Assess
    expect(again).toEqual({ orderMessages: 3, fills: 1 });
    expect(other).toEqual({ orderMessages: 1, fills: 0 });
  });

  it('gets one quote by symbol', async () => {
    const quotes = new DynamoDbQuoteStore(t);
    const q = QuoteSchema.parse({ symbol: 'QGET', bid: '10.00', ask: '10.05', at: '2026-11-26T15:00:00.000Z' });
    await quotes.putMany([q]);

    expect(await quotes.get('QGET')).toEqual(q);
    expect(await quotes.get('NONE')).toBeUndefined();
  });
});
