import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIdInUseDelayMs, reconnectDelayMs } from '../../../fargate/gateway/backoff.js';

const policy = { initialDelayMs: 500, maxDelayMs: 30_000 };

describe('reconnectDelayMs', () => {
  it('stays within [initial/2, min(max, initial·2^attempt)] for any attempt and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = reconnectDelayMs(attempt, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(policy.initialDelayMs / 2);
        expect(d).toBeLessThanOrEqual(Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt));
      }),
    );
  });

  it('grows exponentially until the cap', () => {
    const top = (attempt: number) => reconnectDelayMs(attempt, policy, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('spreads retries with jitter instead of one fixed delay', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => reconnectDelayMs(5, policy, () => r)));
    expect(delays.size).toBe(5);
  });

  it('never returns zero even when random returns 0', () => {
    expect(reconnectDelayMs(0, policy, () => 0)).toBe(250);
  });

  it('waits at least clientIdInUseDelayMs after 326', () => {
    expect(clientIdInUseDelayMs(0, { ...policy, clientIdInUseDelayMs: 20_000 }, () => 0.5)).toBe(20_000);
    expect(clientIdInUseDelayMs(9, { ...policy, clientIdInUseDelayMs: 1_000 }, () => 1)).toBe(30_000);
  });
});
