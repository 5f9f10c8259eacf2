import { describe, expect, it } from 'vitest';
import { marginalVarOf } from '../../../lib/core/pretrade/marginal-var.js';

describe('marginalVarOf', () => {
  it('scales the marginal by the exposure the order adds, signed by side', () => {
    expect(marginalVarOf(0.05, 'BUY', 100, '187.25')).toBe('936.25');
    expect(marginalVarOf(0.05, 'SELL', 100, '187.25')).toBe('-936.25');
  });

  it('is zero for a hedge-neutral position and for a non-finite marginal', () => {
    expect(marginalVarOf(0, 'BUY', 100, '187.25')).toBe('0');
    expect(marginalVarOf(Number.NaN, 'BUY', 100, '187.25')).toBe('0');
  });
});
