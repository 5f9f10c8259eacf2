import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionSchema } from '../../../lib/core/positions/position.js';
import { QuoteSchema } from '../../../lib/core/market/quote.js';
import { openOnce, type StoreBackend } from './backends.js';

const at = '2026-11-26T15:00:00.000Z';
const position = (account: string, symbol: string, quantity: number) => PositionSchema.parse({ account, symbol, quantity, avgCost: '100.5', currency: 'USD', realizedPnl: '0', updatedAt: at });

/** The broker-snapshot stores' contracts (positions, accounts, quotes, health: last write wins), run against each backend. */
export function snapshotStoresContract(backend: StoreBackend): void {
  describe(`snapshot stores contract (${backend.name})`, () => {
    const h = openOnce(backend, { beforeAll, afterAll });

    it('replaces one account’s positions and leaves the other account alone', async () => {
      const positions = h().stores.positions;
      await positions.replaceAccount('DU1', [position('DU1', 'AAPL', 10), position('DU1', 'MSFT', -5)]);
      await positions.replaceAccount('DU2', [position('DU2', 'AAPL', 1)]);

      await positions.replaceAccount('DU1', [position('DU1', 'MSFT', -3)]);

      const got = (await positions.list()).map((p) => `${p.account}:${p.symbol}:${p.quantity}`).sort();
      expect(got).toEqual(['DU1:MSFT:-3', 'DU2:AAPL:1']);
    });

    it('refuses a position of another account', async () => {
      await expect(h().stores.positions.replaceAccount('DU1', [position('DU9', 'AAPL', 1)])).rejects.toThrow(/DU9/);
    });

    it('stores account summaries and component health, last write wins', async () => {
      const accounts = h().stores.accounts;
      const health = h().stores.health;
      const summary = { account: 'DU1', currency: 'USD', netLiquidation: '1000000.00', totalCash: '900000', buyingPower: '4000000', grossPositionValue: '100000', updatedAt: at };

      await accounts.put(summary as never);
      await accounts.put({ ...summary, totalCash: '800000' } as never);
      await health.report({ component: 'broker', status: 'degraded', detail: {}, observedAt: at });
      await health.report({ component: 'broker', status: 'ok', detail: { rttMs: 2 }, observedAt: at });

      expect((await accounts.list()).map((a) => a.totalCash)).toEqual(['800000']);
      expect(await health.list()).toEqual([{ component: 'broker', status: 'ok', detail: { rttMs: 2 }, observedAt: at }]);
    });

    it('stores many quotes in batches, keeping the latest per symbol', async () => {
      const quotes = h().stores.quotes;
      const many = Array.from({ length: 60 }, (_, i) => QuoteSchema.parse({ symbol: `S${i % 40}`, bid: `${i}.00`, ask: `${i}.05`, at: new Date(Date.parse(at) + i).toISOString() }));

      await quotes.putMany(many);

      const got = await quotes.list();
      expect(got).toHaveLength(40);
      expect(got.find((q) => q.symbol === 'S0')!.bid).toBe('40.00');
    });
  });
}
