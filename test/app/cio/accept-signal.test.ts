import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptSignal, SignalErrorCode } from '../../../lib/app/cio/accept-signal.js';
import { ManualClock } from '../../../lib/core/shared/clock.js';
import { createIdGenerator, seededRandomSource } from '../../../lib/core/shared/ids-gen.js';
import { RecordingPublisher } from '../../support/doubles.js';
import { aSignal } from '../../support/builders.js';
import { InMemorySignalStore } from '../../../lib/adapters/memory/signal-store.js';

function setup() {
  const clock = new ManualClock('2026-11-26T15:30:00.000Z');
  const deps = { signals: new InMemorySignalStore(), publisher: new RecordingPublisher(), clock, ids: createIdGenerator({ now: () => clock.now(), random: seededRandomSource(7) }) };
  return deps;
}

describe('acceptSignal', () => {
  it('stores a valid signal and publishes SignalReceived with the caller’s correlation id', async () => {
    const deps = setup();
    const signal = aSignal();

    const r = await acceptSignal(deps, JSON.parse(JSON.stringify(signal)), { correlationId: 'c-api-1' });

    expect(r).toMatchObject({ ok: true, value: { duplicate: false, correlationId: 'c-api-1' } });
    expect(await deps.signals.get(signal.signalId)).toEqual(signal);
    const [event] = deps.publisher.ofType<{ signal: unknown }>('SignalReceived');
    expect(event).toMatchObject({ source: 'tradeops.trading', correlationId: 'c-api-1', detail: { signal } });
  });

  it('publishes a retried signal again and says it was a duplicate', async () => {
    const deps = setup();
    const signal = aSignal();

    await acceptSignal(deps, signal);
    const again = await acceptSignal(deps, signal);

    expect(again).toMatchObject({ ok: true, value: { duplicate: true } });
    expect(deps.publisher.ofType('SignalReceived')).toHaveLength(2);
    expect(deps.signals.signals.size).toBe(1);
  });

  it('refuses a different signal reusing a signalId, naming the field, and publishes nothing', async () => {
    const deps = setup();
    const signal = aSignal();
    await acceptSignal(deps, signal);

    const r = await acceptSignal(deps, { ...signal, strength: 0.2 });

    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: SignalErrorCode.CONFLICT, issues: [{ path: 'signalId' }] });
    expect(deps.publisher.ofType('SignalReceived')).toHaveLength(1);
  });

  it.each([
    ['a missing strength', { strength: undefined }, 'strength'],
    ['neither direction nor weight', { direction: undefined, targetWeight: undefined }, 'direction'],
    ['a weight above 1', { targetWeight: '1.5' }, 'targetWeight'],
    ['a weight against the direction', { direction: 'SHORT', targetWeight: '0.05' }, 'targetWeight'],
    ['a bad symbol', { symbol: 'aapl' }, 'symbol'],
    ['an unknown field', { leverage: 3 }, ''],
    ['an expired signal', { horizon: 'intraday', createdAt: '2026-11-25T15:00:00.000Z' }, 'createdAt'],
  ])('refuses %s with a field-level issue', async (_name, overrides, path) => {
    const deps = setup();

    const r = await acceptSignal(deps, { ...aSignal(), ...overrides });

    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(SignalErrorCode.INVALID);
      expect(r.error.issues.map((i) => i.path)).toContain(path);
    }
    expect(deps.publisher.events).toHaveLength(0);
  });

  it('answers any input with a result, never an exception', async () => {
    const deps = setup();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.record({ signalId: fc.string(), strength: fc.double(), createdAt: fc.string(), symbol: fc.string() }, { requiredKeys: [] })), async (body) => {
        const r = await acceptSignal(deps, body);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
