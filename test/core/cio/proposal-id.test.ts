import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64, proposalClientOrderId } from '../../../lib/core/cio/proposal-id.js';
import { parseClientOrderId } from '../../../lib/core/shared/ids-gen.js';

describe('proposalClientOrderId', () => {
  it('derives the id from the signal id and its New York day', () => {
    const id = proposalClientOrderId({ signalId: 'SIG-1', createdAt: '2026-11-27T03:00:00.000Z' });

    expect(id).toMatch(/^CO-20261126-\d{16}$/);
    expect(proposalClientOrderId({ signalId: 'SIG-1', createdAt: '2026-11-27T03:00:00.000Z' })).toBe(id);
    expect(proposalClientOrderId({ signalId: 'SIG-2', createdAt: '2026-11-27T03:00:00.000Z' })).not.toBe(id);
  });

  it('hashes with FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });

  it('is always a 16-digit sequence that parses back and never meets the daily counter', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), (signalId) => {
        const parsed = parseClientOrderId(proposalClientOrderId({ signalId, createdAt: '2026-11-26T15:00:00.000Z' }));
        expect(parsed?.day).toBe('2026-11-26');
        expect(parsed!.seq).toBeGreaterThanOrEqual(1e15);
        expect(parsed!.seq).toBeLessThan(9e15);
      }),
      { numRuns: 300 },
    );
  });
});
