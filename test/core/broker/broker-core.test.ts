import { describe, expect, it } from 'vitest';
import { activeMaintenanceWindow, type MaintenanceWindowSpec } from '../../../lib/core/broker/maintenance.js';
import { BROKER_WATCH_ACTOR, brokerHaltOf, brokerHaltReason } from '../../../lib/core/broker/broker-halt.js';
import { PositionLedger, comparePositions } from '../../../lib/core/broker/reconciliation.js';

const NY = 'America/New_York';
const WINDOWS: MaintenanceWindowSpec[] = [
  { name: 'daily-restart', at: '23:45', timezone: NY, durationMinutes: 30 },
  { name: 'sunday-reauth', at: '01:00', days: ['SUN'], timezone: NY, durationMinutes: 120 },
];

describe('activeMaintenanceWindow', () => {
  it.each([
    // 2026-11-26 is a Thursday; New York is UTC−5 in November.
    ['2026-11-27T04:50:00.000Z', 'daily-restart', '2026-11-27T05:15:00.000Z'], // Thu 23:50 ET
    ['2026-11-27T05:10:30.000Z', 'daily-restart', '2026-11-27T05:15:00.000Z'], // Fri 00:10:30 ET, past midnight
    ['2026-11-29T06:30:00.000Z', 'sunday-reauth', '2026-11-29T08:00:00.000Z'], // Sun 01:30 ET
  ])('finds the window at %s', (at, name, endsAt) => {
    expect(activeMaintenanceWindow(WINDOWS, new Date(at))).toEqual({ name, endsAt });
  });

  it.each([
    '2026-11-27T05:15:00.000Z', // Fri 00:15 ET: the daily window has just ended
    '2026-11-26T19:00:00.000Z', // Thu 14:00 ET: market hours
    '2026-11-28T06:30:00.000Z', // Sat 01:30 ET: the re-auth window opens on Sundays only
  ])('finds none at %s', (at) => {
    expect(activeMaintenanceWindow(WINDOWS, new Date(at))).toBeUndefined();
  });

  it('reads wall-clock time in the window time zone across DST (July: UTC−4)', () => {
    expect(activeMaintenanceWindow(WINDOWS, new Date('2026-07-16T03:50:00.000Z'))?.name).toBe('daily-restart');
    expect(activeMaintenanceWindow(WINDOWS, new Date('2026-07-16T04:50:00.000Z'))).toBeUndefined();
  });
});

describe('broker halt reason', () => {
  const state = (changedBy: string, reason: string, mode: 'HALTED' | 'ACTIVE' = 'HALTED') => ({ mode, version: 3, changedAt: '2026-11-26T14:00:00.000Z', changedBy, reason });

  it('round-trips kind, cause and the mode to resume', () => {
    const reason = brokerHaltReason({ kind: 'broker_disconnect', cause: 'socket closed (IB 1100)', resumeTo: 'REDUCING' });
    expect(reason).toBe('broker_disconnect: socket closed (IB 1100) [resume: REDUCING]');
    expect(brokerHaltOf(state(BROKER_WATCH_ACTOR, reason))).toEqual({ kind: 'broker_disconnect', cause: 'socket closed (IB 1100)', resumeTo: 'REDUCING' });
  });

  it("never claims a person's halt, a non-halt or a free-text reason", () => {
    const reason = brokerHaltReason({ kind: 'broker_disconnect', cause: 'x', resumeTo: 'ACTIVE' });
    expect(brokerHaltOf(state('john.doe', reason))).toBeUndefined();
    expect(brokerHaltOf(state(BROKER_WATCH_ACTOR, reason, 'ACTIVE'))).toBeUndefined();
    expect(brokerHaltOf(state(BROKER_WATCH_ACTOR, 'something else'))).toBeUndefined();
    expect(brokerHaltOf(undefined)).toBeUndefined();
  });
});

describe('PositionLedger and comparePositions', () => {
  it('is aligned when the broker equals the baseline plus the fills since', () => {
    const ledger = new PositionLedger();
    ledger.rebase([{ account: 'DU1', symbol: 'AAPL', quantity: 10 }]);
    ledger.apply({ account: 'DU1', symbol: 'AAPL', side: 'SELL', quantity: 10 });
    ledger.apply({ account: 'DU1', symbol: 'MSFT', side: 'BUY', quantity: 5 });
    expect(comparePositions(ledger, [{ account: 'DU1', symbol: 'MSFT', quantity: 5 }])).toEqual([]);
  });

  it('names each account and symbol that differs, in both directions', () => {
    const ledger = new PositionLedger();
    ledger.rebase([{ account: 'DU1', symbol: 'AAPL', quantity: 10 }]);
    const diffs = comparePositions(ledger, [{ account: 'DU1', symbol: 'AAPL', quantity: 20 }, { account: 'DU1', symbol: 'IBM', quantity: -3 }]);
    expect(diffs.map((d) => [d.symbol, d.ours, d.broker])).toEqual([
      ['AAPL', '10', '20'],
      ['IBM', '0', '-3'],
    ]);
    expect(diffs[0]?.message).toContain('10 more AAPL');
    expect(diffs[1]?.message).toContain('3 fewer IBM');
  });
});
