import { describe, expect, it } from 'vitest';
import { parseLocalRunArgs } from '../../lib/local/runtime-options.js';
import { LOCAL_STATE_ENV, resolveStateBackend } from '../../lib/local/state-backend.js';
import { loadConfig } from '../../lib/config/index.js';

describe('choosing the local state backend', () => {
  it('takes the --state flag over TRADEOPS_STATE, and TRADEOPS_STATE over config local.state', () => {
    expect(resolveStateBackend('dynalite', { [LOCAL_STATE_ENV]: 'memory' }, 'memory')).toBe('dynalite');
    expect(resolveStateBackend(undefined, { [LOCAL_STATE_ENV]: 'memory' }, 'dynalite')).toBe('memory');
    expect(resolveStateBackend(undefined, { [LOCAL_STATE_ENV]: '' }, 'memory')).toBe('memory');
    expect(resolveStateBackend(undefined, {}, 'dynalite')).toBe('dynalite');
  });

  it('refuses an unknown TRADEOPS_STATE naming the variable', () => {
    expect(() => resolveStateBackend(undefined, { [LOCAL_STATE_ENV]: 'redis' }, 'dynalite')).toThrow(/TRADEOPS_STATE=redis/);
  });

  it('parses --state and refuses an unknown one', () => {
    expect(parseLocalRunArgs(['--state', 'memory']).state).toBe('memory');
    expect(parseLocalRunArgs([]).state).toBeUndefined();
    expect(() => parseLocalRunArgs(['--state', 'sqlite'])).toThrow();
  });

  it('defaults to dynalite in the shipped local config', () => {
    expect(loadConfig('local').local.state).toBe('dynalite');
  });
});
