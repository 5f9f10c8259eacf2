import { describe, expect, it } from 'vitest';
import { ENV_NAMES, loadConfig } from '../../../lib/config/index.js';
import { riskPolicyFromConfig, varLevels } from '../../../lib/app/risk/index.js';

describe('riskPolicyFromConfig', () => {
  it('maps every shipped config: limits, the VaR and leverage alerts, and the built-in daily loss alert', () => {
    for (const env of ENV_NAMES) {
      const config = loadConfig(env);
      const policy = riskPolicyFromConfig(config);
      expect(policy.varLimit).toBe(config.limits.varLimit);
      expect(policy.dailyLossLimit).toBe(config.limits.dailyLossLimit);
      const names = policy.alerts.map((a) => a.name);
      expect(names).toContain('daily_loss_limit');
      for (const [name, a] of Object.entries(config.alerts)) {
        const watched = a.metric === 'portfolio_var_utilization' || a.metric === 'leverage';
        expect(names.includes(name)).toBe(watched);
      }
    }
  });

  it('keeps the runbook levels and the reduce_positions action of var_critical', () => {
    const policy = riskPolicyFromConfig(loadConfig('local'));
    expect(policy.alerts.find((a) => a.name === 'var_critical')).toEqual({ name: 'var_critical', metric: 'portfolio_var_utilization', threshold: 0.9, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'], action: 'reduce_positions' });
    expect(varLevels(policy)).toEqual({ warning: 0.8, critical: 0.9 });
    expect(policy).toMatchObject({ confidence: 0.99, window: 250 });
  });
});
