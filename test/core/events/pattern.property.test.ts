import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesPattern } from '../../../lib/core/events/pattern.js';

const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
const field = fc.option(scalar, { nil: undefined });
const event = (v: unknown) => ({ source: 'tradeops.test', detail: v === undefined ? {} : { f: v } });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

describe('matchesPattern properties', () => {
  it('matches { exists: true } exactly when the field is present, { exists: false } otherwise', () => {
    fc.assert(
      fc.property(field, (v) => {
        const present = v !== undefined;
        expect(matchesPattern({ detail: { f: [{ exists: true }] } }, event(v))).toBe(present);
        expect(matchesPattern({ detail: { f: [{ exists: false }] } }, event(v))).toBe(!present);
      }),
    );
  });

  it('matches anything-but X exactly when a present scalar field is not X', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 5 })), fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 5 })), (x, v) => {
        expect(matchesPattern({ detail: { f: [{ 'anything-but': x }] } }, event(v))).toBe(!matchesPattern({ detail: { f: [x] } }, event(v)));
      }),
    );
  });

  it('matches a prefix exactly when the string starts with it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), fc.string({ maxLength: 6 }), (p, s) => {
        expect(matchesPattern({ detail: { f: [{ prefix: p }] } }, event(s))).toBe(s.startsWith(p));
        expect(matchesPattern({ detail: { f: [{ 'anything-but': { prefix: p } }] } }, event(s))).toBe(!s.startsWith(p));
      }),
    );
  });

  it('matches a numeric range exactly when lower ≤ v < upper', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.double({ min: -300, max: 300, noNaN: true }), (lo, width, v) => {
        const hi = lo + width;
        expect(matchesPattern({ detail: { f: [{ numeric: ['>=', lo, '<', hi] }] } }, event(v))).toBe(v >= lo && v < hi);
      }),
    );
  });

  it('matches a wildcard without stars exactly like the value itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }).filter((s) => !s.includes('*') && !s.includes('\\')), fc.string({ maxLength: 6 }), (w, s) => {
        expect(matchesPattern({ detail: { f: [{ wildcard: w }] } }, event(s))).toBe(s === w);
      }),
    );
  });

  it('matches an IPv4 /32 only for that address and /0 for every IPv4 address', () => {
    fc.assert(
      fc.property(ipv4, ipv4, (a, b) => {
        expect(matchesPattern({ detail: { f: [{ cidr: `${a}/32` }] } }, event(b))).toBe(a === b);
        expect(matchesPattern({ detail: { f: [{ cidr: '0.0.0.0/0' }] } }, event(b))).toBe(true);
      }),
    );
  });

  it('matches $or [p, q] exactly when p or q matches', () => {
    const leaf = fc.oneof(scalar.map((x) => [x]), fc.boolean().map((b) => [{ exists: b }]));
    fc.assert(
      fc.property(leaf, leaf, field, (p, q, v) => {
        const P = { detail: { f: p } };
        const Q = { detail: { f: q } };
        expect(matchesPattern({ $or: [P, Q] }, event(v))).toBe(matchesPattern(P, event(v)) || matchesPattern(Q, event(v)));
      }),
    );
  });
});
