import { describe, expect, it } from 'vitest';
import { TRADING_TRANSITIONS, canCancel, canMove, canSubmit, initialTradingState, nextState, submitDenial } from '../../../lib/core/trading-state/transitions.js';
import { TradingStateSchema, type TradingMode } from '../../../lib/core/trading-state/trading-state.js';

const AT = '2026-11-26T14:30:00.000Z';
const MODES: TradingMode[] = ['ACTIVE', 'REDUCING', 'HALTED'];

describe('canSubmit', () => {
  it.each([
    ['ACTIVE', false, true], ['ACTIVE', true, true],
    ['REDUCING', false, false], ['REDUCING', true, true],
    ['HALTED', false, false], ['HALTED', true, false],
  ] as const)('in %s with reducesExposure=%s is %s', (mode, reducesExposure, allowed) => {
    expect(canSubmit(mode, { reducesExposure })).toBe(allowed);
    expect(submitDenial(mode, { reducesExposure }) === undefined).toBe(allowed);
  });

  it('names why a submit is refused', () => {
    expect(submitDenial('HALTED', { reducesExposure: true })).toBe('TRADING_STATE.HALTED');
    expect(submitDenial('REDUCING', { reducesExposure: false })).toBe('TRADING_STATE.REDUCING_ONLY');
  });

  it('always lets cancels through', () => {
    for (const m of MODES) expect(canCancel(m)).toBe(true);
  });
});

describe('nextState', () => {
  it('starts at version 0 in the mode given, as a valid record', () => {
    const s = initialTradingState(new Date(AT), 'HALTED');
    expect(TradingStateSchema.parse(s)).toEqual({ mode: 'HALTED', version: 0, changedAt: AT, changedBy: 'system', reason: 'initial state' });
    expect(initialTradingState(AT, 'ACTIVE', { by: 'local-runtime', reason: 'paper mode start' })).toMatchObject({ mode: 'ACTIVE', changedBy: 'local-runtime', reason: 'paper mode start' });
  });

  it('moves to a new mode with version + 1 and who, why and when', () => {
    const current = initialTradingState(AT, 'ACTIVE');
    const r = nextState(current, 'HALTED', 'john.doe', 'Manual activation', new Date('2026-11-26T15:00:00.000Z'));
    expect(r).toEqual({ changed: true, from: 'ACTIVE', state: { mode: 'HALTED', version: 1, changedAt: '2026-11-26T15:00:00.000Z', changedBy: 'john.doe', reason: 'Manual activation' } });
  });

  it('is a no-op for the current mode', () => {
    const current = initialTradingState(AT, 'HALTED');
    const r = nextState(current, 'HALTED', 'jane', 'again', AT);
    expect(r).toEqual({ changed: false, state: current });
    expect(r.state).toBe(current);
  });

  it('allows every move between different modes', () => {
    for (const from of MODES) for (const to of MODES) expect(canMove(from, to)).toBe(true);
    expect(Object.keys(TRADING_TRANSITIONS).sort()).toEqual([...MODES].sort());
  });

  it('refuses a change without who or why', () => {
    const current = initialTradingState(AT, 'ACTIVE');
    expect(() => nextState(current, 'HALTED', 'john', ' ', AT)).toThrow(expect.objectContaining({ code: 'TRADING_STATE.REASON_REQUIRED' }));
    expect(() => nextState(current, 'HALTED', '', 'x', AT)).toThrow(expect.objectContaining({ code: 'TRADING_STATE.REASON_REQUIRED' }));
  });
});
