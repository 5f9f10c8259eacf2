import { describe, expect, it } from 'vitest';
import { aggregateExecutionQuality, percentile } from '../../../lib/core/execution/stats.js';
import { classifyExecutionQuality, DEFAULT_EXECUTION_ALERT_THRESHOLDS } from '../../../lib/core/execution/alerts.js';
import type { OrderExecutionQuality } from '../../../lib/core/execution/quality.js';
import { parseDecimal, toDecimalString, ZERO } from '../../../lib/core/money/fixed.js';
import type { ExecutionStats } from '../../../lib/core/execution/stats.js';

function q(overrides: Partial<OrderExecutionQuality>): OrderExecutionQuality {
  return {
    clientOrderId: 'CO-x', symbol: 'AAPL', side: 'BUY', strategyId: 's1', account: 'DU1', outcome: 'FILLED', orderedQuantity: 100, filledQuantity: 100,
    fillRatio: undefined, filledNotional: ZERO, avgFillPrice: undefined, arrivalPrice: parseDecimal('100'), slippageBps: undefined, slippageCost: undefined,
    commission: ZERO, submittedAt: undefined, firstFillAt: undefined, completedAt: undefined, timeToFirstFillMs: undefined, timeToCompleteMs: undefined, anomalies: [],
    ...overrides,
  };
}
const slip = (bps: string, filled = 100) => ({ slippageBps: parseDecimal(bps), slippageCost: parseDecimal(bps) /* arrival 100 × 100 shares: 1 bps = 1 USD */, filledQuantity: filled });

describe('aggregateExecutionQuality', () => {
  it('computes fill rates over completed orders only, per strategy', () => {
    const stats = aggregateExecutionQuality([
      q({ strategyId: 's1', outcome: 'FILLED' }),
      q({ strategyId: 's1', outcome: 'CANCELLED', filledQuantity: 50 }),
      q({ strategyId: 's1', outcome: 'WORKING', filledQuantity: 0 }),
      q({ strategyId: 's1', outcome: 'DENIED', filledQuantity: 0 }),
      q({ strategyId: undefined, outcome: 'REJECTED', filledQuantity: 0 }),
    ], 'strategy');

    expect(stats.map((s) => s.key)).toEqual(['UNATTRIBUTED', 's1']);
    const s1 = stats[1]!;
    expect(s1).toMatchObject({ orders: 4, completedOrders: 2, workingOrders: 1, deniedOrders: 1, fullyFilledOrders: 1, orderedQuantity: 200, filledQuantity: 150 });
    expect(toDecimalString(s1.fillRate!)).toBe('0.75');
    expect(toDecimalString(s1.orderFillRate!)).toBe('0.5');
  });

  it('averages slippage per order and takes the nearest-rank p95', () => {
    const orders = Array.from({ length: 20 }, (_, i) => q({ symbol: 'MSFT', ...slip(String(i + 1)) }));

    const [s] = aggregateExecutionQuality(orders, 'instrument');

    expect(toDecimalString(s!.avgSlippageBps!)).toBe('10.5');
    expect(toDecimalString(s!.p95SlippageBps!)).toBe('19');
    expect(toDecimalString(s!.weightedSlippageBps!)).toBe('10.5');
  });

  it('weights the money-weighted slippage by arrival notional', () => {
    const [s] = aggregateExecutionQuality([q({ ...slip('10', 100) }), q({ slippageBps: parseDecimal('0'), slippageCost: parseDecimal('0'), filledQuantity: 300 })], 'overall');

    expect(toDecimalString(s!.avgSlippageBps!)).toBe('5');
    expect(toDecimalString(s!.weightedSlippageBps!)).toBe('2.5');
  });
});

describe('percentile', () => {
  it.each([[[5, 1, 3], 0.5, 3], [[1], 0.95, 1], [[1, 2, 3, 4], 0.95, 4], [[], 0.95, undefined]] as const)('returns the nearest rank of %j at %f', (xs, p, want) => {
    expect(percentile(xs as readonly number[], p)).toBe(want);
  });
});

describe('classifyExecutionQuality', () => {
  const stats = (fillRate: string | undefined, avgSlip: string | undefined): ExecutionStats => ({
    ...aggregateExecutionQuality([q({})], 'overall')[0]!,
    fillRate: fillRate === undefined ? undefined : parseDecimal(fillRate),
    avgSlippageBps: avgSlip === undefined ? undefined : parseDecimal(avgSlip),
    ordersWithSlippage: 1,
  });

  it.each([
    ['1', '0', []],
    ['0.9501', '4.99', []],
    ['0.95', '5', ['execution_fill_rate_warning', 'execution_slippage_warning']],
    ['0.90', '10', ['execution_fill_rate_warning', 'execution_slippage_warning']],
    ['0.8999', '10.01', ['execution_fill_rate_critical', 'execution_slippage_critical']],
    ['0.5', '-30', ['execution_fill_rate_critical']],
    [undefined, undefined, []],
  ] as const)('classifies fill rate %s and slippage %s bps', (fillRate, slipBps, want) => {
    expect(classifyExecutionQuality(stats(fillRate, slipBps), DEFAULT_EXECUTION_ALERT_THRESHOLDS)).toEqual(want);
  });

  it('judges nothing below the minimum number of orders', () => {
    expect(classifyExecutionQuality(stats('0.1', '50'), { ...DEFAULT_EXECUTION_ALERT_THRESHOLDS, minOrders: 5 })).toEqual([]);
  });
});
