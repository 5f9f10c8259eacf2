import { describe, expect, it } from 'vitest';
import { netSignals } from '../../../lib/core/cio/netting.js';
import { toDecimalString } from '../../../lib/core/money/fixed.js';
import { aSignal } from '../../support/builders.js';
import { baseConfig } from './fixtures.js';

describe('netSignals', () => {
  it('sums budget × strength × weight over the budgets present, one contribution per signal', () => {
    const a = aSignal({ strategyId: 'momentum-1', targetWeight: '0.06', strength: 0.5 });
    const b = aSignal({ strategyId: 'meanrev-1', targetWeight: '-0.03', direction: 'SHORT', strength: 1 });
    const config = { ...baseConfig, riskBudgets: { 'momentum-1': 2, 'meanrev-1': 1 } };

    const net = netSignals([a, b], config);

    // (2·0.5·0.06 − 1·1·0.03) / 3 = 0.01
    expect(toDecimalString(net.weight)).toBe('0.01');
    expect(net.contributions.map((c) => [c.signalId, toDecimalString(c.contribution)])).toEqual([
      [a.signalId, '0.02'],
      [b.signalId, '-0.01'],
    ]);
  });

  it('is zero with no budgeted signal', () => {
    const net = netSignals([aSignal({ strategyId: 'stranger' })], baseConfig);

    expect(net).toEqual({ weight: 0n, contributions: [] });
  });

  it('gives unknown strategies the default budget', () => {
    const net = netSignals([aSignal({ strategyId: 'stranger', targetWeight: '0.04' })], { ...baseConfig, defaultRiskBudget: 0.5 });

    expect(toDecimalString(net.weight)).toBe('0.04');
  });
});
