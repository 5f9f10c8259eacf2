import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparisonOperatorOf, reaches } from '../../../lib/core/metrics/threshold.js';
import { breaches, levelOf, type KeyMetricAlert } from '../../../lib/core/metrics/key-metrics.js';

describe('reaches: the runbook Key Metrics bands', () => {
  it('reaches a warning at its threshold and a critical only past it', () => {
    expect(reaches('WARNING', 'above', 0.8, 0.8)).toBe(true);
    expect(reaches('WARNING', 'above', 0.7999, 0.8)).toBe(false);
    expect(reaches('CRITICAL', 'above', 0.9, 0.9)).toBe(false);
    expect(reaches('CRITICAL', 'above', 0.9001, 0.9)).toBe(true);
    // fill rate: warning "90-95%", critical "< 90%"
    expect(reaches('WARNING', 'below', 0.95, 0.95)).toBe(true);
    expect(reaches('CRITICAL', 'below', 0.9, 0.9)).toBe(false);
    expect(reaches('CRITICAL', 'below', 0.8999, 0.9)).toBe(true);
  });

  it('agrees with the CloudWatch operator it maps to, for any value and threshold', () => {
    const cw = { GreaterThanOrEqualToThreshold: (v: number, t: number) => v >= t, GreaterThanThreshold: (v: number, t: number) => v > t, LessThanOrEqualToThreshold: (v: number, t: number) => v <= t, LessThanThreshold: (v: number, t: number) => v < t };
    fc.assert(
      fc.property(fc.constantFrom('WARNING' as const, 'CRITICAL' as const), fc.constantFrom('above' as const, 'below' as const), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (sev, dir, v, t) => {
        expect(cw[comparisonOperatorOf(sev, dir)](v, t)).toBe(reaches(sev, dir, v, t));
        expect(reaches(sev, dir, t, t)).toBe(sev === 'WARNING');
      }),
    );
  });

  it('gives the dashboard the runbook level at each band edge (VaR utilisation 0.8 and 0.9)', () => {
    const alerts: KeyMetricAlert[] = [
      { name: 'var_warning', metric: 'portfolio_var_utilization', threshold: 0.8, comparison: 'above', severity: 'WARNING' },
      { name: 'var_critical', metric: 'portfolio_var_utilization', threshold: 0.9, comparison: 'above', severity: 'CRITICAL' },
    ];
    expect(levelOf('portfolio_var_utilization', 0.8, alerts).level).toBe('warning');
    expect(levelOf('portfolio_var_utilization', 0.9, alerts).level).toBe('warning');
    expect(levelOf('portfolio_var_utilization', 0.95, alerts).level).toBe('critical');
    expect(breaches(alerts[1]!, 0.9)).toBe(false);
  });
});
