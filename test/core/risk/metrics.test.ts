import { describe, expect, it } from 'vitest';
import { PositionSchema, type Position } from '../../../lib/core/positions/position.js';
import { dailyLossCheck, dailyPnl, drawdown, exposure, exposureVector, leverage } from '../../../lib/core/risk/metrics.js';
import { RiskErrorCode } from '../../../lib/core/risk/errors.js';

function aPosition(symbol: string, quantity: number, extra: Partial<Position> = {}): Position {
  return PositionSchema.parse({ account: 'DU0000001', symbol, quantity, avgCost: '100', currency: 'USD', realizedPnl: '0', updatedAt: '2026-11-26T15:00:00.000Z', ...extra });
}

describe('exposure', () => {
  it('sums long, short, gross and net exposure exactly at the marks', () => {
    const positions = [aPosition('AAPL', 100), aPosition('MSFT', -30), aPosition('SPY', 0), aPosition('TSLA', 10, { marketPrice: '250.05' })];
    const e = exposure(positions, { AAPL: '187.20', MSFT: '415.10' });
    // long 18,720 + 2,500.50; short 12,453
    expect(e).toMatchObject({ long: '21220.50', short: '12453.00', gross: '33673.50', net: '8767.50', unmarked: [] });
    expect(e.positions.map((p) => [p.symbol, p.marketValue])).toEqual([['AAPL', '18720.00'], ['MSFT', '-12453.00'], ['TSLA', '2500.50']]);
  });

  it('lists positions without a mark instead of counting them as zero', () => {
    expect(exposure([aPosition('AAPL', 100)], {}).unmarked).toEqual(['AAPL']);
  });
});

describe('exposureVector', () => {
  it('aligns exposures with the returns matrix and reports what it cannot see', () => {
    const v = exposureVector(['MSFT', 'AAPL'], [aPosition('AAPL', 100), aPosition('MSFT', -10), aPosition('XYZ', 5), aPosition('QQQ', 1)], { AAPL: '187.2', MSFT: '400', XYZ: '10' });
    expect([...v.exposures]).toEqual([-4000, 18720]);
    expect(v.uncovered).toEqual(['XYZ']);
    expect(v.unmarked).toEqual(['QQQ']);
  });
});

describe('leverage', () => {
  it('divides gross exposure by net liquidation', () => {
    expect(leverage('150000', '100000')).toBe(1.5);
    expect(leverage('0', '100000')).toBe(0);
  });

  it('is null when there is no equity', () => {
    expect(leverage('1000', '0')).toBeNull();
    expect(leverage('1000', '-5')).toBeNull();
  });
});

describe('drawdown', () => {
  it('finds the largest peak-to-trough fall and the current one', () => {
    const d = drawdown(['100', '120', '90', '110', '80', '95']);
    // Peak 120 (#1) → trough 80 (#4): 40, a third of the peak; now 95, 25 below the peak.
    expect(d).toEqual({ max: '40.00', maxFraction: expect.closeTo(1 / 3, 9), peakIndex: 1, troughIndex: 4, current: '25.00', currentFraction: expect.closeTo(25 / 120, 9) });
  });

  it('reports no drawdown for a rising series', () => {
    expect(drawdown(['1', '2', '3'])).toEqual({ max: '0.00', maxFraction: 0, peakIndex: 0, troughIndex: 0, current: '0.00', currentFraction: 0 });
  });

  it('gives amounts but no fraction for a P&L series whose peak is not positive', () => {
    const d = drawdown(['0', '-50', '-20']);
    expect(d).toMatchObject({ max: '50.00', maxFraction: null, current: '20.00', currentFraction: null });
  });

  it('refuses an empty series', () => {
    expect(() => drawdown([])).toThrow(expect.objectContaining({ code: RiskErrorCode.SHAPE_MISMATCH }));
  });
});

describe('dailyPnl', () => {
  it('adds the change in realised and in unrealised P&L since the start of day', () => {
    // A position carried +500 unrealised into the day, was half closed for +300, the rest now +100.
    expect(dailyPnl({ realizedPnl: '1000', unrealizedPnl: '500' }, { realizedPnl: '1300', unrealizedPnl: '100' })).toEqual({ realized: '300.00', unrealized: '-400.00', total: '-100.00' });
  });

  it('flags a loss beyond the daily limit, and only then', () => {
    expect(dailyLossCheck('-12000.5', '10000')).toEqual({ loss: '12000.50', limit: '10000.00', breached: true });
    expect(dailyLossCheck('-10000', '10000').breached).toBe(false);
    expect(dailyLossCheck('5000', '10000')).toMatchObject({ loss: '0.00', breached: false });
  });
});
