import { describe, expect, it } from 'vitest';
import { fmt } from '../../../fargate/ib-sim/fixed.js';
import { MarketSim, type InstrumentSpec } from '../../../fargate/ib-sim/market.js';

const specs: InstrumentSpec[] = [
  { symbol: 'AAPL', conId: 265598, price: '187.25', tickSize: '0.01', volatilityBps: 5, exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD', longName: 'APPLE INC' },
  { symbol: 'SPY', conId: 756733, price: '560.00', tickSize: '0.01', volatilityBps: 5, exchange: 'SMART', primaryExchange: 'ARCA', currency: 'USD', longName: 'SPY' },
];

function path(seed: number, steps: number): string[] {
  const m = new MarketSim(specs, seed, 0);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) for (const q of m.step(i)) out.push(`${q.symbol}:${fmt(q.bid)}/${fmt(q.ask)}x${q.bidSize}/${q.askSize}`);
  return out;
}

describe('MarketSim', () => {
  it('starts with a two-sided quote around the configured mid', () => {
    const q = new MarketSim(specs, 1, 0).quote('AAPL');

    expect(q && fmt(q.bid)).toBe('187.24');
    expect(q && fmt(q.ask)).toBe('187.26');
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(path(42, 200)).toEqual(path(42, 200));
    expect(path(42, 200)).not.toEqual(path(43, 200));
  });

  it('keeps prices on the tick grid with bid below ask', () => {
    const m = new MarketSim(specs, 9, 0);
    for (let i = 0; i < 500; i++) {
      for (const q of m.step(i)) {
        expect(q.bid % m.tickSize(q.symbol)!).toBe(0n);
        expect(q.bid < q.ask).toBe(true);
        expect(q.bid > 0n).toBe(true);
      }
    }
  });

  it('continues the same path from a saved state', () => {
    const a = new MarketSim(specs, 5, 0);
    for (let i = 0; i < 50; i++) a.step(i);
    const b = new MarketSim(specs, 5, 0, a.state());

    expect(a.step(51).map((q) => [q.bid, q.ask])).toEqual(b.step(51).map((q) => [q.bid, q.ask]));
  });
});
