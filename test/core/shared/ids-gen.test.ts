import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIdGenerator, formatClientOrderId, parseClientOrderId, seededRandomSource, ulid } from '../../../lib/core/shared/ids-gen.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { InvariantError } from '../../../lib/core/shared/errors.js';

describe('clientOrderId', () => {
  it('formats the day and a zero-padded sequence', () => {
    expect(formatClientOrderId('2026-11-26', 1)).toBe('CO-20261126-000001');
    expect(formatClientOrderId('2026-11-26', 1_234_567)).toBe('CO-20261126-1234567');
  });

  it('files an instant under its New York day', () => {
    expect(formatClientOrderId(new Date('2026-11-27T03:00:00.000Z'), 7)).toBe('CO-20261126-000007');
  });

  it('parses back what it formats and nothing else', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.date({ min: new Date('2020-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (seq, d) => {
      const day = d.toISOString().slice(0, 10);
      return JSON.stringify(parseClientOrderId(formatClientOrderId(day, seq))) === JSON.stringify({ day, seq });
    }));
    expect(parseClientOrderId('EXT-1001')).toBeUndefined();
  });

  it.each([0, -1, 1.5])('refuses sequence %s', (seq) => {
    expect(() => formatClientOrderId('2026-11-26', seq)).toThrow(InvariantError);
  });
});

describe('ulid', () => {
  it('encodes time and randomness in 26 Crockford characters', () => {
    const id = ulid(Date.parse('2026-11-26T14:30:00.000Z'), () => new Uint8Array(10));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(10)).toBe('0'.repeat(16));
    expect(ulid(0, () => new Uint8Array(10).fill(255))).toBe('0000000000ZZZZZZZZZZZZZZZZ');
  });

  it('sorts by time as a string', () => {
    const random = seededRandomSource(7);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 2 ** 40 }), (t, dt) => ulid(t, random) < ulid(t + dt, random)));
  });
});

describe('createIdGenerator', () => {
  it('is deterministic for the same clock and seed', () => {
    const make = () => createIdGenerator({ now: () => new Date('2026-11-26T14:30:00.000Z'), random: seededRandomSource(42) });
    const a = make();
    const b = make();
    expect([a.eventId(), a.eventId(), a.correlationId()]).toEqual([b.eventId(), b.eventId(), b.correlationId()]);
  });

  it('stays unique and ordered within one millisecond and when the clock steps back', () => {
    const clock = new ManualClock();
    const ids = createIdGenerator({ now: () => clock.now(), random: seededRandomSource(1) });
    const out: string[] = [];
    for (let i = 0; i < 1000; i++) {
      out.push(ids.next());
      if (i === 500) clock.advance(-5);
      if (i % 100 === 0) clock.advance(1);
    }
    expect(new Set(out).size).toBe(out.length);
    expect([...out].sort()).toEqual(out);
  });

  it('prefixes correlation ids so they cannot be mistaken for event ids', () => {
    const ids = createIdGenerator({ now: () => new Date(0), random: seededRandomSource(3) });
    expect(ids.correlationId()).toMatch(/^c-[0-9A-Z]{26}$/);
  });

  it('refuses a random source that returns too few bytes', () => {
    const ids = createIdGenerator({ now: () => new Date(0), random: () => new Uint8Array(4) });
    expect(() => ids.next()).toThrow(expect.objectContaining({ code: 'IDS.SHORT_RANDOM' }));
  });
});

describe('seededRandomSource', () => {
  it('repeats for a seed and differs between seeds', () => {
    expect(seededRandomSource(5)(32)).toEqual(seededRandomSource(5)(32));
    expect(seededRandomSource(5)(32)).not.toEqual(seededRandomSource(6)(32));
  });

  it('spreads bytes roughly evenly', () => {
    const bytes = seededRandomSource(11)(64_000);
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) counts[b] = (counts[b] ?? 0) + 1;
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(350);
  });
});
