import { describe, expect, it } from 'vitest';
import { activationMatches, cancelRetryDelayMs, modeChangeVerdict } from '../../../lib/core/kill-switch/rules.js';
import { strategyHaltDenial } from '../../../lib/core/kill-switch/halts.js';
import { incidentIdFromUlid } from '../../../lib/core/kill-switch/incident.js';

describe('modeChangeVerdict', () => {
  it.each([
    ['HALTED', 'REDUCING', ['admin'], 'KILL_SWITCH.UNLOCK_REQUIRED'],
    ['HALTED', 'ACTIVE', ['risk_manager'], 'KILL_SWITCH.UNLOCK_REQUIRED'],
    ['REDUCING', 'ACTIVE', ['operator'], 'KILL_SWITCH.ROLE_REQUIRED'],
    ['REDUCING', 'ACTIVE', ['risk_manager'], undefined],
    ['REDUCING', 'ACTIVE', ['admin'], undefined],
    ['ACTIVE', 'REDUCING', ['operator'], undefined],
    ['ACTIVE', 'ACTIVE', ['operator'], undefined],
  ] as const)('%s → %s for %j: %s', (from, to, roles, code) => {
    const v = modeChangeVerdict(from, to, roles);
    expect(v.allowed ? undefined : v.code).toBe(code);
  });
});

describe('cancelRetryDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => cancelRetryDelayMs(a, { initialMs: 50, maxMs: 1000 }))).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
    expect(() => cancelRetryDelayMs(0, { initialMs: 50, maxMs: 1000 })).toThrow(/positive integer/);
  });
});

describe('strategyHaltDenial', () => {
  const halts = [{ strategyId: 'ma-crossover', haltedBy: 'jane', reason: 'runaway' }];
  it('refuses the halted strategy only, and never an order without a strategy', () => {
    expect(strategyHaltDenial('ma-crossover', halts)).toEqual({ code: 'STRATEGY_HALTED', message: 'strategy ma-crossover is halted by jane: runaway' });
    expect(strategyHaltDenial('mean-reversion', halts)).toBeUndefined();
    expect(strategyHaltDenial(undefined, halts)).toBeUndefined();
  });
});

describe('activationMatches and incident ids', () => {
  it('ties an activation to the HALTED version it wrote', () => {
    expect(activationMatches({ mode: 'HALTED', version: 4 }, { stateVersion: 4 })).toBe(true);
    expect(activationMatches({ mode: 'HALTED', version: 6 }, { stateVersion: 4 })).toBe(false);
    expect(activationMatches({ mode: 'ACTIVE', version: 4 }, { stateVersion: 4 })).toBe(false);
    expect(activationMatches({ mode: 'HALTED', version: 4 }, undefined)).toBe(false);
  });
  it('makes INC- ids from ULIDs and refuses anything else', () => {
    expect(incidentIdFromUlid('01KB2Z5W8Q6Y7T1M3N4P5R6S7V')).toBe('INC-01KB2Z5W8Q6Y7T1M3N4P5R6S7V');
    expect(() => incidentIdFromUlid('not-a-ulid')).toThrow();
  });
});
