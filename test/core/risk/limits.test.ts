import { describe, expect, it } from 'vitest';
import { classifyLeverage, classifyVarUtilization, varReport, varUtilization } from '../../../lib/core/risk/limits.js';
import { historicalVar } from '../../../lib/core/risk/var-historical.js';
import { returnsMatrixFromRows } from '../../../lib/core/risk/returns-matrix.js';

describe('classifyVarUtilization', () => {
  it.each([
    [0, 'ok', null, null],
    [0.7999, 'ok', null, null],
    [0.8, 'warning', 'var_warning', null],
    [0.8999, 'warning', 'var_warning', null],
    // The runbook's bands: "80-90%" is a warning at both ends, critical is "> 90%".
    [0.9, 'warning', 'var_warning', null],
    [0.9001, 'critical', 'var_critical', 'reduce_positions'],
    [1.4, 'critical', 'var_critical', 'reduce_positions'],
    [-0.1, 'ok', null, null],
  ])('classifies utilisation %d as %s', (u, level, alert, action) => {
    expect(classifyVarUtilization(u)).toEqual({ level, alert, action });
  });

  it('uses configured levels when given', () => {
    expect(classifyVarUtilization(0.75, { warning: 0.7, critical: 0.85 }).alert).toBe('var_warning');
    expect(() => classifyVarUtilization(0.5, { warning: 0.9, critical: 0.8 })).toThrow(expect.objectContaining({ code: 'RISK.INVALID_PARAMETER' }));
  });
});

describe('varUtilization', () => {
  it('divides VaR by a positive limit', () => {
    expect(varUtilization(850_000, 1_000_000)).toBe(0.85);
    expect(() => varUtilization(1, 0)).toThrow(expect.objectContaining({ code: 'RISK.INVALID_PARAMETER' }));
  });
});

describe('classifyLeverage', () => {
  it.each([
    [1.49, 'ok'],
    [1.5, 'warning'],
    [1.8, 'warning'],
    [1.8001, 'critical'],
    [null, 'critical'],
  ] as const)('classifies leverage %s as %s', (value, level) => {
    expect(classifyLeverage(value)).toBe(level);
  });
});

describe('varReport', () => {
  it('reports VaR, limit, utilisation and components largest first', () => {
    const m = returnsMatrixFromRows(['A', 'B', 'C'], [
      [0.01, -0.02, 0.03, -0.04, 0.0, 0.02, -0.01, 0.05, -0.03, 0.01],
      [-0.01, 0.01, 0.02, 0.03, -0.02, 0.0, 0.01, -0.01, 0.02, -0.05],
      [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
    ]);
    const e = Float64Array.of(1000, 500, 0);
    const report = varReport(historicalVar(m, e, { confidence: 0.9 }), m.symbols, e, 25);
    expect(report).toMatchObject({ method: 'historical', var: '20.50', limit: '25.00', utilization: 0.82, level: 'warning', alert: 'var_warning' });
    expect(report.components.map((c) => [c.symbol, c.exposure, c.component, c.share])).toEqual([
      ['A', '1000.00', '31.00', 1.5122],
      ['B', '500.00', '-10.50', -0.5122],
    ]);
  });
});
