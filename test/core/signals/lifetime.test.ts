import { describe, expect, it } from 'vitest';
import { activeSignals, isExpired } from '../../../lib/core/signals/lifetime.js';
import { signalIssues } from '../../../lib/core/signals/validation.js';
import { aSignal } from '../../support/builders.js';

const now = new Date('2026-11-26T20:00:00.000Z'); // 15:00 in New York

describe('isExpired', () => {
  it.each([
    ['intraday, same New York day', 'intraday', '2026-11-26T14:30:00.000Z', false],
    ['intraday, previous New York day (late evening UTC next day)', 'intraday', '2026-11-26T04:00:00.000Z', true],
    ['1d just inside', '1d', '2026-11-25T20:00:00.001Z', false],
    ['1d at 24 h', '1d', '2026-11-25T20:00:00.000Z', true],
    ['1w inside', '1w', '2026-11-20T20:00:00.000Z', false],
    ['1m after 30 days', '1m', '2026-10-27T20:00:00.000Z', true],
  ] as const)('%s', (_name, horizon, createdAt, expected) => {
    expect(isExpired({ horizon, createdAt }, now)).toBe(expected);
  });
});

describe('activeSignals', () => {
  it('keeps the latest signal per strategy whatever the arrival order, and drops it once expired', () => {
    const old = aSignal({ strategyId: 'a', createdAt: '2026-11-26T14:00:00.000Z' });
    const latest = aSignal({ strategyId: 'a', createdAt: '2026-11-26T15:00:00.000Z' });
    const expiredLatest = aSignal({ strategyId: 'b', horizon: 'intraday', createdAt: '2026-11-25T15:00:00.000Z' });
    const olderOfB = aSignal({ strategyId: 'b', horizon: '1m', createdAt: '2026-11-25T14:00:00.000Z' });

    expect(activeSignals([latest, old, olderOfB, expiredLatest], now).map((s) => s.signalId)).toEqual([latest.signalId]);
  });

  it('breaks a createdAt tie by signalId', () => {
    const x = aSignal({ signalId: 'X-1', strategyId: 'a' });
    const y = aSignal({ signalId: 'X-2', strategyId: 'a' });

    expect(activeSignals([y, x], now)[0]!.signalId).toBe('X-2');
    expect(activeSignals([x, y], now)[0]!.signalId).toBe('X-2');
  });
});

describe('signalIssues', () => {
  it.each([
    ['LONG with a negative weight', { direction: 'LONG', targetWeight: '-0.01' }, 'targetWeight'],
    ['SHORT with a positive weight', { direction: 'SHORT', targetWeight: '0.01' }, 'targetWeight'],
    ['FLAT with a weight', { direction: 'FLAT', targetWeight: '0.01' }, 'targetWeight'],
    ['dated in the future', { createdAt: '2026-11-26T20:05:00.000Z' }, 'createdAt'],
    ['already expired', { horizon: 'intraday', createdAt: '2026-11-25T15:00:00.000Z' }, 'createdAt'],
  ] as const)('names the field of a signal %s', (_name, overrides, path) => {
    expect(signalIssues(aSignal(overrides), now).map((i) => i.path)).toEqual([path]);
  });

  it('accepts a consistent, current signal', () => {
    expect(signalIssues(aSignal({ direction: 'SHORT', targetWeight: '-0.02' }), now)).toEqual([]);
  });
});
